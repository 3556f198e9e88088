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
  uint32_t intern(const Json& value) {
    auto [it, inserted] = ids_.try_emplace(value.dump(), static_cast<uint32_t>(values_.size()));
    if (inserted) {
      values_.push_back(value);
      bytes_ += it->first.size() * 2 + 96;
    }
    return it->second;
  }
  const Json& value(uint32_t id) const { return values_[id]; }
  size_t memory_bytes() const { return bytes_; }

 private:
  std::unordered_map<std::string, uint32_t> ids_;
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
