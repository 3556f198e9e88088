#include "checkers/subset_sums.h"

#include <algorithm>

#include "base/assert.h"

namespace faultline {
namespace {

// The union of two sorted range lists, with overlapping or adjacent ranges merged.
std::vector<SumRange> merge(const std::vector<SumRange>& a, const std::vector<SumRange>& b) {
  std::vector<SumRange> both;
  both.reserve(a.size() + b.size());
  std::merge(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(both),
             [](const SumRange& x, const SumRange& y) { return x.low < y.low; });
  std::vector<SumRange> merged;
  for (const SumRange& range : both) {
    if (!merged.empty() && range.low <= merged.back().high + 1)
      merged.back().high = std::max(merged.back().high, range.high);
    else
      merged.push_back(range);
  }
  return merged;
}

SubsetSums hull(const std::vector<int64_t>& values) {
  SumRange range;
  for (int64_t value : values) (value < 0 ? range.low : range.high) += value;
  return SubsetSums{.ranges = {range}, .exact = false};
}

}  // namespace

SubsetSums subset_sums(const std::vector<int64_t>& values, size_t max_ranges) {
  FAULTLINE_ASSERT(max_ranges >= 1, "room for at least one range");
  std::vector<SumRange> ranges{SumRange{.low = 0, .high = 0}};
  for (int64_t value : values) {
    std::vector<SumRange> shifted = ranges;
    for (SumRange& range : shifted) {
      range.low += value;
      range.high += value;
    }
    ranges = merge(ranges, shifted);
    if (ranges.size() > max_ranges) return hull(values);
  }
  return SubsetSums{.ranges = std::move(ranges), .exact = true};
}

bool contains(const SubsetSums& sums, int64_t value) {
  auto it = std::upper_bound(sums.ranges.begin(), sums.ranges.end(), value,
                             [](int64_t x, const SumRange& range) { return x < range.low; });
  return it != sums.ranges.begin() && value <= std::prev(it)->high;
}

}  // namespace faultline
