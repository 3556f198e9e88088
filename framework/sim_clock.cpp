#include "framework/sim_clock.h"

#include <algorithm>
#include <cstdint>

#include "base/assert.h"
#include "framework/random.h"

namespace faultline {

namespace {

constexpr int64_t kPpm = 1'000'000;
constexpr int64_t kNever_ns = INT64_MAX / 4;  // later than any run ends, and safe to add to

// Rounds toward negative infinity (C++ division truncates toward zero), so a reading never
// depends on which side of zero an intermediate product lies.
Int128 floor_div(Int128 numerator, Int128 denominator) {
  Int128 quotient = numerator / denominator;
  return (numerator % denominator != 0 && (numerator < 0) != (denominator < 0)) ? quotient - 1 : quotient;
}

Int128 ceil_div(Int128 numerator, Int128 denominator) { return -floor_div(-numerator, denominator); }

}  // namespace

int64_t SimClock::drift_since(int64_t t) const {
  FAULTLINE_ASSERT(t >= since_ns_, "a clock read before its last setting");
  return static_cast<int64_t>(floor_div(static_cast<Int128>(t - since_ns_) * drift_ppm_, kPpm));
}

int64_t SimClock::read(int64_t t) const {
  const bool strobe_ahead = strobe_period_ns_ > 0 && (t / strobe_period_ns_) % 2 == 1;
  return t + offset_ns_ + drift_since(t) + (strobe_ahead ? strobe_delta_ns_ : 0);
}

int64_t SimClock::elapsed(int64_t t) const { return elapsed_at_since_ns_ + (t - since_ns_) + drift_since(t); }

// elapsed(since + u) = elapsed_at_since + floor(u * (1e6 + drift) / 1e6), which reaches
// elapsed_at_since + remaining exactly when u >= remaining * 1e6 / (1e6 + drift): the least
// such u is the ceiling (both sides are integers, and 1e6 + drift > 0).
int64_t SimClock::when_elapsed_reaches(int64_t deadline, int64_t now) const {
  const Int128 remaining = static_cast<Int128>(deadline) - elapsed_at_since_ns_;
  const Int128 u = ceil_div(remaining * kPpm, kPpm + drift_ppm_);
  return static_cast<int64_t>(std::clamp<Int128>(since_ns_ + u, now, kNever_ns));
}

void SimClock::set(int64_t t, int64_t offset_ns, int64_t drift_ppm) {
  FAULTLINE_ASSERT(drift_ppm >= kClockDriftMin_ppm && drift_ppm <= kClockDriftMax_ppm,
                   "a clock drift out of range (it cannot stop or run backwards)");
  FAULTLINE_ASSERT(offset_ns >= -kClockOffsetLimit_ns && offset_ns <= kClockOffsetLimit_ns,
                   "a clock offset out of range");
  elapsed_at_since_ns_ = elapsed(t);
  since_ns_ = t;
  offset_ns_ = offset_ns;
  drift_ppm_ = drift_ppm;
}

void SimClock::set_strobe(int64_t delta_ns, int64_t period_ns) {
  FAULTLINE_ASSERT(period_ns >= 0, "a strobe period cannot be negative");
  FAULTLINE_ASSERT(delta_ns >= -kClockOffsetLimit_ns && delta_ns <= kClockOffsetLimit_ns,
                   "a strobe jump out of range");
  strobe_delta_ns_ = delta_ns;
  strobe_period_ns_ = period_ns;
}

}  // namespace faultline
