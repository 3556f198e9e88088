#include "framework/campaign_merge.h"

#include <filesystem>
#include <map>
#include <set>

#include "framework/campaign_store.h"

namespace faultline {

namespace fs = std::filesystem;

namespace {

struct Shards {
  CampaignSpec whole;                // the shards' common campaign, as one unsharded campaign
  std::vector<CampaignSpec> shards;  // as given
};

Result<Shards> read_shards(const std::vector<std::string>& shard_dirs) {
  if (shard_dirs.empty()) return fail("merge: give the output directories of every shard");
  Shards result;
  std::set<int> indexes;
  for (const auto& dir : shard_dirs) {
    BOOST_OUTCOME_TRY(spec, read_campaign_spec(dir));
    const CampaignSpec& first = result.shards.empty() ? spec : result.shards.front();
    if (spec.scenario != first.scenario || !(spec.seeds == first.seeds) || spec.shard.count != first.shard.count)
      return fail(dir + "/campaign.json: not a shard of the same campaign as " + shard_dirs.front());
    if (!indexes.insert(spec.shard.index).second)
      return fail(dir + ": shard " + std::to_string(spec.shard.index) + " is given twice");
    result.shards.push_back(std::move(spec));
  }
  const CampaignSpec& first = result.shards.front();
  for (int index = 0; index < first.shard.count; ++index)
    if (!indexes.count(index))
      return fail("merge: shard " + std::to_string(index) + "/" + std::to_string(first.shard.count) + " is missing");
  result.whole = CampaignSpec{first.scenario, first.seeds, Shard{0, 1}};
  return result;
}

// Every shard's records, checked before anything is written: each shard holds only its own
// seeds, no seed twice, and together they hold every seed of the campaign.
Result<std::map<uint64_t, SeedRecord>> read_all_records(const std::vector<std::string>& shard_dirs, const Shards& shards) {
  std::map<uint64_t, SeedRecord> merged;
  for (size_t i = 0; i < shard_dirs.size(); ++i) {
    const std::string& dir = shard_dirs[i];
    BOOST_OUTCOME_TRYV(check_not_in_use(dir, "merge"));
    BOOST_OUTCOME_TRY(records, read_seed_records(dir));
    const CampaignSpec& spec = shards.shards[i];
    BOOST_OUTCOME_TRYV(check_no_stray_records(dir, spec, seeds_of_shard(spec.seeds, spec.shard), records));
    for (auto& [seed, record] : records)
      if (!merged.emplace(seed, std::move(record)).second)
        return fail(dir + ": seed " + std::to_string(seed) + " is in two shards");
  }
  std::vector<uint64_t> missing;
  for (uint64_t seed : seeds_of_shard(shards.whole.seeds, shards.whole.shard))
    if (!merged.count(seed)) missing.push_back(seed);
  if (!missing.empty())
    return fail("merge: the shards hold no record of " + std::to_string(missing.size()) + " seeds (" +
                seed_list(missing) + "); finish their shards with campaign --resume, then merge again");
  return merged;
}

Result<void> copy_tree(const std::string& from, const std::string& to) {
  if (!fs::exists(from)) return outcome::success();
  std::error_code error;
  fs::create_directories(to, error);
  if (!error) fs::copy(from, to, fs::copy_options::recursive | fs::copy_options::overwrite_existing, error);
  if (error) return fail(to + ": cannot copy " + from + ": " + error.message());
  return outcome::success();
}

}  // namespace

Result<CampaignSummary> merge_campaigns(const std::string& out_dir, const std::vector<std::string>& shard_dirs) {
  BOOST_OUTCOME_TRY(shards, read_shards(shard_dirs));
  BOOST_OUTCOME_TRY(merged, read_all_records(shard_dirs, shards));
  auto lock = DirectoryLock::acquire(out_dir, "merge");  // held until this function returns
  if (!lock) return lock.as_failure();
  if (fs::exists(out_dir + "/campaign.json"))
    return fail("merge: " + out_dir + " already holds a campaign; merge into a new directory");
  BOOST_OUTCOME_TRYV(prepare_campaign_dir(out_dir, shards.whole, /*resume=*/false));
  std::vector<SeedRecord> records;
  for (auto& [seed, record] : merged) {
    BOOST_OUTCOME_TRYV(write_seed_record(out_dir, record));
    records.push_back(std::move(record));
  }
  for (const auto& dir : shard_dirs) {
    BOOST_OUTCOME_TRYV(copy_tree(dir + "/failures", out_dir + "/failures"));
    BOOST_OUTCOME_TRYV(copy_tree(dir + "/histories", out_dir + "/histories"));
  }
  CampaignSummary summary = summarize(shards.whole, std::move(records));
  BOOST_OUTCOME_TRYV(write_file_atomically(out_dir + "/summary.json", summary_json(summary).dump(2) + "\n"));
  std::error_code ignored;
  fs::remove(out_dir + "/work", ignored);
  return summary;
}

}  // namespace faultline
