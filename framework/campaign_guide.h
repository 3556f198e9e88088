#pragma once
// Coverage-guided seeds (`campaign --guided`; issue 10, item 5; after AFL's corpus of inputs
// that reached new coverage, and "Mallory", CCS 2023, which guides a distributed-system
// fuzzer by the protocol states it reached). A swarm seed draws its configuration (faults,
// cluster, load, timing, the system's knobs) and then its run. A guided campaign runs its
// seeds in fixed batches; a seed whose run reached protocol coverage no earlier seed reached
// becomes a parent, and seeds of later batches run a parent's configuration (its swarm seed)
// with a fault script and load of their own, before fresh configurations are drawn. The plan
// depends only on the records of earlier batches in seed order, never on which job finished
// first, so a guided campaign is as deterministic as an unguided one, and a child replays
// from its history header like any seed.
#include <cstdint>
#include <deque>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "framework/campaign_record.h"

namespace faultline {

inline constexpr size_t kGuidedBatchSeeds = 50;
inline constexpr int kChildrenPerParent = 2;

// The coverage a run reached, as features: each protocol count's log2 bucket ("name@3": 4
// to 7 times, as AFL buckets hit counts), and each pair of counts reached together ("a+b").
std::set<std::string> coverage_features(const std::map<std::string, int64_t>& counts);

// How coverage grew over a campaign's seeds, in seed order.
struct CoverageGrowth {
  int64_t features = 0;
  int64_t last_new_at = 0;  // the 1-based position (in seed order) of the seed that added the last new feature
  std::vector<std::pair<int64_t, int64_t>> steps;  // (seeds so far, features so far) at each growth
};
CoverageGrowth coverage_growth(const std::vector<SeedRecord>& records_in_seed_order);

struct GuidedSeed {
  uint64_t seed = 0;
  uint64_t swarm_seed = 0;  // == seed for a fresh configuration
  bool operator==(const GuidedSeed&) const = default;
};

class SeedGuide {
 public:
  explicit SeedGuide(std::vector<uint64_t> seeds);

  // The next batch, in seed order: its first seeds (at most half the batch) run the
  // configurations of parents waiting in the order they were found, the rest their own.
  // Empty once every seed is planned.
  std::vector<GuidedSeed> next_batch();

  // Learns from the batch last planned, its records in seed order: each seed that reached
  // a feature no earlier seed did queues kChildrenPerParent runs of its configuration.
  void learn(const std::vector<SeedRecord>& batch_records);

  size_t features() const { return corpus_.size(); }

 private:
  std::vector<uint64_t> seeds_;
  size_t next_ = 0;
  std::map<uint64_t, uint64_t> swarm_seed_of_;  // of the seeds planned so far
  std::set<std::string> corpus_;
  std::deque<uint64_t> waiting_children_;  // swarm seeds, one per child to run
};

}  // namespace faultline
