// Property tests of kv-primary: under any generated script of client ops and fault windows
// the correct store keeps every claim, and rapidcheck finds a script that breaks the store
// with its planted bug.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "framework/cli/builtins.h"
#include "framework/property/claims.h"
#include "framework/property/generators.h"
#include "kv_primary.h"

namespace {

const faultline::Registry& registry() {
  static const faultline::Registry registry = [] {
    faultline::Registry r;
    faultline::add_builtins(r);
    r.add_system(kvp::kv_primary_entry());
    return r;
  }();
  return registry;
}

faultline::Scenario base(std::optional<std::string> bug) {
  faultline::Scenario scenario;
  scenario.system = "kv-primary";
  scenario.bug = std::move(bug);
  scenario.check_invariants = true;  // a backup's log is a prefix of the primary's
  scenario.codec_roundtrip = true;   // every message through its JSON form
  return scenario;
}

}  // namespace

RC_GTEST_PROP(KvPrimary, KeepsItsClaimsUnderFaults, ()) {
  faultline::gen::ScriptShape shape;  // 3 nodes; partition, kill, crash and pause windows
  auto scenario = *faultline::gen::scenario(base(std::nullopt), shape, registry());
  faultline::property::assert_claims_hold(scenario, registry());
}

TEST(KvPrimary, RapidcheckFindsThePlantedBug) {
  faultline::gen::ScriptShape shape;
  shape.fault_kinds = {"partition"};
  // Failing runs are not written to disk: shrinking runs hundreds of them.
  const faultline::property::ClaimsCheck quiet{.simulate = {.failure_dir = "", .print_failure_path = false}};
  const bool held = rc::check("kv-primary with kvp.ack-before-backup keeps its claims", [&] {
    auto scenario = *faultline::gen::scenario(base(kvp::kBugAckBeforeBackup), shape, registry());
    faultline::property::assert_claims_hold(scenario, registry(), quiet);
  });
  EXPECT_FALSE(held) << "no generated script exposed the planted bug";
}
