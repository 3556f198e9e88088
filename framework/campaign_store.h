#pragma once
// A campaign directory on disk:
//   DIR/campaign.json                     what the campaign runs (CampaignSpec)
//   DIR/seeds/seed-N.json                 one record per finished seed
//   DIR/failures/seed-N/history.jsonl     a failing seed's history
//   DIR/histories/seed-N/history.jsonl    a passing seed's, with --keep-all-histories
//   DIR/work/                             histories and stderr of seeds still running
//   DIR/summary.json                      built from the records at the end
//   DIR/campaign.lock                     flock'ed while a campaign or a merge writes DIR
// Every file a reader may see is written to a temporary name and renamed, so a campaign
// killed at any moment leaves each result either whole or absent.
#include <map>
#include <string>
#include <vector>

#include "base/files.h"
#include "base/result.h"
#include "framework/campaign_record.h"

namespace faultline {

std::string seed_record_file(const std::string& dir, uint64_t seed);
std::string work_file(const std::string& dir, uint64_t seed, const std::string& suffix);

// Atomic (a temporary renamed into place) but not fsync'ed: this guards against a killed
// process, not a power loss, and a campaign writes many records.
Result<void> write_seed_record(const std::string& dir, const SeedRecord& record);
Result<SeedRecord> read_seed_record(const std::string& path);
// Every record in DIR/seeds, by seed.
Result<std::map<uint64_t, SeedRecord>> read_seed_records(const std::string& dir);

// An exclusive lock (flock) on DIR/campaign.lock, held while one campaign or merge writes
// DIR. Forked workers inherit it, so it is released only once the last of them is gone: a
// second campaign on DIR is refused instead of running the same seeds at the same time.
class DirectoryLock {
 public:
  // Creates DIR if needed. `who` names the flag or command in the error ("--out").
  static Result<DirectoryLock> acquire(const std::string& dir, const std::string& who);
  DirectoryLock(DirectoryLock&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  DirectoryLock& operator=(DirectoryLock&&) = delete;
  DirectoryLock(const DirectoryLock&) = delete;
  ~DirectoryLock();

 private:
  explicit DirectoryLock(int fd) : fd_(fd) {}
  int fd_;
};

// Fails when a campaign still holds DIR's lock (its results are not final yet).
Result<void> check_not_in_use(const std::string& dir, const std::string& who);

// Removes what a killed campaign left half done in a campaign directory: DIR/work/seed-*
// (its running seeds' partial output) and temporaries of atomic writes. Only under the
// DirectoryLock: then no worker is alive.
Result<void> clear_leftovers(const std::string& dir);

// "3, 7, 9 and 12 more": at most `shown` seeds of an ascending list, for one-line errors.
std::string seed_list(const std::vector<uint64_t>& seeds, size_t shown = 10);

// Fails when records hold a seed outside `seeds` (the campaign's or its shard's, ascending):
// a stray record (copied in by hand, or from another campaign) must not count as run.
Result<void> check_no_stray_records(const std::string& dir, const CampaignSpec& spec, const std::vector<uint64_t>& seeds,
                                    const std::map<uint64_t, SeedRecord>& records);

// Creates DIR's folders. DIR/campaign.json must be absent, or (with resume) equal spec.
Result<void> prepare_campaign_dir(const std::string& dir, const CampaignSpec& spec, bool resume);
Result<CampaignSpec> read_campaign_spec(const std::string& dir);

// Moves a finished seed's history from DIR/work to its place under DIR (path relative to DIR).
Result<void> keep_history(const std::string& dir, uint64_t seed, const std::string& relative_path);

}  // namespace faultline
