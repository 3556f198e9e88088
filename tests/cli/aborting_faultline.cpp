// The faultline command line with one more system, "aborting" (tests/framework/
// aborting_system.h), whose node aborts on every seed: the end-to-end tests of run, repro and
// shrink on a seed that dies in an assertion use it.
#include "../framework/aborting_system.h"
#include "framework/cli/builtins.h"
#include "framework/cli/cli_main.h"

int main(int argc, char** argv) {
  faultline::Registry registry;
  faultline::add_builtins(registry);
  faultline::add_builtin_systems(registry);
  registry.add_system(faultline::testing::aborting_entry());
  return faultline::cli::main(argc, argv, registry);
}
