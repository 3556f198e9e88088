// The correct primary-replica store under run_scenario: every configuration the system
// declares (faultline matrix's rows) holds the claims it makes under every fault package,
// under a lossy, duplicating, jittery network, on five nodes; runs are deterministic. The long runs (1,000 seeds) are commands in
// docs/benchmarks.md; the suite runs a few seeds per configuration and package.
#include <gtest/gtest.h>

#include "systems/primary_replica/primary_replica_system.h"
#include "tests/systems/primary_replica_campaign.h"

namespace faultline::primary_replica::testing {
namespace {

constexpr int kSeedsPerCell = 10;

class PrRunUnderPackage : public ::testing::TestWithParam<std::string> {};

TEST_P(PrRunUnderPackage, EveryConfigurationHoldsWhatItClaims) {
  for (const auto& configuration : primary_replica_entry().configurations) {
    const auto out = campaign([&](uint64_t seed) {
      return pr_scenario(seed, configuration.workload, {GetParam()}, configuration.params);
    }, kSeedsPerCell);
    EXPECT_FALSE(out.first_seed) << configuration.name << ", seed " << *out.first_seed << ": " << out.why;
  }
}

INSTANTIATE_TEST_SUITE_P(Packages, PrRunUnderPackage,
                         ::testing::Values("partition", "kill", "crash", "pause", "clock", "flaky",
                                           "partition:leader", "kill:leader", "crash:all"),
                         [](const auto& info) {
                           std::string name = info.param;
                           for (char& ch : name)
                             if (ch == ':') ch = '_';
                           return name;
                         });

// --duplicate, --loss and a 20 ms --jitter on five nodes, with torn writes and every
// message round-tripped through the codec.
TEST(PrRun, EveryConfigurationHoldsOnABadNetworkOnFiveNodes) {
  for (const auto& configuration : primary_replica_entry().configurations) {
    const auto out = campaign([&](uint64_t seed) {
      Scenario s = pr_scenario(seed, configuration.workload, {"partition", "kill", "crash", "pause", "clock"},
                               configuration.params);
      s.node_count = 5;
      s.link.latency_ns_jitter = 20'000'000;
      s.link.loss_probability = 0.05;
      s.link.duplicate_probability = 0.05;
      s.torn_writes = true;
      s.codec_roundtrip = true;
      return s;
    }, 5);
    EXPECT_FALSE(out.first_seed) << configuration.name << ", seed " << *out.first_seed << ": " << out.why;
  }
}

// failover=manual with the operator's fault package: the operator's failovers keep the claims.
TEST(PrRun, ManualFailoverByTheOperatorHoldsTheClaims) {
  const auto out = campaign([](uint64_t seed) {
    return pr_scenario(seed, "set", {"failover", "partition:leader", "kill"}, Json{{"failover", "manual"}});
  }, 20);
  EXPECT_FALSE(out.first_seed) << "seed " << *out.first_seed << ": " << out.why;
}

TEST(PrRun, SameSeedSameHistory) {
  auto text = [](uint64_t seed) {
    MemorySink sink;
    auto run = run_scenario(pr_scenario(seed, "register", {"partition", "crash"}), cli::builtin_registry(), sink);
    EXPECT_TRUE(run);
    return sink.text();
  };
  EXPECT_EQ(text(11), text(11));
  EXPECT_NE(text(11), text(12));
}

}  // namespace
}  // namespace faultline::primary_replica::testing
