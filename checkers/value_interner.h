#pragma once
// Interns JSON values and value sequences to dense ids, so model states compare and hash as
// integers and equal states share one id (hash-consing, research/lin-tester.md, trick 5).
#include <cstdint>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include "histories/op.h"

namespace faultline {

class ValueInterner {
 public:
  // Integers and strings, the common values, skip the JSON text (a profile of 10^5-op kv
  // histories showed dump() as the checker's largest cost).
  uint32_t intern(const Json& value) {
    // JSON parsing makes non-negative integers unsigned; 1 and 1u are one value.
    const bool fits = value.is_number_integer() &&
                      (!value.is_number_unsigned() ||
                       value.get<uint64_t>() <= static_cast<uint64_t>(INT64_MAX));
    if (fits) return intern_in(integer_ids_, value.get<int64_t>(), value);
    if (value.is_string()) return intern_in(string_ids_, value.get<std::string>(), value);
    return intern_in(other_ids_, value.dump(), value);
  }
  const Json& value(uint32_t id) const { return values_[id]; }
  size_t memory_bytes() const { return bytes_; }

 private:
  template <class Map, class Key>
  uint32_t intern_in(Map& ids, Key key, const Json& value) {
    auto [it, inserted] = ids.try_emplace(std::move(key), static_cast<uint32_t>(values_.size()));
    if (inserted) {
      values_.push_back(value);
      bytes_ += 128;
    }
    return it->second;
  }

  std::unordered_map<int64_t, uint32_t> integer_ids_;
  std::unordered_map<std::string, uint32_t> string_ids_;
  std::unordered_map<std::string, uint32_t> other_ids_;  // by JSON text
  std::vector<Json> values_;
  size_t bytes_ = 0;
};

// Strings interned without going through JSON (append-kv states are long strings).
class StringInterner {
 public:
  uint32_t intern(std::string text) {
    auto [it, inserted] = ids_.try_emplace(std::move(text), static_cast<uint32_t>(strings_.size()));
    if (inserted) {
      strings_.push_back(&it->first);
      bytes_ += it->first.size() + 96;
    }
    return it->second;
  }
  const std::string& text(uint32_t id) const { return *strings_[id]; }
  size_t memory_bytes() const { return bytes_; }

 private:
  std::unordered_map<std::string, uint32_t> ids_;  // node-based: the pointers stay valid
  std::vector<const std::string*> strings_;
  size_t bytes_ = 0;
};

// Sequences of ids (a queue, a sorted set, the registers of a multi-register) interned to
// ids of their own.
class SequenceInterner {
 public:
  using Sequence = std::vector<uint32_t>;

  uint32_t intern(const Sequence& sequence) {
    auto [it, inserted] = ids_.try_emplace(sequence, static_cast<uint32_t>(sequences_.size()));
    if (inserted) {
      sequences_.push_back(&it->first);
      bytes_ += sequence.size() * sizeof(uint32_t) * 2 + 96;
    }
    return it->second;
  }
  const Sequence& sequence(uint32_t id) const { return *sequences_[id]; }
  size_t memory_bytes() const { return bytes_; }

 private:
  std::map<Sequence, uint32_t> ids_;  // node-based: the pointers below stay valid
  std::vector<const Sequence*> sequences_;
  size_t bytes_ = 0;
};

// A flat open-addressing map from 64-bit keys to 64-bit values: the models' memos are probed
// on most search steps, where node-based std::unordered_map was most of the time.
class FlatMap64 {
 public:
  const uint64_t* find(uint64_t key) const {
    if (slots_.empty()) return nullptr;
    for (size_t i = mix(key) & (slots_.size() - 1);; i = (i + 1) & (slots_.size() - 1)) {
      if (slots_[i].key == kEmpty) return nullptr;
      if (slots_[i].key == key) return &slots_[i].value;
    }
  }
  // Inserts or overwrites. The key ~0 is reserved.
  void store(uint64_t key, uint64_t value) {
    if ((count_ + 1) * 2 > slots_.size()) grow();
    size_t i = mix(key) & (slots_.size() - 1);
    while (slots_[i].key != kEmpty && slots_[i].key != key) i = (i + 1) & (slots_.size() - 1);
    if (slots_[i].key == kEmpty) ++count_;
    slots_[i] = Slot{key, value};
  }
  size_t memory_bytes() const { return slots_.size() * sizeof(Slot); }

 private:
  static constexpr uint64_t kEmpty = ~uint64_t{0};
  struct Slot {
    uint64_t key = kEmpty;
    uint64_t value = 0;
  };
  static uint64_t mix(uint64_t key) {
    key ^= key >> 33;
    key *= 0xff51afd7ed558ccdULL;
    key ^= key >> 33;
    return key;
  }
  void grow() {
    std::vector<Slot> old = std::move(slots_);
    slots_.assign(old.empty() ? 64 : old.size() * 2, Slot{});
    count_ = 0;
    for (const Slot& slot : old) {
      if (slot.key != kEmpty) store(slot.key, slot.value);
    }
  }
  std::vector<Slot> slots_;
  size_t count_ = 0;
};

// Memo of transitions (state, op) -> next state for models whose step allocates.
class TransitionMemo {
 public:
  static constexpr uint64_t kIllegal = ~uint64_t{0};
  // Returns nullptr when unknown.
  const uint64_t* find(uint64_t state, uint32_t op) const { return map_.find(key(state, op)); }
  void store(uint64_t state, uint32_t op, uint64_t next) { map_.store(key(state, op), next); }
  size_t memory_bytes() const { return map_.memory_bytes(); }

 private:
  // States and ops are 32-bit ids.
  static uint64_t key(uint64_t state, uint32_t op) { return (state << 32) | op; }
  FlatMap64 map_;
};

}  // namespace faultline
