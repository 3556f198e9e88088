#pragma once
// The durable state of one node on its Disk (paper Figure 2, "persistent state"): term and
// vote, the log, and the latest snapshot. Every record is a line "<hash> <json>" so a torn
// or garbled tail is detected and dropped on recovery. Files:
//   hard.0, hard.1   term + vote, written alternately (a torn write never loses both)
//   snap.0, snap.1   snapshots, written alternately
//   log.0, log.1     the log: a header {start, copied} then one record per entry; a new
//                    log file is started at every snapshot, and the previous one is
//                    emptied once the new one is durable. Recovery prefers a file holding
//                    all its `copied` entries, so a rewrite cut short by a power loss falls
//                    back to the previous file; a file with fewer is used only when it is
//                    the only one (its copied entries were truncated after it was durable).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "framework/disk.h"
#include "systems/raft/entry.h"

namespace faultline::raft {

struct HardState {
  int64_t term = 0;
  std::optional<int32_t> vote;
};

struct SnapshotRecord {
  int64_t index = 0;
  int64_t term = 0;
  uint64_t chain = 0;
  Json state;  // the state machine (null for the empty initial snapshot)
};

struct Recovered {
  HardState hard;
  SnapshotRecord snapshot;
  std::vector<Entry> entries;  // snapshot.index+1 .. (chains not set)
};

class Storage {
 public:
  explicit Storage(Disk& disk) : disk_(disk) {}

  // Reads what survived; repairs torn tails so later appends follow valid data. A fresh
  // disk yields term 0, no vote, an empty log.
  Recovered load();

  // Each write is followed by an fsync when `sync` (persist before send, Figure 2).
  void save_hard_state(const HardState& hard, bool sync);
  void append(const std::vector<Entry>& entries, bool sync);
  void truncate_from(int64_t index, bool sync);
  // Writes the snapshot, then a new log file holding `remaining` (entries after it).
  void save_snapshot(const SnapshotRecord& snapshot, const std::vector<Entry>& remaining);
  void fsync_log() { disk_.fsync(log_file()); }

 private:
  std::string log_file() const { return "log." + std::to_string(log_slot_); }
  void start_log_file(int slot, int64_t start, const std::vector<Entry>& copied);
  void append_to_current(const std::vector<Entry>& entries);
  struct LogFile {
    int64_t start = 0;
    std::vector<Entry> entries;
    std::vector<size_t> offsets;
    size_t end = 0;
    bool complete = false;  // every entry its header says was copied is present
  };
  std::optional<LogFile> load_log_file(int slot, const SnapshotRecord& snapshot) const;

  Disk& disk_;
  uint64_t hard_seq_ = 0;
  uint64_t snap_seq_ = 0;
  int log_slot_ = 0;
  int64_t log_start_ = 1;
  std::vector<size_t> offsets_;  // byte offset of entry log_start_+k in the current file
  size_t log_end_ = 0;
};

// "<hash> <json>\n" and its inverse (nullopt for a torn or corrupt line).
std::string frame_record(const Json& json);
std::string frame_text(std::string_view body);
std::optional<Json> parse_record(std::string_view line);

}  // namespace faultline::raft
