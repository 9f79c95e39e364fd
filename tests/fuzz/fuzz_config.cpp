// The YAML configuration, and an official calendar file read the same way: any text gives a
// configuration (or a year's days) or a list of problems with positions, never a crash or an
// exception.
#include <cstdint>
#include <string>

#include "dondoc/config/config.hpp"
#include "dondoc/config/official_calendar.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string yaml(reinterpret_cast<const char*>(data), size);
  const auto result = dondoc::config::load_config_text(yaml, "fuzz.yaml");
  for (const auto& p : result.problems) {
    (void)p.to_string();
  }
  const auto year = dondoc::config::read_official_calendar(yaml, "2025.yaml");
  for (const auto& p : year.problems) {
    (void)p.to_string();
  }
  return 0;
}
