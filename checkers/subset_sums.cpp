#include "checkers/subset_sums.h"

#include <algorithm>
#include <cstdlib>

namespace faultline {

namespace {

// bits |= bits << shift, over `width` bits.
void shift_or(std::vector<uint64_t>& bits, uint64_t shift, uint64_t width) {
  bits.resize((width + 63) / 64, 0);
  const size_t word_shift = shift / 64;
  const unsigned bit_shift = shift % 64;
  for (size_t i = bits.size(); i-- > word_shift;) {
    uint64_t moved = bits[i - word_shift] << bit_shift;
    if (bit_shift != 0 && i > word_shift) moved |= bits[i - word_shift - 1] >> (64 - bit_shift);
    bits[i] |= moved;
  }
}

}  // namespace

void SubsetSums::add(int64_t amount) {
  if (amount == 0) return;
  lower_ += std::min<int64_t>(amount, 0);
  upper_ += std::max<int64_t>(amount, 0);
  if (!exact_) return;
  if (upper_ - lower_ + 1 > width_limit_) {
    exact_ = false;
    bits_.clear();
    return;
  }
  // A positive amount keeps the old sums at their offsets and adds them shifted up; a negative
  // one lowers `lower_`, which moves the old sums up by |amount| and leaves the new ones where
  // the old were: both are bits | (bits << |amount|).
  shift_or(bits_, static_cast<uint64_t>(std::llabs(amount)), static_cast<uint64_t>(upper_ - lower_ + 1));
}

bool SubsetSums::may_reach(int64_t sum) const {
  if (sum < lower_ || sum > upper_) return false;
  if (!exact_) return true;
  const uint64_t offset = static_cast<uint64_t>(sum - lower_);
  return (bits_[offset / 64] >> (offset % 64)) & 1;
}

}  // namespace faultline
