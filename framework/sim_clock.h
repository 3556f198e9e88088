#pragma once
// A simulated node's clocks (DESIGN.md, "clock faults"), as exact integer arithmetic on
// virtual time. Like a real machine it has two:
//  - the time-of-day clock, what Env::now_ns() reads: true time plus an offset, plus the
//    drift accumulated since the fault that set it, plus a strobe (a jump during every
//    other strobe period);
//  - the timer clock, what timers measure: elapsed time at the drifted rate only. Offsets
//    and strobes jump the reading, not the rate, so they never move a timer; the timer
//    clock is continuous when the drift changes (CLOCK_MONOTONIC under NTP slewing).
// A new drift counts from the moment it is set: a drift set at t = 2 s changes nothing at
// 2 s (it does not apply to the time before it).
#include <cstdint>

namespace faultline {

// The clock values a fault may set; the simulator asserts them and a scripted fault is
// checked against them before a run.
inline constexpr int64_t kClockOffsetLimit_ns = 365LL * 24 * 3600 * 1'000'000'000;  // |offset| and |strobe delta|
inline constexpr int64_t kClockDriftMin_ppm = -999'999;  // a clock cannot stop or run backwards
inline constexpr int64_t kClockDriftMax_ppm = 1'000'000;  // at most twice as fast as true time
// A timer set for longer is set for this long: it never fires in any run, and deadlines
// stay far from overflow in both worlds.
inline constexpr int64_t kLongestTimer_ns = INT64_MAX / 8;

class SimClock {
 public:
  // What the node reads at virtual time t (t never precedes the last set()).
  int64_t read(int64_t t) const;
  // The timer clock at virtual time t.
  int64_t elapsed(int64_t t) const;
  // The first virtual time, not before now, at which the timer clock reaches deadline.
  // It lies strictly after now whenever elapsed(now) < deadline, so a timer re-armed for
  // what remains always moves virtual time forward.
  int64_t when_elapsed_reaches(int64_t deadline, int64_t now) const;

  // From virtual time t on: true time + offset_ns, running drift_ppm fast (slow if < 0).
  void set(int64_t t, int64_t offset_ns, int64_t drift_ppm);
  // A reading delta_ns ahead during every other period_ns of virtual time (0 turns it off).
  void set_strobe(int64_t delta_ns, int64_t period_ns);

 private:
  int64_t drift_since(int64_t t) const;  // the drift accumulated from since_ns_ to t

  int64_t offset_ns_ = 0;
  int64_t drift_ppm_ = 0;
  int64_t since_ns_ = 0;            // virtual time of the last set()
  int64_t elapsed_at_since_ns_ = 0;  // the timer clock then
  int64_t strobe_delta_ns_ = 0;
  int64_t strobe_period_ns_ = 0;
};

}  // namespace faultline
