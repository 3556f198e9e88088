#pragma once
// A campaign directory on disk:
//   DIR/campaign.json                     what the campaign runs (CampaignSpec)
//   DIR/seeds/seed-N.json                 one record per finished seed
//   DIR/failures/seed-N/history.jsonl     a failing seed's history
//   DIR/histories/seed-N/history.jsonl    a passing seed's, with --keep-all-histories
//   DIR/work/                             histories and stderr of seeds still running
//   DIR/summary.json                      built from the records at the end
// Every file a reader may see is written to a temporary name and renamed, so a campaign
// killed at any moment leaves each result either whole or absent.
#include <map>
#include <string>

#include "base/files.h"
#include "base/result.h"
#include "framework/campaign_record.h"

namespace faultline {

// Writes path.tmp, then renames it over path (atomic within one file system). No fsync:
// this guards against a killed process, not a power loss, and a campaign writes many files.

std::string seed_record_file(const std::string& dir, uint64_t seed);
std::string work_file(const std::string& dir, uint64_t seed, const std::string& suffix);

Result<void> write_seed_record(const std::string& dir, const SeedRecord& record);
Result<SeedRecord> read_seed_record(const std::string& path);
// Every record in DIR/seeds, by seed.
Result<std::map<uint64_t, SeedRecord>> read_seed_records(const std::string& dir);

// Creates DIR's folders. DIR/campaign.json must be absent, or (with resume) equal spec.
Result<void> prepare_campaign_dir(const std::string& dir, const CampaignSpec& spec, bool resume);
Result<CampaignSpec> read_campaign_spec(const std::string& dir);

// Moves a finished seed's history from DIR/work to its place under DIR (path relative to DIR).
Result<void> keep_history(const std::string& dir, uint64_t seed, const std::string& relative_path);

}  // namespace faultline
