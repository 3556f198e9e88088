#include <gtest/gtest.h>

#include <set>

#include "framework/generator.h"
#include "framework/workload.h"

namespace faultline {
namespace {

GenContext context_at(int64_t now_ns, Rng& rng, int busy = 0, int slot = 0, int slots = 1) {
  return GenContext{now_ns, slot, slots, busy, &rng};
}

// One operation kind, values drawn per its ValueKind, on key_count keys.
GeneratorPtr ops(const std::string& f, ValueKind value, int key_count = 1) {
  Scenario scenario;
  scenario.key_count = key_count;
  WorkloadEntry workload{.name = "test", .operations = {{.f = f, .value = value}}};
  return operation_mix(workload, scenario);
}

GeneratorPtr read_ops(int key_count) { return ops("read", ValueKind::none, key_count); }
GeneratorPtr write_ops(int key_count) { return ops("write", ValueKind::in_range, key_count); }

TEST(Generator, MixFollowsWeights) {
  Rng rng(1);
  std::vector<WeightedGenerator> choices;
  choices.push_back({3, read_ops(2)});
  choices.push_back({1, write_ops(2)});
  auto g = mix(std::move(choices));
  int reads = 0;
  for (int i = 0; i < 4000; ++i) reads += std::get<ClientOp>(g->next(context_at(0, rng))).f == "read";
  EXPECT_NEAR(reads, 3000, 150);
}

// Jepsen's per-node clients: an op that names no node goes to the asking slot's node; one
// that names its node (a final read) keeps it.
TEST(Generator, BoundToNodesAddressesEachSlotsOwnNode) {
  Rng rng(3);
  auto g = bound_to_nodes(3, read_ops(2));
  for (int slot = 0; slot < 7; ++slot)
    EXPECT_EQ(std::get<ClientOp>(g->next(context_at(0, rng, 0, slot, 7))).node, slot % 3) << "slot " << slot;
  auto finals = bound_to_nodes(3, final_reads("read", 1, 2));
  EXPECT_EQ(std::get<ClientOp>(finals->next(context_at(0, rng, 0, 2, 7))).node, 0);
}

TEST(Generator, CasCarriesExpectedAndNewValues) {
  Rng rng(2);
  auto g = ops("cas", ValueKind::pair_in_range, 3);
  auto op = std::get<ClientOp>(g->next(context_at(0, rng)));
  EXPECT_EQ(op.f, "cas");
  ASSERT_TRUE(op.value.is_array());
  EXPECT_EQ(op.value.size(), 2u);
  EXPECT_LT(op.value[0].get<int>(), 5);
}

TEST(Generator, RateLimitSpacesOps) {
  Rng rng(3);
  auto g = rate_limit(10, read_ops(1));  // one op per 100 ms on average
  EXPECT_TRUE(std::holds_alternative<ClientOp>(g->next(context_at(0, rng))));
  auto wait = g->next(context_at(0, rng));
  ASSERT_TRUE(std::holds_alternative<Wait>(wait));
  EXPECT_GE(std::get<Wait>(wait).until_ns, 50'000'000);
  EXPECT_LE(std::get<Wait>(wait).until_ns, 150'000'000);
}

TEST(Generator, TimeLimitExhaustsAfterItsDuration) {
  Rng rng(4);
  auto g = time_limit(1000, read_ops(1));
  EXPECT_TRUE(std::holds_alternative<ClientOp>(g->next(context_at(500, rng))));
  EXPECT_TRUE(std::holds_alternative<ClientOp>(g->next(context_at(1499, rng))));
  EXPECT_TRUE(std::holds_alternative<Exhausted>(g->next(context_at(1500, rng))));
}

TEST(Generator, PhasesWaitForOpsInFlightBeforeTheNextPhase) {
  Rng rng(5);
  std::vector<GeneratorPtr> steps;
  steps.push_back(time_limit(10, read_ops(1)));
  steps.push_back(write_ops(1));
  auto g = phases(std::move(steps));
  EXPECT_EQ(std::get<ClientOp>(g->next(context_at(0, rng))).f, "read");
  EXPECT_TRUE(std::holds_alternative<Pending>(g->next(context_at(20, rng, /*busy=*/1))));
  EXPECT_EQ(std::get<ClientOp>(g->next(context_at(20, rng, 0))).f, "write");
}

TEST(Generator, SleepWaitsThenExhausts) {
  Rng rng(6);
  auto g = sleep_for(100);
  auto wait = g->next(context_at(10, rng));
  ASSERT_TRUE(std::holds_alternative<Wait>(wait));
  EXPECT_EQ(std::get<Wait>(wait).until_ns, 110);
  EXPECT_TRUE(std::holds_alternative<Exhausted>(g->next(context_at(110, rng))));
}

TEST(Generator, FinalReadsCoverEveryNodeAndKeyPerSlot) {
  Rng rng(7);
  auto g = final_reads("read", 2, 3);
  std::set<std::pair<std::string, int>> slot0;
  for (int i = 0; i < 6; ++i) {
    auto op = std::get<ClientOp>(g->next(context_at(0, rng, 0, 0, 2)));
    EXPECT_TRUE(op.final);
    slot0.insert({*op.key, *op.node});
  }
  EXPECT_EQ(slot0.size(), 6u);
  // Slot 0 is done but slot 1 is not: slot 0 waits.
  EXPECT_TRUE(std::holds_alternative<Pending>(g->next(context_at(0, rng, 0, 0, 2))));
  for (int i = 0; i < 6; ++i) std::get<ClientOp>(g->next(context_at(0, rng, 0, 1, 2)));
  EXPECT_TRUE(std::holds_alternative<Exhausted>(g->next(context_at(0, rng, 0, 0, 2))));
}

}  // namespace
}  // namespace faultline
