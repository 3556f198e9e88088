#pragma once
// The durable state of one node on its Disk. Every record is a line "<hash> <json>" so a
// torn or garbled tail is detected and dropped on recovery. Files:
//   hard.0, hard.1  epoch, vote, whether this node won its epoch, the epoch it last followed;
//                   written alternately, each fsynced, so a torn write never loses both
//   log             one record per entry, index 1, 2, ...; truncated in place
//   hw              the high watermark a replica last heard (only pr.hw-truncation-divergence
//                   writes and reads it)
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "framework/disk.h"
#include "systems/primary_replica/log.h"

namespace faultline::primary_replica {

struct HardState {
  int64_t epoch = 0;
  int32_t vote = -1;            // the node voted for in `epoch`, -1 for none
  bool leading = false;         // this node won `epoch` (a restart may resume as its primary)
  int64_t followed_epoch = 0;   // the newest epoch whose primary this node followed or was
  bool operator==(const HardState&) const = default;
  NLOHMANN_DEFINE_TYPE_INTRUSIVE(HardState, epoch, vote, leading, followed_epoch)
};

struct Recovered {
  std::optional<HardState> hard;  // none on a fresh disk
  std::vector<Entry> entries;     // the valid prefix of the log, from index 1
  int64_t high_watermark = 0;     // pr.hw-truncation-divergence only
};

class Storage {
 public:
  explicit Storage(Disk& disk) : disk_(disk) {}

  // Reads what survived and cuts a torn log tail, so later appends follow valid records.
  Recovered load();

  void save_hard_state(const HardState& hard);  // always fsynced before it returns
  // Each is followed by an fsync of the log when `sync`.
  void append(const std::vector<Entry>& entries, bool sync);
  void truncate_from(int64_t index, bool sync);
  void sync_log();
  void save_high_watermark(int64_t index);  // fsynced, as Kafka's replication checkpoint

 private:
  Disk& disk_;
  uint64_t hard_seq_ = 0;
  std::vector<size_t> offsets_;  // byte offset of entry k+1 in the log file
  size_t log_end_ = 0;
};

// "<hash> <json>\n" and its inverse (nullopt for a torn or corrupt line).
std::string frame_record(const Json& json);
std::optional<Json> parse_record(std::string_view line);

}  // namespace faultline::primary_replica
