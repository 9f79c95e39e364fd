// `dondocd calendar YEAR`: the year's days off and weekend days worked as the daemon will use
// them (the shipped official list, the computed rules, and the configuration on top), each with
// where it comes from, so that an operator can check them against the Government's notice.
#pragma once

#include <ostream>
#include <string>

#include "dondoc/config/config.hpp"

namespace dondoc::app {

void print_calendar_year(const config::Config& config, int year, std::ostream& out);

int calendar_year(const std::string& config_path, int year);

}  // namespace dondoc::app
