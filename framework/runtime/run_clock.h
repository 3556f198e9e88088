#pragma once
// The real runtime's one clock: CLOCK_MONOTONIC (std::chrono::steady_clock on Linux), which
// every process on the machine reads alike, so the runner and its nodes agree on the run's
// time: nanoseconds since the epoch the runner took at its start.
#include <chrono>
#include <cstdint>

namespace faultline::runtime {

inline int64_t monotonic_now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

inline std::chrono::steady_clock::time_point monotonic_time_point(int64_t ns) {
  return std::chrono::steady_clock::time_point(std::chrono::nanoseconds(ns));
}

}  // namespace faultline::runtime
