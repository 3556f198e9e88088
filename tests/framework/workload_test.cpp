// The built-in workloads' generators (docs/workloads.md): each op's vocabulary and values.
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "framework/workload.h"
#include "workloads/workloads.h"

namespace faultline {
namespace {

struct Drawn {
  int slot;
  ClientOp op;
};

// Draws `count` ops from the workload's main-phase op source, cycling over the slots.
std::vector<Drawn> draw(const WorkloadEntry& workload, Scenario scenario, int count) {
  GeneratorPtr ops = operation_mix(workload, scenario);
  Rng rng(scenario.seed);
  std::vector<Drawn> drawn;
  for (int i = 0; i < count; ++i) {
    const int slot = i % scenario.concurrency;
    GenContext context{.now_ns = 0, .slot = slot, .slot_count = scenario.concurrency, .rng = &rng};
    drawn.push_back({slot, std::get<ClientOp>(ops->next(context))});
  }
  return drawn;
}

TEST(Workload, SetAddsUniqueElements) {
  Scenario s;
  std::set<int64_t> added;
  int adds = 0;
  for (const Drawn& d : draw(workloads::set_workload(), s, 500)) {
    ASSERT_TRUE(d.op.f == "add" || d.op.f == "read") << d.op.f;
    if (d.op.f != "add") continue;
    ++adds;
    EXPECT_TRUE(added.insert(d.op.value.get<int64_t>()).second) << "element added twice";
  }
  EXPECT_GT(adds, 100);
}

TEST(Workload, CounterAddsPositiveAmountsAndDecrementsOnlyWhenWeighed) {
  Scenario s;
  s.value_range = 4;
  for (const Drawn& d : draw(workloads::counter_workload(), s, 300)) {
    ASSERT_NE(d.op.f, "decrement") << "decrements weigh 0 by default";
    if (d.op.f == "add") {
      EXPECT_TRUE(d.op.value.get<int64_t>() >= 1 && d.op.value.get<int64_t>() <= 4);
    }
  }
  s.mix = {{"decrement", 1}};
  int decrements = 0;
  for (const Drawn& d : draw(workloads::counter_workload(), s, 300)) decrements += d.op.f == "decrement";
  EXPECT_GT(decrements, 50);
}

TEST(Workload, SessionKeysHaveOneWriterThatCountsUpAndReadsVaryTheirNode) {
  Scenario s;
  s.concurrency = 3;
  s.key_count = 5;
  s.node_count = 3;
  std::map<std::string, int64_t> last;
  std::set<int64_t> nodes;
  for (const Drawn& d : draw(workloads::session_workload(), s, 900)) {
    const int key = std::stoi(d.op.key->substr(1));
    if (d.op.f == "write") {
      EXPECT_EQ(key % s.concurrency, d.slot) << "a key is written by its one slot";
      EXPECT_EQ(d.op.value.get<int64_t>(), last[*d.op.key] + 1) << "versions count up by one";
      last[*d.op.key] = d.op.value.get<int64_t>();
      EXPECT_FALSE(d.op.node);
    } else {
      ASSERT_EQ(d.op.f, "read");
      ASSERT_TRUE(d.op.node);
      nodes.insert(*d.op.node);
    }
  }
  EXPECT_EQ(nodes.size(), 3u) << "reads from every node";
  EXPECT_EQ(last.size(), 5u) << "every key is written";
}

TEST(Workload, AppendsAreUnique) {
  Scenario s;
  std::set<int64_t> appended;
  for (const Drawn& d : draw(workloads::append_workload(), s, 400)) {
    if (d.op.f == "append") {
      EXPECT_TRUE(appended.insert(d.op.value.get<int64_t>()).second);
    }
  }
  EXPECT_GT(appended.size(), 100u);
}

TEST(Workload, MixMustNameTheWorkloadsOperationsAndWeighSomething) {
  Scenario s;
  s.mix = {{"cas", 1}};
  EXPECT_FALSE(check_workload(workloads::set_workload(), s));
  s.mix = {{"add", 0}, {"read", 0}};
  EXPECT_FALSE(check_workload(workloads::set_workload(), s));
  s.mix = {{"read", 1}};
  EXPECT_TRUE(check_workload(workloads::set_workload(), s));
  EXPECT_EQ(operation_weights(workloads::set_workload(), s), (std::vector<uint64_t>{1, 1}));
}

}  // namespace
}  // namespace faultline
