// One problem found in a configuration or data file, with its position: dondocd refuses to start
// on any, and prints them all as file:line:column: key: message.
#pragma once

#include <string>

namespace dondoc::config {

struct ConfigProblem {
  std::string file;
  int line = 0;
  int column = 0;
  std::string key;
  std::string message;
  std::string to_string() const;
};

}  // namespace dondoc::config
