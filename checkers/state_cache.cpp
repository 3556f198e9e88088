#include "checkers/state_cache.h"

#include <algorithm>
#include <cstring>

namespace faultline {
namespace {

uint64_t combine(uint64_t bits_hash, StateId state) {
  // The MurmurHash3 finalizer spreads the state into every bit before the two are mixed.
  uint64_t h = bits_hash ^ (state * 0x9e3779b97f4a7c15ULL);
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  return h;
}

}  // namespace

StateCache::StateCache(size_t words_per_bitset, SearchBudget& budget)
    : words_(std::max<size_t>(words_per_bitset, 1)), budget_(budget) {}

StateCache::~StateCache() { budget_.release(reserved_); }

bool StateCache::grow_table() {
  size_t new_size = slots_.empty() ? 1024 : slots_.size() * 2;
  if (!budget_.reserve(new_size * sizeof(Slot))) return false;
  std::vector<Slot> old = std::move(slots_);
  slots_.assign(new_size, Slot{});
  size_t mask = new_size - 1;
  for (const Slot& slot : old) {
    if (slot.entry == kEmpty) continue;
    size_t i = slot.hash & mask;
    while (slots_[i].entry != kEmpty) i = (i + 1) & mask;
    slots_[i] = slot;
  }
  budget_.release(old.size() * sizeof(Slot));
  reserved_ += (new_size - old.size()) * sizeof(Slot);
  return true;
}

bool StateCache::grow_arena() {
  size_t new_words = std::max<size_t>(arena_words_ * 2, words_ * 256);
  size_t extra = (new_words - arena_words_) * sizeof(uint64_t);
  if (!budget_.reserve(extra)) return false;
  reserved_ += extra;
  arena_words_ = new_words;
  arena_.reserve(new_words);
  return true;
}

StateCache::Insert StateCache::insert(const uint64_t* bits, uint64_t bits_hash, StateId state) {
  if ((count_ + 1) * 2 > slots_.size() && !grow_table()) return Insert::out_of_memory;
  uint64_t hash = combine(bits_hash, state);
  size_t mask = slots_.size() - 1;
  size_t i = hash & mask;
  for (; slots_[i].entry != kEmpty; i = (i + 1) & mask) {
    const Slot& slot = slots_[i];
    if (slot.hash == hash && slot.state == state &&
        std::memcmp(&arena_[size_t{slot.entry} * words_], bits, words_ * sizeof(uint64_t)) == 0)
      return Insert::present;
  }
  if (arena_.size() + words_ > arena_words_ && !grow_arena()) return Insert::out_of_memory;
  slots_[i] = Slot{hash, state, static_cast<uint32_t>(count_)};
  arena_.insert(arena_.end(), bits, bits + words_);
  ++count_;
  return Insert::added;
}

}  // namespace faultline
