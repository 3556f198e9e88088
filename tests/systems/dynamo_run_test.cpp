// The Dynamo store under run_scenario: every named configuration (the ones `faultline
// matrix` runs) holds the claims it makes under every fault package, with invariants
// checked after every event and every message round-tripped through the codec; runs are
// deterministic; and the CAP picture: with the same seeds and partitions, the always-
// writeable configuration answers on every side while raft's minority side does not.
#include <gtest/gtest.h>

#include "systems/dynamo/dynamo_system.h"
#include "tests/systems/dynamo_campaign.h"

namespace faultline::dynamo::testing {
namespace {

const std::vector<std::string> kEveryFault = {"partition", "kill", "crash", "pause", "clock", "flaky"};

std::vector<DynamoConfiguration> named_configurations() {
  std::vector<DynamoConfiguration> out;
  for (const auto& c : dynamo_entry().configurations) out.push_back({c.name, c.workload, c.params});
  return out;
}

class DynamoConfigurationRun : public ::testing::TestWithParam<DynamoConfiguration> {};

// The suite runs a few seeds per configuration and mode (19 configurations x 3 modes);
// docs/benchmarks.md has the 200-seed figures of each configuration.
TEST_P(DynamoConfigurationRun, ClaimsHoldUnderEveryFault) {
  const auto out = campaign([&](uint64_t seed) {
    Scenario s = dynamo_scenario(GetParam(), seed, kEveryFault);
    s.check_invariants = true;
    s.codec_roundtrip = true;
    return s;
  }, 8);
  EXPECT_FALSE(out.first_seed) << "seed " << *out.first_seed << ": " << out.why;
}

TEST_P(DynamoConfigurationRun, ClaimsHoldOnALossyDuplicatingNetwork) {
  const auto out = campaign([&](uint64_t seed) {
    Scenario s = dynamo_scenario(GetParam(), seed, kEveryFault);
    s.link.loss_probability = 0.05;
    s.link.duplicate_probability = 0.05;
    s.link.latency_ns_jitter = 5'000'000;
    return s;
  }, 4);
  EXPECT_FALSE(out.first_seed) << "seed " << *out.first_seed << ": " << out.why;
}

TEST_P(DynamoConfigurationRun, ClaimsHoldWhileNodesLeaveAndJoin) {
  const auto out = campaign([&](uint64_t seed) {
    Scenario s = dynamo_scenario(GetParam(), seed, {"member", "partition"});
    s.check_invariants = true;
    return s;
  }, 4);
  EXPECT_FALSE(out.first_seed) << "seed " << *out.first_seed << ": " << out.why;
}

INSTANTIATE_TEST_SUITE_P(Configurations, DynamoConfigurationRun, ::testing::ValuesIn(named_configurations()),
                         [](const auto& info) {
                           std::string name = info.param.name;
                           for (char& ch : name)
                             if (ch == '-') ch = '_';
                           return name;
                         });

// A configuration's claims are what it promises: the weaker ones declare what they give up
// (`claimed = false`), and those anomalies do show up, so the claims are not vacuous.
TEST(DynamoRun, UnclaimedGuaranteesAreSeenBroken) {
  const std::map<std::string, std::string> gives_up = {
      {"lww-set", "set-full"}, {"lww-counter", "counter"}, {"pncounter-sloppy", "counter"},
      {"lww-sloppy", "linearizable"}, {"session-sloppy", "read-your-writes"}};
  for (const auto& configuration : named_configurations()) {
    auto it = gives_up.find(configuration.name);
    if (it == gives_up.end()) continue;
    bool seen = false;
    for (uint64_t seed = 1; seed <= 20 && !seen; ++seed) {
      const auto out = run_seed(dynamo_scenario(configuration, seed, {"partition"}));
      EXPECT_FALSE(out.detected) << configuration.name << " seed " << seed << ": " << out.why;
      for (const auto& claim : out.result.claims)
        if (claim.claim.name == it->second) {
          EXPECT_FALSE(claim.claim.claimed) << configuration.name;
          seen = seen || claim.result.verdict == Verdict::invalid;
        }
    }
    EXPECT_TRUE(seen) << configuration.name << ": " << it->second << " never seen broken in 20 seeds";
  }
}

TEST(DynamoRun, SameSeedSameHistory) {
  const DynamoConfiguration orset{"orset", "set", {{"conflict", "orset"}}};
  auto text = [&](uint64_t seed) {
    MemorySink sink;
    auto run = run_scenario(dynamo_scenario(orset, seed, {"partition", "crash", "member"}), cli::builtin_registry(),
                            sink);
    EXPECT_TRUE(run);
    return sink.text();
  };
  EXPECT_EQ(text(11), text(11));
  EXPECT_NE(text(11), text(12));
}

// Issue 12, item 3: a run reports what the store did (System::run_metrics into RunResult and
// results.json): a sloppy, always-writeable store under partitions stores and delivers hints.
TEST(DynamoRun, RunMetricsCountHintsAndRepairs) {
  const DynamoConfiguration always{"always-writeable", "set", {{"conflict", "orset"}, {"r", 1}, {"w", 1}}};
  int64_t stored = 0;
  int64_t delivered = 0;
  for (uint64_t seed = 1; seed <= 3; ++seed) {
    const auto out = run_seed(dynamo_scenario(always, seed, {"partition"}));
    const Json& metrics = out.result.metrics;
    for (const char* name : {"read_repairs", "anti_entropy_keys", "hints_stored", "hints_delivered", "handoff_keys"})
      EXPECT_TRUE(metrics.contains(name)) << name << " in " << metrics.dump();
    stored += metrics.value("hints_stored", int64_t{0});
    delivered += metrics.value("hints_delivered", int64_t{0});
  }
  EXPECT_GT(stored, 0);
  EXPECT_GT(delivered, 0);
  EXPECT_LE(delivered, stored);
}

// CAP, measured on the same seeds and faults (the availability checker, per fault window and
// partition side): the always-writeable store answers >= 90% on every side of every
// partition; raft answers nothing on a minority side, so the same claim fails for it.
TEST(DynamoRun, AlwaysWriteableStaysAvailableWhereRaftDoesNot) {
  const ClaimSpec available{.name = "availability", .checker = "availability",
                            .checker_options = {{"min_ok_fraction", 0.9}, {"grace_ms", 200}}};
  const DynamoConfiguration always{"always-writeable", "set", {{"conflict", "orset"}, {"r", 1}, {"w", 1}}};
  int raft_unavailable = 0;
  for (uint64_t seed = 1; seed <= 5; ++seed) {
    Scenario dynamo = dynamo_scenario(always, seed, {"partition:halves"});
    const auto out = run_seed(dynamo);
    EXPECT_FALSE(out.detected) << "seed " << seed << ": " << out.why;
    EXPECT_EQ(judge_claim(available, out.result.history, cli::builtin_registry()).verdict, Verdict::valid);
    Scenario raft = dynamo;
    raft.system = "raft";
    raft.workload = "register";
    raft.system_params = Json::object();
    MemorySink sink;
    auto raft_run = run_scenario(raft, cli::builtin_registry(), sink);
    ASSERT_TRUE(raft_run) << raft_run.error().message;
    raft_unavailable += judge_claim(available, raft_run.value().history, cli::builtin_registry()).verdict ==
                        Verdict::invalid;
  }
  EXPECT_GT(raft_unavailable, 0);
}

}  // namespace
}  // namespace faultline::dynamo::testing
