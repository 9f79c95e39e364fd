// The dondocd command line: serve, check-config, migrate, version. This is the only module that
// picks concrete classes (SQLite store, system clock) and touches signals and threads.
#pragma once

namespace dondoc::app {

int run_cli(int argc, char** argv);

}  // namespace dondoc::app
