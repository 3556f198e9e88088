#include "framework/campaign_merge.h"

#include <filesystem>
#include <set>

#include "framework/campaign_store.h"

namespace faultline {

namespace fs = std::filesystem;

namespace {

// The shards' common campaign, as one unsharded campaign.
Result<CampaignSpec> whole_campaign(const std::vector<std::string>& shard_dirs) {
  if (shard_dirs.empty()) return fail("merge: give the output directories of every shard");
  std::optional<CampaignSpec> first;
  std::set<int> indexes;
  for (const auto& dir : shard_dirs) {
    BOOST_OUTCOME_TRY(spec, read_campaign_spec(dir));
    if (!first) first = spec;
    if (spec.scenario != first->scenario || !(spec.seeds == first->seeds) || spec.shard.count != first->shard.count)
      return fail(dir + "/campaign.json: not a shard of the same campaign as " + shard_dirs.front());
    if (!indexes.insert(spec.shard.index).second)
      return fail(dir + ": shard " + std::to_string(spec.shard.index) + " is given twice");
  }
  for (int index = 0; index < first->shard.count; ++index)
    if (!indexes.count(index))
      return fail("merge: shard " + std::to_string(index) + "/" + std::to_string(first->shard.count) + " is missing");
  return CampaignSpec{first->scenario, first->seeds, Shard{0, 1}};
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
  BOOST_OUTCOME_TRY(spec, whole_campaign(shard_dirs));
  if (fs::exists(out_dir + "/campaign.json"))
    return fail("merge: " + out_dir + " already holds a campaign; merge into a new directory");
  BOOST_OUTCOME_TRYV(prepare_campaign_dir(out_dir, spec, /*resume=*/false));
  std::vector<SeedRecord> records;
  std::set<uint64_t> seen;
  for (const auto& dir : shard_dirs) {
    BOOST_OUTCOME_TRY(shard_records, read_seed_records(dir));
    for (auto& [seed, record] : shard_records) {
      if (!seen.insert(seed).second) return fail(dir + ": seed " + std::to_string(seed) + " is in two shards");
      BOOST_OUTCOME_TRYV(write_seed_record(out_dir, record));
      records.push_back(std::move(record));
    }
    BOOST_OUTCOME_TRYV(copy_tree(dir + "/failures", out_dir + "/failures"));
    BOOST_OUTCOME_TRYV(copy_tree(dir + "/histories", out_dir + "/histories"));
  }
  CampaignSummary summary = summarize(spec, std::move(records));
  BOOST_OUTCOME_TRYV(write_file_atomically(out_dir + "/summary.json", summary_json(summary).dump(2) + "\n"));
  std::error_code ignored;
  fs::remove(out_dir + "/work", ignored);
  return summary;
}

}  // namespace faultline
