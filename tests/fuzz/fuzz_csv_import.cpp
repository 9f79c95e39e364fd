// A register, as CSV or as an .xlsx workbook (seeds of both, one with its parts stored
// uncompressed so that mutations reach the XML): the readers, then the whole import check as a
// dry run through the API.
#include <cstdint>
#include <string>

#include "api_fixture.hpp"
#include "dondoc/service/csv.hpp"
#include "dondoc/service/xlsx.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static dondoc::fuzz::ApiFixture fixture;
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    (void)dondoc::service::read_csv(text);
  } catch (const dondoc::domain::ValidationError&) {
  }
  try {
    (void)dondoc::service::read_xlsx(text, 5001);
  } catch (const dondoc::domain::ValidationError&) {
  }
  dondoc::http::Request r;
  r.method = "POST";
  r.target = "/api/v1/tasks/import?dry_run=true";
  r.body = text;
  r.headers = {{"authorization", "Bearer " + fixture.token("office")},
               {"content-type", "text/csv"}};
  fixture.call(r);
  return 0;
}
