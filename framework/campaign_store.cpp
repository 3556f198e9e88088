#include "framework/campaign_store.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <filesystem>

namespace faultline {

namespace fs = std::filesystem;

std::string seed_record_file(const std::string& dir, uint64_t seed) {
  return dir + "/seeds/seed-" + std::to_string(seed) + ".json";
}

std::string work_file(const std::string& dir, uint64_t seed, const std::string& suffix) {
  return dir + "/work/seed-" + std::to_string(seed) + suffix;
}

Result<void> write_seed_record(const std::string& dir, const SeedRecord& record) {
  return write_file_atomically(seed_record_file(dir, record.seed), seed_record_json(record).dump(2) + "\n",
                               Durability::survives_kill);
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

bool is_temporary_name(const std::string& name) { return name.find(".tmp") != std::string::npos; }

std::string lock_file(const std::string& dir) { return dir + "/campaign.lock"; }

// "in use by another campaign (process 123)": the holder wrote its process id in the file.
std::string holder_of(const std::string& dir) {
  auto text = read_whole_file(lock_file(dir));
  std::string pid = text ? text.value().substr(0, text.value().find('\n')) : "";
  return pid.empty() ? "another campaign" : "another campaign (process " + pid + ")";
}

std::string in_use_message(const std::string& dir, const std::string& who) {
  return who + ": " + dir + " is in use by " + holder_of(dir) + "; wait for it to end or use another directory";
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

Result<DirectoryLock> DirectoryLock::acquire(const std::string& dir, const std::string& who) {
  std::error_code error;
  fs::create_directories(dir, error);
  if (error) return fail(dir + ": cannot create directory: " + error.message());
  int fd = ::open(lock_file(dir).c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0666);
  if (fd < 0) return fail(io_error(lock_file(dir), "cannot open"));
  DirectoryLock lock(fd);
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    if (errno == EWOULDBLOCK) return fail(in_use_message(dir, who));
    return fail(io_error(lock_file(dir), "cannot lock"));
  }
  std::string pid = std::to_string(::getpid()) + "\n";
  if (::ftruncate(fd, 0) != 0 || ::pwrite(fd, pid.data(), pid.size(), 0) != static_cast<ssize_t>(pid.size()))
    return fail(io_error(lock_file(dir), "cannot write"));
  return lock;
}

DirectoryLock::~DirectoryLock() {
  if (fd_ >= 0) ::close(fd_);
}

Result<void> check_not_in_use(const std::string& dir, const std::string& who) {
  int fd = ::open(lock_file(dir).c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return outcome::success();  // never locked: written by no running campaign
  bool free = ::flock(fd, LOCK_SH | LOCK_NB) == 0;
  ::close(fd);
  if (!free) return fail(in_use_message(dir, who));
  return outcome::success();
}

enum class Folder { top, seeds, work };

// Only names a campaign writes are removed: DIR may be any directory a user named.
bool is_leftover(Folder folder, const std::string& name) {
  switch (folder) {
    case Folder::work: return name.starts_with("seed-");
    case Folder::seeds: return name.starts_with("seed-") && is_temporary_name(name);
    case Folder::top: return name.starts_with("campaign.json.tmp") || name.starts_with("summary.json.tmp");
  }
  return false;
}

Result<void> clear_leftovers(const std::string& dir) {
  if (!fs::exists(dir + "/campaign.json")) return outcome::success();  // not a campaign's directory (yet)
  const std::pair<std::string, Folder> folders[] = {{dir, Folder::top}, {dir + "/seeds", Folder::seeds},
                                                    {dir + "/work", Folder::work}};
  for (const auto& [folder, kind] : folders) {
    std::error_code error;
    std::vector<fs::path> leftovers;
    for (const auto& entry : fs::directory_iterator(folder, error))
      if (is_leftover(kind, entry.path().filename().string())) leftovers.push_back(entry.path());
    if (error && error != std::errc::no_such_file_or_directory) return fail(folder + ": cannot list: " + error.message());
    for (const auto& leftover : leftovers) {
      fs::remove(leftover, error);
      if (error) return fail(leftover.string() + ": cannot remove: " + error.message());
    }
  }
  return outcome::success();
}

std::string seed_list(const std::vector<uint64_t>& seeds, size_t shown) {
  std::string text;
  for (size_t i = 0; i < seeds.size() && i < shown; ++i) text += (i ? ", " : "") + std::to_string(seeds[i]);
  if (seeds.size() > shown) text += " and " + std::to_string(seeds.size() - shown) + " more";
  return text;
}

Result<void> check_no_stray_records(const std::string& dir, const CampaignSpec& spec, const std::vector<uint64_t>& seeds,
                                    const std::map<uint64_t, SeedRecord>& records) {
  std::vector<uint64_t> strays;
  for (const auto& [seed, record] : records)
    if (!std::binary_search(seeds.begin(), seeds.end(), seed)) strays.push_back(seed);
  if (strays.empty()) return outcome::success();
  return fail(dir + "/seeds: records of seeds the campaign does not run (seeds " + std::to_string(spec.seeds.first) +
              ".." + std::to_string(spec.seeds.last) + ", shard " + std::to_string(spec.shard.index) + "/" +
              std::to_string(spec.shard.count) + "): " + seed_list(strays) + "; remove them");
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
