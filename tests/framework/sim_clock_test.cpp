// The simulated clocks (framework/sim_clock.h) against a reference written from their
// definition, and the simulator's timers on them: a timer never fires before its deadline on
// the node's timer clock, a timer re-armed for what remains always moves virtual time
// forward (issue 9, defect 21: a run looped forever at one instant), and a drift counts from
// the moment it is set.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <vector>

#include "framework/random.h"
#include "framework/sim_clock.h"
#include "framework/simulator.h"
#include "probe_system.h"

namespace faultline {
namespace {

using testing::probe;
using testing::ProbeSystem;

constexpr int64_t kMs = 1'000'000;
constexpr int64_t kSec = 1'000 * kMs;

// One clock fault: from at_ns on, these settings.
struct Setting {
  int64_t at_ns = 0;
  int64_t offset_ns = 0;
  int64_t drift_ppm = 0;
  int64_t strobe_delta_ns = 0;
  int64_t strobe_period_ns = 0;
};

// The definition, segment by segment: between two settings the timer clock advances by the
// segment's length times (1 + drift / 10^6), rounded down; the reading is true time plus the
// offset plus the drift accumulated since the last setting (rounded down), plus the strobe
// during odd strobe periods.
struct ReferenceClock {
  std::vector<Setting> settings;  // in time order

  static int64_t advance(int64_t length_ns, int64_t drift_ppm) {
    Int128 scaled = static_cast<Int128>(length_ns) * (1'000'000 + drift_ppm);
    Int128 whole = scaled / 1'000'000;
    return static_cast<int64_t>(scaled % 1'000'000 < 0 ? whole - 1 : whole);
  }

  int64_t elapsed(int64_t t) const {
    int64_t total = 0, segment_start = 0, drift = 0;
    for (const Setting& s : settings) {
      if (s.at_ns > t) break;
      total += advance(s.at_ns - segment_start, drift);
      segment_start = s.at_ns;
      drift = s.drift_ppm;
    }
    return total + advance(t - segment_start, drift);
  }

  int64_t read(int64_t t) const {
    Setting last;
    for (const Setting& s : settings)
      if (s.at_ns <= t) last = s;
    int64_t drift = advance(t - last.at_ns, last.drift_ppm) - (t - last.at_ns);
    bool strobe_ahead = last.strobe_period_ns > 0 && (t / last.strobe_period_ns) % 2 == 1;
    return t + last.offset_ns + drift + (strobe_ahead ? last.strobe_delta_ns : 0);
  }

  // The first virtual time >= from at which elapsed() reaches deadline, by bisection (the
  // timer clock never runs backwards).
  int64_t first_reaching(int64_t deadline, int64_t from) const {
    int64_t low = from, high = from + 1;
    while (elapsed(high) < deadline) high = from + 2 * (high - from);
    if (elapsed(low) >= deadline) return low;
    while (high - low > 1) {
      int64_t middle = low + (high - low) / 2;
      (elapsed(middle) >= deadline ? high : low) = middle;
    }
    return high;
  }
};

rc::Gen<Setting> setting_at(int64_t at_ns) {
  return rc::gen::exec([at_ns] {
    Setting s;
    s.at_ns = at_ns;
    s.offset_ns = *rc::gen::inRange<int64_t>(-20 * kSec, 20 * kSec);
    const std::vector<int64_t> edges = {kClockDriftMin_ppm, kClockDriftMax_ppm, 0, 1, -1, 172'138};
    s.drift_ppm = *rc::gen::oneOf(rc::gen::inRange<int64_t>(-300'000, 300'001), rc::gen::elementOf(edges));
    if (*rc::gen::arbitrary<bool>()) {
      s.strobe_delta_ns = *rc::gen::inRange<int64_t>(-5 * kSec, 5 * kSec);
      s.strobe_period_ns = *rc::gen::inRange<int64_t>(1, 200 * kMs);
    }
    return s;
  });
}

// Up to four settings at increasing times within the first 10 s.
rc::Gen<std::vector<Setting>> settings() {
  return rc::gen::exec([] {
    std::vector<int64_t> times = *rc::gen::container<std::vector<int64_t>>(
        *rc::gen::inRange<size_t>(0, 5), rc::gen::inRange<int64_t>(0, 10 * kSec));
    std::sort(times.begin(), times.end());
    std::vector<Setting> result;
    for (int64_t at_ns : times) result.push_back(*setting_at(at_ns));
    return result;
  });
}

SimClock clock_after(const std::vector<Setting>& settings) {
  SimClock clock;
  for (const Setting& s : settings) {
    clock.set(s.at_ns, s.offset_ns, s.drift_ppm);
    clock.set_strobe(s.strobe_delta_ns, s.strobe_period_ns);
  }
  return clock;
}

RC_GTEST_PROP(SimClock, ReadingAndTimerClockFollowTheDefinition, ()) {
  const ReferenceClock reference{*settings()};
  const int64_t last_ns = reference.settings.empty() ? 0 : reference.settings.back().at_ns;
  const int64_t t = last_ns + *rc::gen::inRange<int64_t>(0, 20 * kSec);
  const SimClock clock = clock_after(reference.settings);
  RC_ASSERT(clock.read(t) == reference.read(t));
  RC_ASSERT(clock.elapsed(t) == reference.elapsed(t));
}

RC_GTEST_PROP(SimClock, ATimerFiresAtTheFirstInstantItsDeadlineIsReached, ()) {
  const ReferenceClock reference{*settings()};
  const int64_t last_ns = reference.settings.empty() ? 0 : reference.settings.back().at_ns;
  const int64_t now = last_ns + *rc::gen::inRange<int64_t>(0, 10 * kSec);
  const int64_t delay = *rc::gen::oneOf(rc::gen::inRange<int64_t>(0, 10), rc::gen::inRange<int64_t>(0, 10 * kSec));
  const SimClock clock = clock_after(reference.settings);
  const int64_t deadline = clock.elapsed(now) + delay;
  const int64_t fires = clock.when_elapsed_reaches(deadline, now);
  RC_ASSERT(fires == reference.first_reaching(deadline, now));
  RC_ASSERT(clock.elapsed(fires) >= deadline);      // never early
  if (delay > 0) RC_ASSERT(fires > now);             // a re-arm always moves time forward
}

// A node that sleeps until its clock reads a deadline: it re-arms for whatever its reading
// says remains, as Raft's election timer does. Clock faults land before and during the
// sleep. Each wake-up is at a later virtual instant, and the sleep ends.
RC_GTEST_PROP(SimulatorTimers, SleepingUntilAReadingEndsAndEveryReArmMovesTimeForward, ()) {
  const std::vector<Setting> faults = *settings();
  const int64_t delay = *rc::gen::oneOf(rc::gen::inRange<int64_t>(1, 10), rc::gen::inRange<int64_t>(1, 3 * kSec));
  const int64_t start_ns = *rc::gen::inRange<int64_t>(0, 5 * kSec);
  ProbeSystem system;
  SimConfig config;
  config.node_count = 1;
  Simulator sim(system, config);
  sim.start_nodes();
  for (const Setting& s : faults)
    sim.schedule(s.at_ns, [&sim, s] {
      sim.set_clock(0, s.offset_ns, s.drift_ppm);
      sim.set_clock_strobe(0, s.strobe_delta_ns, s.strobe_period_ns);
    });
  sim.run_until(start_ns);
  Env& env = probe(sim, 0).env();
  const int64_t deadline = env.now_ns() + delay;
  env.set_timer(delay, 7);
  int64_t woke_ns = sim.now_ns();
  for (int wake_ups = 0;; ++wake_ups) {
    RC_ASSERT(wake_ups < 1000);
    const size_t seen = system.log.size();
    while (system.log.size() == seen) RC_ASSERT(sim.step());
    RC_ASSERT(system.log.back().what == "timer 7");
    RC_ASSERT(sim.now_ns() > woke_ns);
    woke_ns = sim.now_ns();
    if (env.now_ns() >= deadline) break;
    env.set_timer(deadline - env.now_ns(), 7);
  }
}

// A timer set before a drift change waits until the timer clock reaches its deadline, even
// when the clock slows down meanwhile.
RC_GTEST_PROP(SimulatorTimers, ATimerNeverFiresBeforeItsDeadlineWhenTheDriftChanges, ()) {
  std::vector<Setting> faults = *settings();
  for (Setting& s : faults) s.strobe_period_ns = s.strobe_delta_ns = 0;
  const int64_t delay = *rc::gen::inRange<int64_t>(0, 12 * kSec);
  ProbeSystem system;
  SimConfig config;
  config.node_count = 1;
  Simulator sim(system, config);
  sim.start_nodes();
  for (const Setting& s : faults) sim.schedule(s.at_ns, [&sim, s] { sim.set_clock(0, s.offset_ns, s.drift_ppm); });
  probe(sim, 0).env().set_timer(delay, 3);
  while (system.log.empty() || system.log.back().what != "timer 3") RC_ASSERT(sim.step());
  const ReferenceClock reference{faults};
  RC_ASSERT(reference.elapsed(sim.now_ns()) >= delay);
}

TEST(SimulatorTimers, AZeroDelayTimerFiresAtTheSameInstant) {
  ProbeSystem system;
  SimConfig config;
  config.node_count = 1;
  Simulator sim(system, config);
  sim.start_nodes();
  sim.run_until(kSec);
  sim.set_clock(0, 0, 172'138);
  probe(sim, 0).env().set_timer(0, 1);
  ASSERT_TRUE(sim.step());
  EXPECT_EQ(sim.now_ns(), kSec);
  EXPECT_EQ(system.log.back().what, "timer 1");
}

TEST(SimulatorClock, ADriftCountsFromWhenItIsSet) {
  ProbeSystem system;
  SimConfig config;
  config.node_count = 1;
  Simulator sim(system, config);
  sim.start_nodes();
  sim.run_until(2 * kSec);
  sim.set_clock(0, 0, 100'000);  // 10% fast from t = 2 s
  EXPECT_EQ(probe(sim, 0).env().now_ns(), 2 * kSec);  // not 2.2 s
  sim.run_until(3 * kSec);
  EXPECT_EQ(probe(sim, 0).env().now_ns(), 3 * kSec + 100 * kMs);
  sim.set_clock(0, 0, 0);  // the fault stops: the clock reads true time again
  EXPECT_EQ(probe(sim, 0).env().now_ns(), 3 * kSec);
}

}  // namespace
}  // namespace faultline
