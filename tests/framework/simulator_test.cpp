#include <gtest/gtest.h>

#include <cmath>

#include "framework/simulator.h"
#include "probe_system.h"

namespace faultline {
namespace {

using testing::probe;
using testing::ProbeSystem;

constexpr int64_t kMs = 1'000'000;

SimConfig fixed_latency_config(int nodes, int64_t latency_ns) {
  SimConfig config;
  config.node_count = nodes;
  config.default_link.latency_ns_base = latency_ns;
  config.default_link.latency_ns_jitter = 0;
  return config;
}

MessagePtr note(std::string text) { return make_message(testing::Note{std::move(text)}); }

int count_seen(const ProbeSystem& system, EndpointId at, const std::string& what) {
  int count = 0;
  for (const auto& seen : system.log) count += seen.at == at && seen.what == what;
  return count;
}

TEST(Simulator, DeliversAfterLatency) {
  ProbeSystem system;
  Simulator sim(system, fixed_latency_config(2, 10 * kMs));
  sim.start_nodes();
  probe(sim, 0).env().send(1, note("hello"));
  sim.run_until(9 * kMs);
  EXPECT_EQ(count_seen(system, 1, "msg 0 hello"), 0);
  sim.run_until(10 * kMs);
  EXPECT_EQ(count_seen(system, 1, "msg 0 hello"), 1);
}

TEST(Simulator, RecordsOnlyTheFirstMessagesForAReport) {
  // A run that floods the network kept every message alive through its record (24 GB on a
  // replication storm): the log keeps the first max_recorded_messages, the run is unchanged.
  ProbeSystem system;
  SimConfig config = fixed_latency_config(2, 1 * kMs);
  config.max_recorded_messages = 3;
  Simulator sim(system, config);
  std::vector<MessageRecord> log;
  sim.record_messages(&log);
  sim.start_nodes();
  for (int i = 0; i < 5; ++i) probe(sim, 0).env().send(1, note("m" + std::to_string(i)));
  sim.run_until(10 * kMs);
  EXPECT_EQ(log.size(), 3u);
  for (int i = 0; i < 5; ++i) EXPECT_EQ(count_seen(system, 1, "msg 0 m" + std::to_string(i)), 1) << i;
}

TEST(Simulator, CutLinkDropsMessagesAlreadyInFlight) {
  ProbeSystem system;
  Simulator sim(system, fixed_latency_config(3, 10 * kMs));
  sim.start_nodes();
  probe(sim, 0).env().send(1, note("lost"));
  probe(sim, 0).env().send(2, note("kept"));
  sim.run_until(5 * kMs);
  sim.cut_link(0, 1);  // the first message is on the wire now
  sim.run_until(20 * kMs);
  EXPECT_EQ(count_seen(system, 1, "msg 0 lost"), 0);
  EXPECT_EQ(count_seen(system, 2, "msg 0 kept"), 1);
  EXPECT_EQ(sim.stats().dropped_cut, 1u);
  // Links are directed: the way back still works.
  probe(sim, 1).env().send(0, note("back"));
  sim.run_until(40 * kMs);
  EXPECT_EQ(count_seen(system, 0, "msg 1 back"), 1);
}

TEST(Simulator, OperatorCommandsArriveWhateverTheLinksAndWaitOutAPause) {
  ProbeSystem system;
  Simulator sim(system, fixed_latency_config(2, 10 * kMs));
  sim.start_nodes();
  sim.cut_link(1, 0);
  sim.send_operator_message(0, note("join"));
  sim.run_until(kMs);
  EXPECT_EQ(count_seen(system, 0, "msg -2 join"), 1);
  sim.pause(1);
  sim.send_operator_message(1, note("leave"));
  sim.run_until(2 * kMs);
  EXPECT_EQ(count_seen(system, 1, "msg -2 leave"), 0) << "held while paused";
  sim.resume(1);
  sim.run_until(3 * kMs);
  EXPECT_EQ(count_seen(system, 1, "msg -2 leave"), 1);
  sim.crash(0, CrashMode::kill);
  sim.send_operator_message(0, note("lost"));
  sim.run_until(4 * kMs);
  EXPECT_EQ(count_seen(system, 0, "msg -2 lost"), 0) << "lost while down";
}

TEST(Simulator, HealedLinkDeliversAgain) {
  ProbeSystem system;
  Simulator sim(system, fixed_latency_config(2, kMs));
  sim.start_nodes();
  sim.cut_link(0, 1);
  probe(sim, 0).env().send(1, note("a"));
  sim.run_until(5 * kMs);
  sim.heal_link(0, 1);
  probe(sim, 0).env().send(1, note("b"));
  sim.run_until(10 * kMs);
  EXPECT_EQ(count_seen(system, 1, "msg 0 a"), 0);
  EXPECT_EQ(count_seen(system, 1, "msg 0 b"), 1);
}

// Binomial bounds: the observed count is within 5 standard deviations of n*p.
void expect_rate(uint64_t observed, uint64_t trials, double p) {
  double mean = static_cast<double>(trials) * p;
  double sigma = std::sqrt(static_cast<double>(trials) * p * (1 - p));
  EXPECT_NEAR(static_cast<double>(observed), mean, 5 * sigma) << "trials " << trials << ", p " << p;
}

TEST(Simulator, LossAndDuplicationMatchTheirSettings) {
  for (uint64_t seed : {1u, 2u, 3u}) {
    ProbeSystem system;
    SimConfig config = fixed_latency_config(2, kMs);
    config.seed = seed;
    config.default_link.loss_probability = 0.2;
    config.default_link.duplicate_probability = 0.1;
    Simulator sim(system, config);
    sim.start_nodes();
    const uint64_t sent = 50'000;
    for (uint64_t i = 0; i < sent; ++i) probe(sim, 0).env().send(1, note("x"));
    sim.run_until(10 * kMs);
    expect_rate(sim.stats().dropped_loss, sent, 0.2);
    uint64_t survived = sent - sim.stats().dropped_loss;
    expect_rate(sim.stats().duplicated, survived, 0.1);
    EXPECT_EQ(static_cast<uint64_t>(count_seen(system, 1, "msg 0 x")), survived + sim.stats().duplicated);
  }
}

TEST(Simulator, JitterReordersMessages) {
  ProbeSystem system;
  SimConfig config = fixed_latency_config(2, kMs);
  config.default_link.latency_ns_jitter = 10 * kMs;
  Simulator sim(system, config);
  sim.start_nodes();
  for (int i = 0; i < 100; ++i) probe(sim, 0).env().send(1, note(std::to_string(i)));
  sim.run_until(20 * kMs);
  std::vector<int> order;
  for (const auto& seen : system.log)
    if (seen.at == 1 && seen.what.rfind("msg", 0) == 0) order.push_back(std::stoi(seen.what.substr(6)));
  ASSERT_EQ(order.size(), 100u);
  EXPECT_FALSE(std::is_sorted(order.begin(), order.end()));
}

TEST(Simulator, PowerLossKeepsSyncedBytesAndLosesTheRest) {
  ProbeSystem system;
  Simulator sim(system, fixed_latency_config(1, kMs));
  sim.start_nodes();
  Disk& disk = probe(sim, 0).env().disk();
  disk.append("log", "synced;");
  disk.fsync("log");
  disk.append("log", "unsynced;");
  disk.overwrite("meta", "never synced");
  EXPECT_EQ(disk.read("log"), "synced;unsynced;");  // reads see the page cache
  sim.crash(0, CrashMode::power_loss);
  EXPECT_EQ(sim.node(0), nullptr);
  sim.restart(0);
  EXPECT_EQ(probe(sim, 0).env().disk().read("log"), "synced;");
  EXPECT_EQ(probe(sim, 0).env().disk().read("meta"), "");
}

TEST(Simulator, KillKeepsUnsyncedBytes) {
  ProbeSystem system;
  Simulator sim(system, fixed_latency_config(1, kMs));
  sim.start_nodes();
  probe(sim, 0).env().disk().append("log", "in page cache");
  sim.crash(0, CrashMode::kill);
  sim.restart(0);
  EXPECT_EQ(probe(sim, 0).env().disk().read("log"), "in page cache");
  EXPECT_EQ(count_seen(system, 0, "start"), 2);  // a fresh core was built and started
}

TEST(Simulator, TornWritesKeepAPrefixOfTheUnsyncedTail) {
  int torn = 0, whole = 0, lost = 0;
  for (uint64_t seed = 1; seed <= 200; ++seed) {
    ProbeSystem system;
    SimConfig config = fixed_latency_config(1, kMs);
    config.seed = seed;
    config.torn_writes = true;
    Simulator sim(system, config);
    sim.start_nodes();
    Disk& disk = probe(sim, 0).env().disk();
    disk.append("log", "AAAA");
    disk.fsync("log");
    disk.append("log", "BBBBBBBB");
    sim.crash(0, CrashMode::power_loss);
    sim.restart(0);
    std::string after(probe(sim, 0).env().disk().read("log"));
    // Whatever survives is the synced bytes plus a prefix of the unsynced append.
    ASSERT_EQ(after.substr(0, 4), "AAAA");
    ASSERT_LE(after.size(), 12u);
    ASSERT_EQ(after.substr(4), std::string(after.size() - 4, 'B'));
    if (after.size() == 4) ++lost;
    else if (after.size() == 12) ++whole;
    else ++torn;
  }
  EXPECT_GT(torn, 0);
  EXPECT_GT(whole, 0);
  EXPECT_GT(lost, 0);
}

TEST(Simulator, CrashedNodeLosesTimersAndMessages) {
  ProbeSystem system;
  Simulator sim(system, fixed_latency_config(2, 10 * kMs));
  sim.start_nodes();
  probe(sim, 1).env().set_timer(5 * kMs, 7);
  probe(sim, 0).env().send(1, note("to the dead"));
  sim.crash(1, CrashMode::kill);
  sim.run_until(20 * kMs);
  sim.restart(1);
  sim.run_until(40 * kMs);
  EXPECT_EQ(count_seen(system, 1, "timer 7"), 0);
  EXPECT_EQ(count_seen(system, 1, "msg 0 to the dead"), 0);
  EXPECT_EQ(sim.stats().dropped_down, 1u);
}

TEST(Simulator, PausedNodeHoldsTimersAndMessagesThenHandlesThem) {
  ProbeSystem system;
  Simulator sim(system, fixed_latency_config(2, kMs));
  sim.start_nodes();
  probe(sim, 1).env().set_timer(5 * kMs, 9);
  sim.pause(1);
  probe(sim, 0).env().send(1, note("wait"));
  sim.run_until(100 * kMs);
  EXPECT_EQ(count_seen(system, 1, "timer 9"), 0);
  EXPECT_EQ(count_seen(system, 1, "msg 0 wait"), 0);
  sim.resume(1);
  sim.run_until(100 * kMs);  // events held until now are handled at the resume time
  EXPECT_EQ(count_seen(system, 1, "timer 9"), 1);
  EXPECT_EQ(count_seen(system, 1, "msg 0 wait"), 1);
  EXPECT_EQ(system.log.back().local_time_ns, 100 * kMs);
}

TEST(Simulator, CancelledTimerNeverFires) {
  ProbeSystem system;
  Simulator sim(system, fixed_latency_config(1, kMs));
  sim.start_nodes();
  TimerId id = probe(sim, 0).env().set_timer(5 * kMs, 1);
  probe(sim, 0).env().set_timer(6 * kMs, 2);
  probe(sim, 0).env().cancel_timer(id);
  sim.run_until(10 * kMs);
  EXPECT_EQ(count_seen(system, 0, "timer 1"), 0);
  EXPECT_EQ(count_seen(system, 0, "timer 2"), 1);
}

TEST(Simulator, ClockOffsetAndDriftAreVisibleToTheNode) {
  ProbeSystem system;
  Simulator sim(system, fixed_latency_config(2, kMs));
  sim.start_nodes();
  sim.run_until(1000 * kMs);
  sim.set_clock(1, 250 * kMs, 0);
  EXPECT_EQ(probe(sim, 0).env().now_ns(), 1000 * kMs);
  EXPECT_EQ(probe(sim, 1).env().now_ns(), 1250 * kMs);
  sim.set_clock(1, 0, 100'000);  // 10% fast from now on: no jump when the drift starts
  EXPECT_EQ(probe(sim, 1).env().now_ns(), 1000 * kMs);
  // A fast clock fires a 110 ms timer after 100 ms of real (virtual) time.
  probe(sim, 1).env().set_timer(110 * kMs, 3);
  sim.run_until(1099 * kMs);
  EXPECT_EQ(count_seen(system, 1, "timer 3"), 0);
  sim.run_until(1100 * kMs);
  EXPECT_EQ(count_seen(system, 1, "timer 3"), 1);
}

TEST(Simulator, CodecRoundTripCarriesMessages) {
  ProbeSystem system;
  SimConfig config = fixed_latency_config(2, kMs);
  config.codec_roundtrip = true;
  Simulator sim(system, config);
  sim.start_nodes();
  probe(sim, 0).env().send(1, note("through the codec"));
  sim.run_until(5 * kMs);
  EXPECT_EQ(count_seen(system, 1, "msg 0 through the codec"), 1);
}

std::vector<std::string> random_traffic_trace(uint64_t seed) {
  ProbeSystem system;
  SimConfig config;
  config.seed = seed;
  config.node_count = 4;
  config.default_link.loss_probability = 0.1;
  config.default_link.duplicate_probability = 0.1;
  Simulator sim(system, config);
  sim.start_nodes();
  for (int round = 0; round < 50; ++round) {
    for (EndpointId from = 0; from < 4; ++from) {
      Env& env = probe(sim, from).env();
      env.send(static_cast<EndpointId>(env.rng().below(4)), note(std::to_string(round)));
      env.set_timer(static_cast<int64_t>(env.rng().below(5 * kMs)), round);
    }
    sim.run_until((round + 1) * 2 * kMs);
  }
  std::vector<std::string> trace;
  for (const auto& seen : system.log)
    trace.push_back(std::to_string(seen.local_time_ns) + " " + std::to_string(seen.at) + " " + seen.what);
  return trace;
}

TEST(Simulator, SameSeedSameTraceOtherSeedOtherTrace) {
  EXPECT_EQ(random_traffic_trace(42), random_traffic_trace(42));
  EXPECT_NE(random_traffic_trace(42), random_traffic_trace(43));
}

}  // namespace
}  // namespace faultline
