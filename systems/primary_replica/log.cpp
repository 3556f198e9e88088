#include "systems/primary_replica/log.h"

#include "base/assert.h"
#include "framework/random.h"

namespace faultline::primary_replica {

namespace {

uint64_t mix(uint64_t state, uint64_t value) {
  uint64_t seed = state ^ value;
  return splitmix64(seed);
}

uint64_t chain_hash(uint64_t previous, const Entry& entry) {
  uint64_t state = mix(previous, static_cast<uint64_t>(entry.epoch));
  state = mix(state, static_cast<uint64_t>(entry.index));
  if (entry.noop) return mix(state, 0x6e6f6f70);
  const Command& c = entry.command;
  state = mix(state, c.client);
  state = mix(state, static_cast<uint64_t>(c.seq));
  state = mix(state, stable_hash(c.f));
  state = mix(state, stable_hash(c.key));
  return mix(state, stable_hash(c.value.dump()));
}

}  // namespace

std::string to_string(const Position& position) {
  return "(epoch " + std::to_string(position.epoch) + ", index " + std::to_string(position.index) + ")";
}

int64_t ReplicatedLog::epoch_at(int64_t index) const {
  if (index == 0) return 0;
  return at(index).epoch;
}

uint64_t ReplicatedLog::chain_at(int64_t index) const {
  if (index == 0) return 0;
  FAULTLINE_ASSERT(index > 0 && index <= last_index(), "chain of an index outside the log");
  return chains_[static_cast<size_t>(index - 1)];
}

const Entry& ReplicatedLog::at(int64_t index) const {
  FAULTLINE_ASSERT(index > 0 && index <= last_index(), "log index out of range");
  return entries_[static_cast<size_t>(index - 1)];
}

std::vector<Entry> ReplicatedLog::slice(int64_t from, int max) const {
  FAULTLINE_ASSERT(from >= 1 && from <= last_index() + 1, "slice outside the log");
  std::vector<Entry> out;
  for (int64_t i = from; i <= last_index() && static_cast<int>(out.size()) < max; ++i) out.push_back(at(i));
  return out;
}

int64_t ReplicatedLog::first_index_of_epoch_run(int64_t index) const {
  const int64_t epoch = epoch_at(index);
  while (index > 1 && at(index - 1).epoch == epoch) --index;
  return index;
}

void ReplicatedLog::append(Entry entry) {
  FAULTLINE_ASSERT(entry.index == last_index() + 1, "log append leaves a gap");
  FAULTLINE_ASSERT(entry.epoch >= last_position().epoch, "log epochs must not decrease");
  chains_.push_back(chain_hash(chain_at(last_index()), entry));
  entries_.push_back(std::move(entry));
}

void ReplicatedLog::truncate_from(int64_t from) {
  FAULTLINE_ASSERT(from >= 1, "truncating before the first entry");
  if (from > last_index()) return;
  entries_.resize(static_cast<size_t>(from - 1));
  chains_.resize(static_cast<size_t>(from - 1));
}

}  // namespace faultline::primary_replica
