#include "framework/campaign_guide.h"

#include <algorithm>
#include <bit>

#include "base/assert.h"

namespace faultline {

std::set<std::string> coverage_features(const std::map<std::string, int64_t>& counts) {
  std::set<std::string> features;
  std::vector<std::string> reached;
  for (const auto& [name, value] : counts) {
    if (value <= 0) continue;
    reached.push_back(name);
    features.insert(name + "@" + std::to_string(std::bit_width(static_cast<uint64_t>(value))));
  }
  // Pairs: a run that reached a snapshot install and a log truncation reached a state
  // neither count shows alone.
  for (size_t i = 0; i < reached.size(); ++i)
    for (size_t j = i + 1; j < reached.size(); ++j) features.insert(reached[i] + "+" + reached[j]);
  return features;
}

CoverageGrowth coverage_growth(const std::vector<SeedRecord>& records_in_seed_order) {
  CoverageGrowth growth;
  std::set<std::string> seen;
  int64_t position = 0;
  for (const auto& record : records_in_seed_order) {
    ++position;
    const size_t before = seen.size();
    for (auto& feature : coverage_features(record.counts)) seen.insert(std::move(feature));
    if (seen.size() == before) continue;
    growth.features = static_cast<int64_t>(seen.size());
    growth.last_new_at = position;
    growth.steps.emplace_back(position, growth.features);
  }
  return growth;
}

SeedGuide::SeedGuide(std::vector<uint64_t> seeds) : seeds_(std::move(seeds)) {}

std::vector<GuidedSeed> SeedGuide::next_batch() {
  std::vector<GuidedSeed> batch;
  const size_t batch_size = std::min(kGuidedBatchSeeds, seeds_.size() - next_);
  const size_t children_max = batch_size / 2;  // fresh configurations keep half of every batch
  while (batch.size() < batch_size) {
    const uint64_t seed = seeds_[next_++];
    uint64_t swarm_seed = seed;
    if (batch.size() < children_max && !waiting_children_.empty()) {
      swarm_seed = waiting_children_.front();
      waiting_children_.pop_front();
    }
    swarm_seed_of_[seed] = swarm_seed;
    batch.push_back({.seed = seed, .swarm_seed = swarm_seed});
  }
  return batch;
}

void SeedGuide::learn(const std::vector<SeedRecord>& batch_records) {
  for (const auto& record : batch_records) {
    auto planned = swarm_seed_of_.find(record.seed);
    FAULTLINE_ASSERT(planned != swarm_seed_of_.end(), "the guide learns only from seeds it planned");
    bool reached_new = false;
    for (auto& feature : coverage_features(record.counts)) reached_new |= corpus_.insert(std::move(feature)).second;
    if (!reached_new) continue;
    for (int i = 0; i < kChildrenPerParent; ++i) waiting_children_.push_back(planned->second);
  }
}

}  // namespace faultline
