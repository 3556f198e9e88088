#pragma once
// The in-memory Raft log (paper 5.3) on top of a snapshot base (paper 7): entries
// base_index+1 .. last_index(); everything up to base_index is in the snapshot.
#include <cstdint>
#include <optional>
#include <vector>

#include "systems/raft/entry.h"

namespace faultline::raft {

class RaftLog {
 public:
  int64_t base_index() const { return base_index_; }
  int64_t base_term() const { return base_term_; }
  uint64_t base_chain() const { return base_chain_; }
  int64_t last_index() const { return base_index_ + static_cast<int64_t>(entries_.size()); }
  int64_t last_term() const { return entries_.empty() ? base_term_ : entries_.back().term; }

  // The term of the entry at `index`, known for base_index() .. last_index().
  std::optional<int64_t> term_at(int64_t index) const;
  std::optional<uint64_t> chain_at(int64_t index) const;
  // An entry in the log proper: base_index() < index <= last_index().
  const Entry& at(int64_t index) const;
  // Up to `max` entries starting at `from` (> base_index()).
  std::vector<Entry> slice(int64_t from, int max) const;

  // Appends an entry at last_index()+1 and computes its chain; returns it.
  const Entry& append(Entry entry);
  // Drops entries at `from` and after (from > base_index()).
  void truncate_from(int64_t from);
  // Moves the base to `index` (within the log), keeping the entries after it.
  void compact(int64_t index);
  // Discards everything: the log becomes empty on a new base (snapshot install, recovery).
  void reset(int64_t index, int64_t term, uint64_t chain);

  // Fast backup helpers (5.3): first index of the run of `term` that contains `index`, and
  // the last index holding `term`, if any.
  int64_t first_index_of_term_run(int64_t index) const;
  std::optional<int64_t> last_index_of_term(int64_t term) const;

 private:
  int64_t base_index_ = 0;
  int64_t base_term_ = 0;
  uint64_t base_chain_ = 0;
  std::vector<Entry> entries_;
};

}  // namespace faultline::raft
