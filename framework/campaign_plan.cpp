#include "framework/campaign_plan.h"

#include <charconv>

namespace faultline {

namespace {

bool parse_unsigned(std::string_view text, uint64_t& value) {
  if (text.empty()) return false;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  return error == std::errc() && end == text.data() + text.size();
}

}  // namespace

Result<void> check_seed_range(const SeedRange& range, const std::string& what) {
  const std::string text = std::to_string(range.first) + ".." + std::to_string(range.last);
  if (range.first > range.last) return fail(what + ": the range " + text + " is empty (A must be <= B)");
  if (range.last - range.first >= kMaxSeedsPerCampaign)
    return fail(what + ": " + text + " is more than " + std::to_string(kMaxSeedsPerCampaign) + " seeds");
  return outcome::success();
}

Result<void> check_shard(const Shard& shard, const std::string& what) {
  if (shard.count < 1 || shard.count > kMaxShards || shard.index < 0 || shard.index >= shard.count)
    return fail(what + ": expected I/N with 0 <= I < N <= " + std::to_string(kMaxShards) + ", got " +
                std::to_string(shard.index) + "/" + std::to_string(shard.count));
  return outcome::success();
}

Result<SeedRange> parse_seed_range(const std::string& text) {
  auto dots = text.find("..");
  SeedRange range;
  bool ok = dots == std::string::npos
                ? parse_unsigned(text, range.first) && parse_unsigned(text, range.last)
                : parse_unsigned(std::string_view(text).substr(0, dots), range.first) &&
                      parse_unsigned(std::string_view(text).substr(dots + 2), range.last);
  if (!ok) return fail("--seeds: expected A..B (non-negative integers), got \"" + text + "\"");
  BOOST_OUTCOME_TRYV(check_seed_range(range, "--seeds"));
  return range;
}

Result<Shard> parse_shard(const std::string& text) {
  auto slash = text.find('/');
  uint64_t index = 0, count = 0;
  if (slash == std::string::npos || !parse_unsigned(std::string_view(text).substr(0, slash), index) ||
      !parse_unsigned(std::string_view(text).substr(slash + 1), count) || count > static_cast<uint64_t>(kMaxShards))
    return fail("--shard: expected I/N with 0 <= I < N <= " + std::to_string(kMaxShards) + ", got \"" + text + "\"");
  const Shard shard{static_cast<int>(index), static_cast<int>(count)};
  BOOST_OUTCOME_TRYV(check_shard(shard, "--shard"));
  return shard;
}

Result<Shard> shard_from_index_text(const std::string& index_text, int count, const std::string& where) {
  uint64_t index = 0;
  if (!parse_unsigned(index_text, index) || index >= static_cast<uint64_t>(count))
    return fail(where + ": expected a shard index in [0, " + std::to_string(count) + "), got \"" +
                index_text + "\"");
  return Shard{static_cast<int>(index), count};
}

std::vector<uint64_t> seeds_of_shard(const SeedRange& range, const Shard& shard) {
  // parse_seed_range bounds the size, so size * count cannot overflow.
  uint64_t size = range.last - range.first + 1;
  uint64_t begin = size * static_cast<uint64_t>(shard.index) / static_cast<uint64_t>(shard.count);
  uint64_t end = size * static_cast<uint64_t>(shard.index + 1) / static_cast<uint64_t>(shard.count);
  std::vector<uint64_t> seeds;
  for (uint64_t i = begin; i < end; ++i) seeds.push_back(range.first + i);
  return seeds;
}

}  // namespace faultline
