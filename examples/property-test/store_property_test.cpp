// A property test in a user's project: any fault script leaves the store linearizable.
// Swap "single" for your own system registered in your own Registry.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "framework/cli/builtins.h"
#include "framework/property/generators.h"
#include "framework/simulate.h"

RC_GTEST_PROP(Store, LinearizableUnderFaults, ()) {
  faultline::Scenario base;
  base.system = "single";
  faultline::gen::ScriptShape shape;
  shape.node_count = 1;
  shape.fault_kinds = {"kill", "pause"};
  auto scenario = *faultline::gen::scenario(base, shape);
  auto simulation = faultline::simulate(scenario, faultline::cli::builtin_registry());
  RC_ASSERT(simulation.has_value());
  RC_ASSERT(simulation.value().run.all_claims_held());
}
