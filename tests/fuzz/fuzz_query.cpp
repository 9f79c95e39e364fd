// Query strings on every GET route: the first byte picks the route, the rest follows the `?`.
// The target parser and the log mask see the same bytes.
#include <cstdint>
#include <string>
#include <vector>

#include "api_fixture.hpp"
#include "query.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static dondoc::fuzz::ApiFixture fixture;
  static const std::vector<dondoc::http::RouteInfo> reads = [] {
    std::vector<dondoc::http::RouteInfo> out;
    for (const auto& r : fixture.api().routes()) {
      if (r.method == "GET") {
        out.push_back(r);
      }
    }
    return out;
  }();
  if (size < 1) {
    return 0;
  }
  const auto& route = reads[data[0] % reads.size()];
  std::string target = route.pattern;
  for (auto at = target.find("{id}"); at != std::string::npos; at = target.find("{id}")) {
    target.replace(at, 4, "1");
  }
  target += "?";
  target.append(reinterpret_cast<const char*>(data) + 1, size - 1);
  const std::string logged = dondoc::http::loggable_target(target);
  if (logged.size() > 400) {
    std::abort();  // the log keeps a bounded excerpt
  }
  try {
    (void)dondoc::http::parse_target(target);
  } catch (const dondoc::domain::ValidationError&) {
  }
  dondoc::http::Request r;
  r.method = "GET";
  r.target = target;
  r.headers = {{"authorization", "Bearer " + fixture.token(data[0] & 0x80 ? "leader" : "office")}};
  fixture.call(r);
  return 0;
}
