#pragma once
// The replicated log: entries at positions (epoch, index), index 1, 2, 3, ... An entry's
// epoch is the epoch of the primary that appended it; epochs never decrease along a log.
// Each node also keeps, per entry, a chain hash over the entry and every entry before it:
// two logs agree up to an index iff their chains there are equal (what the invariant
// checker compares). The chain is local, never sent or stored.
#include <compare>
#include <cstdint>
#include <string>
#include <vector>

#include "base/json.h"

namespace faultline::primary_replica {

// A place in the log; ordered by epoch, then index (a later epoch's entry is newer whatever
// its index). Position{} (0, 0) is before every entry.
struct Position {
  int64_t epoch = 0;
  int64_t index = 0;
  auto operator<=>(const Position&) const = default;
  NLOHMANN_DEFINE_TYPE_INTRUSIVE(Position, epoch, index)
};

std::string to_string(const Position& position);  // "(epoch 2, index 14)"

// A client's update; (client, seq) identifies it across retries.
struct Command {
  uint64_t client = 0;
  int64_t seq = 0;
  std::string f;
  std::string key;
  Json value;
  NLOHMANN_DEFINE_TYPE_INTRUSIVE(Command, client, seq, f, key, value)
};

struct Entry {
  int64_t epoch = 0;
  int64_t index = 0;
  bool noop = true;  // a new primary's first entry: it commits the entries before it
  Command command;
  Position position() const { return {epoch, index}; }
  NLOHMANN_DEFINE_TYPE_INTRUSIVE(Entry, epoch, index, noop, command)
};

class ReplicatedLog {
 public:
  int64_t last_index() const { return static_cast<int64_t>(entries_.size()); }
  Position last_position() const { return entries_.empty() ? Position{} : entries_.back().position(); }
  // The epoch of the entry at index (0 for index 0); index must be in [0, last_index()].
  int64_t epoch_at(int64_t index) const;
  uint64_t chain_at(int64_t index) const;  // 0 for index 0
  Position position_at(int64_t index) const { return {epoch_at(index), index}; }
  const Entry& at(int64_t index) const;  // index in [1, last_index()]
  // Up to `max` entries from `from` (in [1, last_index() + 1]).
  std::vector<Entry> slice(int64_t from, int max) const;
  // The first index of the run of entries with the epoch of the entry at `index`.
  int64_t first_index_of_epoch_run(int64_t index) const;

  // Appends at last_index() + 1, in an epoch no older than the last entry's.
  void append(Entry entry);
  // Drops the entries at `from` and after.
  void truncate_from(int64_t from);

 private:
  std::vector<Entry> entries_;
  std::vector<uint64_t> chains_;
};

}  // namespace faultline::primary_replica
