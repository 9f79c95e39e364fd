#include <csignal>

#include "dondoc/app/cli.hpp"

int main(int argc, char** argv) {
  // A peer that closes its end makes a write fail with EPIPE, which every writer handles; the
  // signal would end the process (a SIGPIPE sent from outside once did).
  std::signal(SIGPIPE, SIG_IGN);
  return dondoc::app::run_cli(argc, argv);
}
