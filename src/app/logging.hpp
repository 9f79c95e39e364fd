#pragma once

#include "dondoc/config/config.hpp"

namespace dondoc::app {

// Sets up the default logger and one logger per module ("app", "http", "storage"), writing one
// line per event to stderr, as key=value text or as JSON objects.
void configure_logging(const config::LogConfig& log);

}  // namespace dondoc::app
