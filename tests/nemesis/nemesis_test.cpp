// Each fault package does what it says: the right links cut, the right bytes lost, the
// right clocks moved; stopping undoes it; a recorded event replays to the same effect.
#include <gtest/gtest.h>

#include <cmath>
#include <set>

#include "../framework/probe_system.h"
#include "nemesis/clock.h"
#include "nemesis/flaky.h"
#include "nemesis/partition.h"
#include "nemesis/process.h"
#include "nemesis/slow.h"

namespace faultline {
namespace {

using testing::probe;
using testing::ProbeSystem;
using Links = std::set<std::pair<EndpointId, EndpointId>>;

constexpr int64_t kMs = 1'000'000;

struct Cluster {
  explicit Cluster(int nodes, uint64_t seed = 1) : sim(system, config(nodes, seed)) { sim.start_nodes(); }
  static SimConfig config(int nodes, uint64_t seed) {
    SimConfig c;
    c.node_count = nodes;
    c.seed = seed;
    return c;
  }
  Links cut_links() const {
    Links cut;
    for (EndpointId a = 0; a < sim.node_count(); ++a)
      for (EndpointId b = 0; b < sim.node_count(); ++b)
        if (a != b && sim.link_cut(a, b)) cut.insert({a, b});
    return cut;
  }
  // Nodes a can send to (itself included).
  std::set<EndpointId> reach(EndpointId a) const {
    std::set<EndpointId> seen{a};
    for (EndpointId b = 0; b < sim.node_count(); ++b)
      if (!sim.link_cut(a, b)) seen.insert(b);
    return seen;
  }
  ProbeSystem system;
  Simulator sim;
  Rng rng{7};
};

NemesisPtr make(Result<NemesisPtr> made) {
  EXPECT_TRUE(made) << (made ? "" : made.error().message);
  return std::move(made).value();
}

TEST(Partition, HalvesCutEveryLinkBetweenTwoGroups) {
  Cluster cluster(5);
  auto nemesis = make(nemesis::make_partition("halves"));
  NemesisEvent event = nemesis->start(cluster.sim, cluster.rng);
  EXPECT_EQ(event.f, "start-partition");
  EXPECT_EQ(cluster.cut_links().size(), 2u * 3u * 2u);  // 2x3 pairs, both directions
  std::multiset<size_t> sizes;
  for (EndpointId a = 0; a < 5; ++a) sizes.insert(cluster.reach(a).size());
  EXPECT_EQ(sizes, (std::multiset<size_t>{2, 2, 3, 3, 3}));
  nemesis->stop(cluster.sim, cluster.rng);
  EXPECT_TRUE(cluster.cut_links().empty());
}

TEST(Partition, OneIsolatesASingleNodeBothWays) {
  Cluster cluster(5);
  make(nemesis::make_partition("one"))->start(cluster.sim, cluster.rng);
  int isolated = 0;
  for (EndpointId a = 0; a < 5; ++a) isolated += cluster.reach(a).size() == 1;
  EXPECT_EQ(isolated, 1);
  EXPECT_EQ(cluster.cut_links().size(), 8u);
}

TEST(Partition, LeaderIsolatesTheNodeTheSystemCallsLeader) {
  Cluster cluster(5);
  cluster.system.fixed_leader = 3;
  make(nemesis::make_partition("leader"))->start(cluster.sim, cluster.rng);
  EXPECT_EQ(cluster.reach(3), (std::set<EndpointId>{3}));
  for (EndpointId a : {0, 1, 2, 4}) EXPECT_EQ(cluster.reach(a).size(), 4u);
}

TEST(Partition, RingGivesEveryNodeADifferentMajority) {
  for (uint64_t seed = 1; seed <= 5; ++seed) {
    Cluster cluster(5, seed);
    make(nemesis::make_partition("ring"))->start(cluster.sim, cluster.rng);
    std::set<std::set<EndpointId>> views;
    for (EndpointId a = 0; a < 5; ++a) {
      EXPECT_EQ(cluster.reach(a).size(), 3u);
      views.insert(cluster.reach(a));
      for (EndpointId b = 0; b < 5; ++b) EXPECT_EQ(cluster.sim.link_cut(a, b), cluster.sim.link_cut(b, a));
    }
    EXPECT_EQ(views.size(), 5u);
  }
}

TEST(Partition, BridgeJoinsTwoHalvesThroughOneNode) {
  Cluster cluster(5);
  make(nemesis::make_partition("bridge"))->start(cluster.sim, cluster.rng);
  int bridges = 0;
  for (EndpointId a = 0; a < 5; ++a) {
    if (cluster.reach(a).size() == 5) ++bridges;
    else EXPECT_EQ(cluster.reach(a).size(), 3u);  // its half (2) and the bridge
  }
  EXPECT_EQ(bridges, 1);
}

TEST(Partition, OnewayCutsOnlyOneDirection) {
  Cluster cluster(5);
  make(nemesis::make_partition("oneway"))->start(cluster.sim, cluster.rng);
  Links cut = cluster.cut_links();
  ASSERT_FALSE(cut.empty());
  for (const auto& [a, b] : cut) EXPECT_FALSE(cluster.sim.link_cut(b, a));
  std::set<EndpointId> senders;
  for (const auto& link : cut) senders.insert(link.first);
  EXPECT_EQ(senders.size(), 2u);  // a minority cannot be heard, but hears everyone
}

TEST(Partition, RecordedEventReplaysToTheSameCut) {
  Cluster first(5, 3), second(5, 3);
  auto nemesis = make(nemesis::make_partition(""));
  for (int i = 0; i < 6; ++i) {
    NemesisEvent event = nemesis->start(first.sim, first.rng);
    ASSERT_TRUE(nemesis->replay(second.sim, event));
    EXPECT_EQ(first.cut_links(), second.cut_links()) << event.value.dump();
    nemesis->stop(first.sim, first.rng);
    nemesis->replay(second.sim, NemesisEvent{"stop-partition", Json()});
  }
}

TEST(Process, KillKeepsUnsyncedWritesAndCrashLosesThem) {
  for (const char* kind : {"kill", "crash"}) {
    Cluster cluster(3);
    for (EndpointId node = 0; node < 3; ++node) probe(cluster.sim, node).env().disk().append("log", "unsynced");
    auto nemesis = make(std::string(kind) == "kill" ? nemesis::make_kill("") : nemesis::make_crash(""));
    NemesisEvent event = nemesis->start(cluster.sim, cluster.rng);
    EndpointId victim = event.value["nodes"][0];
    EXPECT_FALSE(cluster.sim.is_up(victim));
    nemesis->stop(cluster.sim, cluster.rng);
    ASSERT_TRUE(cluster.sim.is_up(victim));
    EXPECT_EQ(cluster.sim.disk(victim).read("log"), std::string(kind) == "kill" ? "unsynced" : "") << kind;
  }
}

TEST(Process, TargetsPickOneAMinorityOrAll) {
  for (auto [option, expected] : std::vector<std::pair<std::string, size_t>>{{"one", 1}, {"minority", 2}, {"all", 5}}) {
    Cluster cluster(5);
    NemesisEvent event = make(nemesis::make_crash(option))->start(cluster.sim, cluster.rng);
    EXPECT_EQ(event.value["nodes"].size(), expected) << option;
    size_t down = 0;
    for (EndpointId node = 0; node < 5; ++node) down += !cluster.sim.is_up(node);
    EXPECT_EQ(down, expected) << option;
  }
}

TEST(Process, PauseHoldsANodeUntilResumed) {
  Cluster cluster(3);
  auto nemesis = make(nemesis::make_pause("leader"));
  cluster.system.fixed_leader = 1;
  nemesis->start(cluster.sim, cluster.rng);
  EXPECT_TRUE(cluster.sim.is_paused(1));
  EXPECT_TRUE(cluster.sim.is_up(1));
  nemesis->stop(cluster.sim, cluster.rng);
  EXPECT_FALSE(cluster.sim.is_paused(1));
}

TEST(Clock, BumpMovesOneNodesClockAndStopResetsIt) {
  Cluster cluster(3);
  cluster.sim.run_until(1000 * kMs);
  auto nemesis = make(nemesis::make_clock("bump"));
  NemesisEvent event = nemesis->start(cluster.sim, cluster.rng);
  EndpointId node = event.value["node"];
  int64_t offset_ns = event.value["offset_ns"];
  EXPECT_NE(offset_ns, 0);
  EXPECT_EQ(probe(cluster.sim, node).env().now_ns(), 1000 * kMs + offset_ns);
  nemesis->stop(cluster.sim, cluster.rng);
  EXPECT_EQ(probe(cluster.sim, node).env().now_ns(), 1000 * kMs);
}

TEST(Clock, StrobeFlipsTheClockEveryPeriod) {
  Cluster cluster(3);
  NemesisEvent event = make(nemesis::make_clock("strobe"))->start(cluster.sim, cluster.rng);
  EndpointId node = event.value["node"];
  int64_t period_ns = event.value["strobe_period_ns"], delta_ns = event.value["strobe_delta_ns"];
  cluster.sim.run_until(period_ns / 2);
  EXPECT_EQ(probe(cluster.sim, node).env().now_ns(), period_ns / 2);
  cluster.sim.run_until(period_ns + period_ns / 2);
  EXPECT_EQ(probe(cluster.sim, node).env().now_ns(), period_ns + period_ns / 2 + delta_ns);
}

TEST(Clock, SkewMakesAClockRunFastOrSlow) {
  Cluster cluster(3);
  NemesisEvent event = make(nemesis::make_clock("skew"))->start(cluster.sim, cluster.rng);
  EndpointId node = event.value["node"];
  int64_t drift_ppm = event.value["drift_ppm"];
  cluster.sim.run_until(1000 * kMs);
  EXPECT_EQ(probe(cluster.sim, node).env().now_ns(), 1000 * kMs + 1000 * kMs / 1'000'000 * drift_ppm);
}

TEST(Flaky, LinksItNamesLoseMessagesAtItsRate) {
  Cluster cluster(3);
  auto nemesis = make(nemesis::make_flaky(""));
  NemesisEvent event = nemesis->start(cluster.sim, cluster.rng);
  ASSERT_FALSE(event.value["links"].empty());
  EndpointId from = event.value["links"][0][0], to = event.value["links"][0][1];
  const int sent = 4000;
  for (int i = 0; i < sent; ++i) probe(cluster.sim, from).env().send(to, make_message(testing::Note{"x"}));
  double loss = event.value["loss_probability"];
  EXPECT_NEAR(static_cast<double>(cluster.sim.stats().dropped_loss), loss * sent, 5 * std::sqrt(sent * loss * (1 - loss)));
  nemesis->stop(cluster.sim, cluster.rng);
  uint64_t lost_before = cluster.sim.stats().dropped_loss;
  for (int i = 0; i < 100; ++i) probe(cluster.sim, from).env().send(to, make_message(testing::Note{"x"}));
  EXPECT_EQ(cluster.sim.stats().dropped_loss, lost_before);
}

// When (simulated time) the message with this text reached a node.
std::optional<int64_t> arrival_ns(const ProbeSystem& system, const std::string& text) {
  for (const auto& seen : system.log)
    if (seen.what.ends_with(" " + text)) return seen.local_time_ns;
  return std::nullopt;
}

TEST(Slow, ALinkItNamesDeliversLateWhatItCarriedThenRecovers) {
  Cluster cluster(3);
  auto nemesis = make(nemesis::make_slow("link"));
  NemesisEvent event = nemesis->start(cluster.sim, cluster.rng);
  ASSERT_EQ(event.value["links"].size(), 1u);
  EndpointId from = event.value["links"][0][0], to = event.value["links"][0][1];
  const int64_t latency_ns = event.value["latency_ns_base"];
  EXPECT_GE(latency_ns, 20 * kMs);
  EXPECT_LE(latency_ns, 2000 * kMs);
  probe(cluster.sim, from).env().send(to, make_message(testing::Note{"slowed"}));
  const EndpointId other = 3 - from - to;  // the third node: its links are untouched
  probe(cluster.sim, from).env().send(other, make_message(testing::Note{"beside"}));
  NemesisEvent stop = nemesis->stop(cluster.sim, cluster.rng);
  EXPECT_EQ(stop.value["links"], event.value["links"]);  // a stop names what it restores
  probe(cluster.sim, from).env().send(to, make_message(testing::Note{"after"}));
  cluster.sim.run_until(3000 * kMs);
  ASSERT_TRUE(arrival_ns(cluster.system, "slowed") && arrival_ns(cluster.system, "beside") &&
              arrival_ns(cluster.system, "after"));
  EXPECT_GE(*arrival_ns(cluster.system, "slowed"), latency_ns);  // sent during the fault: late
  EXPECT_LT(*arrival_ns(cluster.system, "beside"), 20 * kMs);
  EXPECT_LT(*arrival_ns(cluster.system, "after"), 20 * kMs);  // sent after the stop: on time
}

TEST(Slow, OutDelaysEveryLinkLeavingOneNodeAndNothingElse) {
  Cluster cluster(4);
  NemesisEvent event = make(nemesis::make_slow("out"))->start(cluster.sim, cluster.rng);
  ASSERT_EQ(event.value["links"].size(), 3u);
  const EndpointId node = event.value["links"][0][0];
  for (const auto& link : event.value["links"]) EXPECT_EQ(link[0], node);
}

TEST(Slow, RequestsDelaysWhatClientsSendToOneNodeOnly) {
  Cluster cluster(3);
  NemesisEvent event = make(nemesis::make_slow("requests"))->start(cluster.sim, cluster.rng);
  EXPECT_TRUE(event.value["links"].empty());
  ASSERT_TRUE(event.value.contains("client_node"));
}

TEST(Slow, AStopOfFlakyLeavesASlowLinkSlow) {
  Cluster cluster(3);
  auto slow = make(nemesis::make_slow("out"));
  auto flaky = make(nemesis::make_flaky(""));
  NemesisEvent slowed = slow->start(cluster.sim, cluster.rng);
  flaky->start(cluster.sim, cluster.rng);
  flaky->stop(cluster.sim, cluster.rng);
  EndpointId from = slowed.value["links"][0][0], to = slowed.value["links"][0][1];
  probe(cluster.sim, from).env().send(to, make_message(testing::Note{"slowed"}));
  cluster.sim.run_until(3000 * kMs);
  ASSERT_TRUE(arrival_ns(cluster.system, "slowed"));
  EXPECT_GE(*arrival_ns(cluster.system, "slowed"), slowed.value["latency_ns_base"].get<int64_t>());
}

TEST(Nemesis, UnknownOptionsAreRejected) {
  EXPECT_FALSE(nemesis::make_partition("triangle"));
  EXPECT_FALSE(nemesis::make_kill("most"));
  EXPECT_FALSE(nemesis::make_clock("sundial"));
  EXPECT_FALSE(nemesis::make_flaky("very"));
  EXPECT_FALSE(nemesis::make_slow("glacial"));
}

}  // namespace
}  // namespace faultline
