#pragma once
// The sums of all subsets of a list of integers (the empty subset included), as sorted,
// disjoint ranges: Maelstrom's pn-counter rule needs "the acknowledged total plus the sum of
// any subset of the uncertain updates". Sums of small amounts are dense, so a few ranges
// hold them; adversarial amounts can need exponentially many, so the ranges are bounded.
#include <cstddef>
#include <cstdint>
#include <vector>

namespace faultline {

struct SumRange {
  int64_t low = 0;   // inclusive
  int64_t high = 0;  // inclusive
};

struct SubsetSums {
  std::vector<SumRange> ranges;  // sorted, disjoint and not adjacent
  bool exact = true;             // false: more than the bound of ranges; `ranges` is then the one range
                                 // [sum of the negatives, sum of the positives], a superset
};

// The caller keeps the absolute sum of `values` within int64.
SubsetSums subset_sums(const std::vector<int64_t>& values, size_t max_ranges);

bool contains(const SubsetSums& sums, int64_t value);

}  // namespace faultline
