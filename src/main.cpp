#include "dondoc/app/cli.hpp"

int main(int argc, char** argv) {
  return dondoc::app::run_cli(argc, argv);
}
