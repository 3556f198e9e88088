// The kvp command: faultline's whole command line (run, campaign, repro, shrink, check,
// list, ...) over the built-ins plus kv-primary.
#include "framework/cli/builtins.h"
#include "framework/cli/cli_main.h"
#include "kv_primary.h"

int main(int argc, char** argv) {
  faultline::Registry registry;
  faultline::add_builtins(registry);
  registry.add_system(kvp::kv_primary_entry());
  return faultline::cli::main(argc, argv, registry);
}
