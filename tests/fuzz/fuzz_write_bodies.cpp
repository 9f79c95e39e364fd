// The JSON body of every write route: the first byte picks the route and the caller's role, the
// rest is the body. {id} segments are 1, where the fixture has a unit, a task and users. The
// seeds' first bytes follow the order of Api::routes() (the write routes, less the import and
// the attachment upload, whose bodies are a file, not JSON): a
// change of routes means new first bytes for the seeds (the route's index modulo their number,
// the role in bits 5-6: 0 office, 1 admin, 2 leader, 3 unit).
#include <cstdint>
#include <string>
#include <vector>

#include "api_fixture.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static dondoc::fuzz::ApiFixture fixture;
  static const std::vector<dondoc::http::RouteInfo> writes = [] {
    std::vector<dondoc::http::RouteInfo> out;
    for (const auto& r : fixture.api().routes()) {
      if (r.method != "GET" && r.pattern.find("import") == std::string::npos &&
          r.pattern.find("attachments") == std::string::npos) {
        out.push_back(r);
      }
    }
    return out;
  }();
  if (size < 1) {
    return 0;
  }
  static const char* const kRoles[] = {"office", "admin", "leader", "unit"};
  const auto& route = writes[data[0] % writes.size()];
  std::string target = route.pattern;
  for (auto at = target.find("{id}"); at != std::string::npos; at = target.find("{id}")) {
    target.replace(at, 4, "1");
  }
  dondoc::http::Request r;
  r.method = route.method;
  r.target = target;
  r.body.assign(reinterpret_cast<const char*>(data) + 1, size - 1);
  r.headers = {{"authorization", "Bearer " + fixture.token(kRoles[(data[0] >> 5) % 4])},
               {"content-type", "application/json"},
               {"if-match", "*"}};
  r.peer = "192.0.2.2";
  fixture.call(r);
  return 0;
}
