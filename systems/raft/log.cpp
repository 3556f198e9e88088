#include "systems/raft/log.h"

#include "base/assert.h"

namespace faultline::raft {

std::optional<int64_t> RaftLog::term_at(int64_t index) const {
  if (index == base_index_) return base_term_;
  if (index < base_index_ || index > last_index()) return std::nullopt;
  return at(index).term;
}

std::optional<uint64_t> RaftLog::chain_at(int64_t index) const {
  if (index == base_index_) return base_chain_;
  if (index < base_index_ || index > last_index()) return std::nullopt;
  return at(index).chain;
}

const Entry& RaftLog::at(int64_t index) const {
  FAULTLINE_ASSERT(index > base_index_ && index <= last_index(), "log index out of range");
  return entries_[static_cast<size_t>(index - base_index_ - 1)];
}

std::vector<Entry> RaftLog::slice(int64_t from, int max) const {
  FAULTLINE_ASSERT(from > base_index_, "slice starts inside the snapshot");
  std::vector<Entry> out;
  for (int64_t i = from; i <= last_index() && static_cast<int>(out.size()) < max; ++i)
    out.push_back(at(i));
  return out;
}

const Entry& RaftLog::append(Entry entry) {
  FAULTLINE_ASSERT(entry.index == last_index() + 1, "log append leaves a gap");
  FAULTLINE_ASSERT(entry.term >= last_term(), "log terms must not decrease");
  const uint64_t previous = entries_.empty() ? base_chain_ : entries_.back().chain;
  entry.chain = chain_hash(previous, entry);
  entries_.push_back(std::move(entry));
  return entries_.back();
}

void RaftLog::truncate_from(int64_t from) {
  FAULTLINE_ASSERT(from > base_index_, "cannot truncate into the snapshot");
  if (from > last_index()) return;
  entries_.resize(static_cast<size_t>(from - base_index_ - 1));
}

void RaftLog::compact(int64_t index) {
  FAULTLINE_ASSERT(index >= base_index_ && index <= last_index(), "compaction out of range");
  if (index == base_index_) return;
  const Entry& last_dropped = at(index);
  base_term_ = last_dropped.term;
  base_chain_ = last_dropped.chain;
  entries_.erase(entries_.begin(), entries_.begin() + (index - base_index_));
  base_index_ = index;
}

void RaftLog::reset(int64_t index, int64_t term, uint64_t chain) {
  entries_.clear();
  base_index_ = index;
  base_term_ = term;
  base_chain_ = chain;
}

int64_t RaftLog::first_index_of_term_run(int64_t index) const {
  const auto term = term_at(index);
  FAULTLINE_ASSERT(term.has_value(), "no entry at index");
  while (index - 1 > base_index_ && at(index - 1).term == *term) --index;
  return index;
}

std::optional<int64_t> RaftLog::last_index_of_term(int64_t term) const {
  for (int64_t i = last_index(); i > base_index_; --i) {
    const int64_t t = at(i).term;
    if (t == term) return i;
    if (t < term) return std::nullopt;
  }
  return std::nullopt;
}

}  // namespace faultline::raft
