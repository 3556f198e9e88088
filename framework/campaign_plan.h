#pragma once
// Which seeds a campaign runs: a range A..B split into N shards, so several machines (or a
// Kubernetes Indexed Job) can each run one shard and `faultline merge` joins the outputs.
#include <cstdint>
#include <string>
#include <vector>

#include "base/result.h"

namespace faultline {

struct SeedRange {
  uint64_t first = 1;
  uint64_t last = 1;  // inclusive
  bool operator==(const SeedRange&) const = default;
};

struct Shard {
  int index = 0;
  int count = 1;
  bool operator==(const Shard&) const = default;
};

inline constexpr uint64_t kMaxSeedsPerCampaign = 100'000'000;
inline constexpr int kMaxShards = 100'000;

// A <= B and at most kMaxSeedsPerCampaign seeds; `what` names the flag or file in the error.
Result<void> check_seed_range(const SeedRange& range, const std::string& what);
// 0 <= I < N <= kMaxShards.
Result<void> check_shard(const Shard& shard, const std::string& what);

// "A..B" with A <= B and at most kMaxSeedsPerCampaign seeds, or a single seed "A".
Result<SeedRange> parse_seed_range(const std::string& text);
// "I/N" with 0 <= I < N.
Result<Shard> parse_shard(const std::string& text);
// Shard I of N from the index a Kubernetes Indexed Job gives each pod (JOB_COMPLETION_INDEX).
Result<Shard> shard_from_index_text(const std::string& index_text, int count, const std::string& where);

// Shard I runs a contiguous block of the range; the blocks differ in size by at most one,
// so shards finish at about the same time and a person can read which seeds a shard ran.
std::vector<uint64_t> seeds_of_shard(const SeedRange& range, const Shard& shard);

}  // namespace faultline
