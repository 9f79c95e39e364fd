// The YAML configuration: any text gives a configuration or a list of problems with positions,
// never a crash or an exception.
#include <cstdint>
#include <string>

#include "dondoc/config/config.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string yaml(reinterpret_cast<const char*>(data), size);
  const auto result = dondoc::config::load_config_text(yaml, "fuzz.yaml");
  for (const auto& p : result.problems) {
    (void)p.to_string();
  }
  return 0;
}
