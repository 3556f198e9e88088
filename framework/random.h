#pragma once
// Our own PRNG and distributions (DESIGN.md, "The simulator"): std:: distributions differ
// between standard libraries, so none is used. xoshiro256** seeded through SplitMix64;
// named child streams are derived from (seed, name) so a draw added in one stream never
// shifts another.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string_view>

#include "base/assert.h"

namespace faultline {

// 128-bit products for exact scaling (GCC extension, on every 64-bit target we build for).
__extension__ using Uint128 = unsigned __int128;
__extension__ using Int128 = __int128;

inline uint64_t splitmix64(uint64_t& state) {
  uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

// FNV-1a: a stable hash of a stream name (std::hash is not stable across libraries).
inline uint64_t stable_hash(std::string_view text) {
  uint64_t hash = 0xcbf29ce484222325ULL;
  for (unsigned char c : text) hash = (hash ^ c) * 0x100000001b3ULL;
  return hash;
}

class Rng {
 public:
  explicit Rng(uint64_t seed) {
    for (auto& word : state_) word = splitmix64(seed);
  }

  // An independent stream for one purpose, e.g. Rng::stream(seed, "network").
  static Rng stream(uint64_t seed, std::string_view name) {
    uint64_t mixed = seed ^ stable_hash(name);
    return Rng(splitmix64(mixed));
  }

  uint64_t next_u64() {
    const uint64_t result = rotl(state_[1] * 5, 7) * 9;
    const uint64_t t = state_[1] << 17;
    state_[2] ^= state_[0];
    state_[3] ^= state_[1];
    state_[1] ^= state_[2];
    state_[0] ^= state_[3];
    state_[2] ^= t;
    state_[3] = rotl(state_[3], 45);
    return result;
  }

  // Uniform in [0, bound), Lemire's multiply-shift with rejection (no modulo bias).
  uint64_t below(uint64_t bound) {
    FAULTLINE_ASSERT(bound > 0, "below() needs a positive bound");
    Uint128 product = static_cast<Uint128>(next_u64()) * bound;
    auto low = static_cast<uint64_t>(product);
    if (low < bound) {
      const uint64_t threshold = -bound % bound;
      while (low < threshold) {
        product = static_cast<Uint128>(next_u64()) * bound;
        low = static_cast<uint64_t>(product);
      }
    }
    return static_cast<uint64_t>(product >> 64);
  }

  // Uniform in [low, high], inclusive.
  int64_t between(int64_t low, int64_t high) {
    FAULTLINE_ASSERT(low <= high, "between() needs low <= high");
    return low + static_cast<int64_t>(below(static_cast<uint64_t>(high - low) + 1));
  }

  // Uniform in [0, 1) with 53 bits.
  double unit() { return static_cast<double>(next_u64() >> 11) * 0x1.0p-53; }

  bool chance(double probability) { return probability > 0 && unit() < probability; }

  // Log-uniform in [low, high] (0 < low <= high): each decade as likely as the next, so a
  // knob drawn over 5..500 is as often near 5 as near 500.
  double log_uniform(double low, double high) {
    FAULTLINE_ASSERT(0 < low && low <= high, "log_uniform() needs 0 < low <= high");
    return low * std::exp(unit() * std::log(high / low));
  }

  // Pareto with shape 1.5 and this mean, at least 1 ms and at most cap_ns: most draws are
  // short and a few are very long, unlike a fixed interval (swarm schedules, issue 10). libm's
  // pow may differ across platforms; a run records what it drew, so replays do not depend on it.
  int64_t heavy_tailed_ns(int64_t mean_ns, int64_t cap_ns) {
    FAULTLINE_ASSERT(mean_ns > 0 && cap_ns > 0, "heavy_tailed_ns() needs a positive mean and cap");
    constexpr double kShape = 1.5;
    const double scale_ns = static_cast<double>(mean_ns) * (kShape - 1) / kShape;
    const double drawn_ns = scale_ns / std::pow(1.0 - unit(), 1.0 / kShape);
    return std::clamp<int64_t>(static_cast<int64_t>(std::min(drawn_ns, 9e18)), 1'000'000, std::max<int64_t>(cap_ns, 1'000'000));
  }

 private:
  static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  uint64_t state_[4];
};

}  // namespace faultline
