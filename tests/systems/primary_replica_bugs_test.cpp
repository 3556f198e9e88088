// The planted bugs of the primary-replica store (issue 11, item 4): each is found by the
// black-box campaign recorded in docs/benchmarks.md ("## Primary-replica store"), the same
// flags as `faultline campaign --system primary-replica --bug B ... --seeds 1..1000
// --stop-on-first` (no --check-invariants: a violated claim, as a user sees it), and the
// correct build passes the same seeds with the invariants checked after every event.
#include <gtest/gtest.h>

#include "tests/systems/primary_replica_campaign.h"

namespace faultline::primary_replica::testing {
namespace {

constexpr int kMaxSeeds = 1000;
constexpr int kMinCorrectSeeds = 30;

struct BugCase {
  std::string bug;
  std::string workload;
  std::vector<std::string> nemesis;
  Json params = Json::object();
  int64_t jitter_ns = 1'000'000;  // the CLI's default --jitter
};

Scenario bug_scenario(const BugCase& c, uint64_t seed, bool with_bug) {
  Scenario s = pr_scenario(seed, c.workload, c.nemesis, c.params, with_bug ? std::optional(c.bug) : std::nullopt);
  s.link.latency_ns_jitter = c.jitter_ns;
  s.check_invariants = !with_bug;
  return s;
}

class PrBugCampaign : public ::testing::TestWithParam<BugCase> {};

TEST_P(PrBugCampaign, FoundWithinBudgetAndCorrectBuildPassesSameSeeds) {
  const BugCase& c = GetParam();
  const auto found = campaign([&](uint64_t seed) { return bug_scenario(c, seed, true); }, kMaxSeeds);
  ASSERT_TRUE(found.first_seed.has_value()) << c.bug << " not found in " << kMaxSeeds << " seeds";
  std::printf("[pr bug] %s: first detection at seed %llu after %.2f s (%s)\n", c.bug.c_str(),
              static_cast<unsigned long long>(*found.first_seed), found.wall_s, found.why.substr(0, 200).c_str());
  const int correct_seeds = std::max<int>(kMinCorrectSeeds, static_cast<int>(*found.first_seed));
  const auto correct = campaign([&](uint64_t seed) { return bug_scenario(c, seed, false); }, correct_seeds);
  EXPECT_FALSE(correct.first_seed.has_value())
      << "the correct build failed seed " << *correct.first_seed << ": " << correct.why;
}

const Json kSync = {{"replication", "sync"}};
const Json kReplicaReadsWithTokens = {{"read_from", "replica"}, {"session_tokens", "on"}};

INSTANTIATE_TEST_SUITE_P(
    Bugs, PrBugCampaign,
    ::testing::Values(BugCase{"pr.async-failover-loss", "set", {"partition:leader"}},
                      BugCase{"pr.no-fencing-split-brain", "register", {"partition:leader"}},
                      BugCase{"pr.stale-dirty-read-primary", "register", {"partition:leader"}},
                      BugCase{"pr.elect-lagging-replica", "register", {"partition:leader", "kill"}, Json::object(), 20'000'000},
                      BugCase{"pr.sync-silently-async", "set", {"partition:leader", "kill:leader"}, kSync},
                      BugCase{"pr.outcome-misreported", "register", {"partition:leader"}},
                      BugCase{"pr.session-lagging-replica", "session", {"partition"}, kReplicaReadsWithTokens},
                      BugCase{"pr.ack-before-fsync", "register", {"crash:all"}},
                      BugCase{"pr.hw-truncation-divergence", "register", {"crash:all"}}),
    [](const auto& info) {
      std::string name = info.param.bug.substr(3);
      for (char& ch : name)
        if (ch == '-') ch = '_';
      return name;
    });

}  // namespace
}  // namespace faultline::primary_replica::testing
