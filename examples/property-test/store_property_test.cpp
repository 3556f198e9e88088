// A property test in a user's project: any fault script leaves the store keeping its claims.
// Swap "single" for your own system registered in your own Registry (see ../kv-primary).
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "framework/cli/builtins.h"
#include "framework/property/claims.h"
#include "framework/property/generators.h"

RC_GTEST_PROP(Store, KeepsItsClaimsUnderFaults, ()) {
  faultline::Scenario base;
  base.system = "single";
  faultline::gen::ScriptShape shape;
  shape.node_count = 1;
  shape.fault_kinds = {"kill", "pause"};
  auto scenario = *faultline::gen::scenario(base, shape, faultline::cli::builtin_registry());
  faultline::property::assert_claims_hold(scenario, faultline::cli::builtin_registry());
}
