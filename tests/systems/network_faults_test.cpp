// Every registered system under every workload it speaks keeps every claim over an
// unreliable network: duplicated, lost and reordered messages, alone and together, with
// partitions and kills on top (issue 9, defect 20). A system documented as linearizable must
// be so under every network the simulator offers. Liveness is claimed for the loss-free
// network the heal restores, so under permanent loss (--loss) it is "not judged".
#include <cctype>

#include <gtest/gtest.h>

#include "framework/cli/builtins.h"
#include "framework/run.h"

namespace faultline {
namespace {

struct Network {
  const char* name;
  LinkQuality link;
};

const Network kNetworks[] = {
    {"duplicate", {.duplicate_probability = 0.2}},
    {"reorder", {.latency_ns_base = 1'000'000, .latency_ns_jitter = 20'000'000}},
    {"loss", {.loss_probability = 0.1}},
    {"all", {.latency_ns_base = 1'000'000, .latency_ns_jitter = 20'000'000, .loss_probability = 0.1,
             .duplicate_probability = 0.2}},
};

struct Case {
  std::string system;
  std::string workload;
};

std::vector<Case> every_system_and_workload() {
  std::vector<Case> cases;
  for (const auto& [name, entry] : cli::builtin_registry().systems())
    for (const auto& workload : entry.workloads) cases.push_back({name, workload});
  return cases;
}

class EverySystem : public ::testing::TestWithParam<Case> {};

TEST_P(EverySystem, KeepsEveryClaimOverAnUnreliableNetwork) {
  const Registry& registry = cli::builtin_registry();
  for (const Network& network : kNetworks) {
    for (uint64_t seed = 1; seed <= 20; ++seed) {
      Scenario s;
      s.system = GetParam().system;
      s.workload = GetParam().workload;
      s.node_count = registry.system(s.system)->default_nodes;
      s.nemesis = {"partition", "kill"};
      s.seed = seed;
      s.time_ns = 4'000'000'000;
      s.nemesis_interval_ns = 700'000'000;
      s.link = network.link;
      s.check_invariants = true;
      MemorySink sink;
      auto run = run_scenario(s, registry, sink);
      ASSERT_TRUE(run) << run.error().message;
      const std::string where = s.system + "/" + s.workload + " over " + network.name + ", seed " + std::to_string(seed);
      EXPECT_FALSE(run.value().invariant_violation) << where << ": " << *run.value().invariant_violation;
      for (const auto& claim : run.value().claims) {
        if (!claim.claim.claimed) continue;  // judged only to show what the configuration gives up
        const bool not_judged = claim.claim.checker == "liveness" && network.link.loss_probability > 0;
        EXPECT_EQ(claim.result.verdict, not_judged ? Verdict::unknown : Verdict::valid)
            << where << ", claim " << claim.claim.name << ": " << claim.result.summary;
        if (not_judged) {
          EXPECT_EQ(claim.result.evidence["not_judged"], "permanent message loss") << where;
        }
      }
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Builtins, EverySystem, ::testing::ValuesIn(every_system_and_workload()),
                         [](const ::testing::TestParamInfo<Case>& info) {
                           std::string name = info.param.system + "_" + info.param.workload;
                           for (char& ch : name)  // gtest names: letters, digits, '_' (primary-replica)
                             if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
                           return name;
                         });

}  // namespace
}  // namespace faultline
