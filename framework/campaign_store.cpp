#include "framework/campaign_store.h"

#include <filesystem>
#include <fstream>
#include <iterator>

namespace faultline {

namespace fs = std::filesystem;

std::string seed_record_file(const std::string& dir, uint64_t seed) {
  return dir + "/seeds/seed-" + std::to_string(seed) + ".json";
}

std::string work_file(const std::string& dir, uint64_t seed, const std::string& suffix) {
  return dir + "/work/seed-" + std::to_string(seed) + suffix;
}

Result<void> write_seed_record(const std::string& dir, const SeedRecord& record) {
  return write_file_atomically(seed_record_file(dir, record.seed), seed_record_json(record).dump(2) + "\n");
}

namespace {

Result<Json> read_json_file(const std::string& path) {
  BOOST_OUTCOME_TRY(text, read_whole_file(path));
  Json json = Json::parse(text, nullptr, false);
  if (json.is_discarded()) return fail(path + ":1: not valid JSON");
  return json;
}

bool is_seed_record_name(const std::string& name) {
  return name.starts_with("seed-") && name.ends_with(".json");
}

}  // namespace

Result<SeedRecord> read_seed_record(const std::string& path) {
  BOOST_OUTCOME_TRY(json, read_json_file(path));
  return seed_record_from_json(json, path);
}

Result<std::map<uint64_t, SeedRecord>> read_seed_records(const std::string& dir) {
  std::map<uint64_t, SeedRecord> records;
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(dir + "/seeds", error)) {
    if (!is_seed_record_name(entry.path().filename().string())) continue;  // e.g. an orphaned .tmp
    BOOST_OUTCOME_TRY(record, read_seed_record(entry.path().string()));
    records[record.seed] = std::move(record);
  }
  if (error) return fail(dir + "/seeds: cannot list: " + error.message());
  return records;
}

Result<CampaignSpec> read_campaign_spec(const std::string& dir) {
  std::string path = dir + "/campaign.json";
  BOOST_OUTCOME_TRY(json, read_json_file(path));
  return campaign_spec_from_json(json, path);
}

Result<void> prepare_campaign_dir(const std::string& dir, const CampaignSpec& spec, bool resume) {
  std::error_code error;
  for (const char* sub : {"seeds", "work", "failures"}) {
    fs::create_directories(dir + "/" + sub, error);
    if (error) return fail(dir + "/" + sub + ": cannot create directory: " + error.message());
  }
  std::string path = dir + "/campaign.json";
  Json wanted = campaign_spec_json(spec);
  if (!fs::exists(path)) return write_file_atomically(path, wanted.dump(2) + "\n");
  if (!resume) return fail("--out: " + dir + " already holds a campaign; pass --resume to continue it");
  BOOST_OUTCOME_TRY(json, read_json_file(path));
  if (json != wanted)
    return fail("--resume: " + path + " was written by a campaign with other flags, seeds or shard");
  return outcome::success();
}

Result<void> keep_history(const std::string& dir, uint64_t seed, const std::string& relative_path) {
  fs::path target = fs::path(dir) / relative_path;
  std::error_code error;
  fs::create_directories(target.parent_path(), error);
  if (!error) fs::rename(work_file(dir, seed, ".history.jsonl"), target, error);
  if (error) return fail(target.string() + ": cannot keep the history: " + error.message());
  return outcome::success();
}

}  // namespace faultline
