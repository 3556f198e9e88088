#pragma once
// What a campaign keeps: one record per finished seed (DIR/seeds/seed-N.json), the campaign's
// fixed description (DIR/campaign.json) and the summary built from the records
// (DIR/summary.json). The summary depends only on the records, so the merge of shard outputs
// equals one unsharded run's summary except for wall times.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "checkers/verdict.h"
#include "framework/campaign_plan.h"
#include "histories/op.h"

namespace faultline {

struct ClaimVerdict {
  std::string claim;
  std::string checker;
  Verdict verdict = Verdict::unknown;
  std::string summary;
  bool claimed = true;  // false: shown, never a failure (ClaimSpec::claimed)
};

// A seed whose process died (FAULTLINE_ASSERT, a crash, a nonzero exit) instead of finishing.
struct SeedCrash {
  int signal = 0;     // 0 when the process exited with exit_code
  int exit_code = 0;
  std::string stderr_tail;  // the last lines it wrote
};

struct SeedRecord {
  uint64_t seed = 0;
  // A guided campaign's child: the seed whose drawn configuration it ran (campaign_guide.h).
  std::optional<uint64_t> swarm_seed;
  std::vector<ClaimVerdict> claims;  // unknown when the process died
  std::optional<std::string> invariant_violation;
  std::optional<SeedCrash> crash;
  std::optional<int64_t> client_op_count;  // absent when the process died
  std::optional<int64_t> fault_count;
  double wall_time_ms = 0;
  std::string history_sha256;  // of the history recorded, up to the death if it died
  // What the protocol did in the run: the integer counts of System::run_metrics (read
  // repairs, snapshots installed, ...); empty when the process died or the system counts none.
  std::map<std::string, int64_t> counts;

  // A claim violated, an invariant broken or the process died.
  bool failed() const;
  bool all_held() const;
  // Short names of what failed: claim names, "invariants", "aborted (SIGABRT)".
  std::vector<std::string> failure_reasons() const;
};

Json seed_record_json(const SeedRecord& record);
Result<SeedRecord> seed_record_from_json(const Json& json, const std::string& where);

// Everything that fixes a campaign's results except which seeds have run.
struct CampaignSpec {
  Json scenario;  // the history header without its seed
  SeedRange seeds;
  Shard shard;
  bool guided = false;  // `--guided`: which configuration a seed runs depends on earlier seeds
};

Json campaign_spec_json(const CampaignSpec& spec);
Result<CampaignSpec> campaign_spec_from_json(const Json& json, const std::string& where);

struct ClaimTally {
  std::string claim;  // a claim's name, or "invariants" (broken invariants and dead processes)
  bool claimed = true;
  int held = 0;
  int violated = 0;
  int unknown = 0;
  std::vector<uint64_t> failing_seeds;  // ascending
};

// Protocol coverage: of the seeds whose run counted this, how many did it at least once.
struct CoverageTally {
  std::string count;
  int64_t seeds_reached = 0;
  int64_t seeds_counted = 0;
};

struct CampaignSummary {
  CampaignSpec spec;
  std::vector<SeedRecord> records;  // ascending by seed
  int64_t seeds_planned = 0;
  std::vector<ClaimTally> tallies;
  std::vector<CoverageTally> coverage;  // by count name
  // Coverage features (campaign_guide.h) reached by the records in seed order.
  int64_t coverage_features = 0;
  int64_t coverage_last_new_at = 0;  // 1-based position of the seed that added the last one
  std::vector<std::pair<int64_t, int64_t>> coverage_steps;  // (seeds so far, features so far)
  int seeds_failed = 0;
  int seeds_unknown = 0;  // none failed, some claim undecided
  bool complete() const { return static_cast<int64_t>(records.size()) == seeds_planned; }
};

CampaignSummary summarize(const CampaignSpec& spec, std::vector<SeedRecord> records);
Json summary_json(const CampaignSummary& summary);

// Where a failing seed's history is kept, relative to the campaign directory.
std::string failure_history_path(uint64_t seed);
std::string kept_history_path(uint64_t seed);  // a passing seed's, with --keep-all-histories

std::string signal_name(int signal);

}  // namespace faultline
