#pragma once
// The whole faultline command line (run, campaign, repro, shrink, check, list, ...) over a
// registry: the faultline executable runs it with the built-ins, and a user's own binary
// runs it with its own systems (docs/your-own-system.md):
//
//   int main(int argc, char** argv) {
//     faultline::Registry registry;
//     faultline::add_builtins(registry);   // fault packages, workloads, checkers
//     registry.add_system(my_store_entry());
//     return faultline::cli::main(argc, argv, registry);
//   }
#include "framework/registry.h"

namespace faultline::cli {

int main(int argc, char** argv, const Registry& registry);

}  // namespace faultline::cli
