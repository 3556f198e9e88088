#pragma once
// The sums a subset of counter updates can reach (subset-sum, by dynamic programming over a
// bitset of the range [lower, upper]). An update of unknown outcome may or may not have been
// applied, so a counter read is explained iff it is the sum of the certain updates plus one
// of these sums. The exact set is kept while the range is at most `width_limit` sums wide;
// past it only the bounds [lower, upper] are known, and `exact()` says so.
#include <cstdint>
#include <vector>

namespace faultline {

class SubsetSums {
 public:
  explicit SubsetSums(int64_t width_limit) : width_limit_(width_limit), bits_{1} {}

  // Every sum so far, with and without `amount` (negative for a decrement).
  void add(int64_t amount);
  // Exact: some subset sums to `sum`. Past the limit: lower <= sum <= upper.
  bool may_reach(int64_t sum) const;
  bool exact() const { return exact_; }
  int64_t lower() const { return lower_; }
  int64_t upper() const { return upper_; }

 private:
  int64_t width_limit_;
  int64_t lower_ = 0;
  int64_t upper_ = 0;
  bool exact_ = true;
  std::vector<uint64_t> bits_;  // bit i: lower_ + i is reachable (only while exact)
};

}  // namespace faultline
