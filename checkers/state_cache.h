#pragma once
// Lowe's memo of visited configurations (linearized-op bitset, model state). A flat
// open-addressing table over an arena of bitsets: a probe compares the stored 64-bit hash
// first and allocates nothing; only a new entry copies its bitset (the per-probe allocation
// and node-based table were lin-tester's main costs, research/lin-tester.md section 4).
// Growth is reserved against the SearchBudget first, so the memory cap holds.
#include <cstdint>
#include <vector>

#include "checkers/lin_model.h"
#include "checkers/search_budget.h"

namespace faultline {

class StateCache {
 public:
  enum class Insert { added, present, out_of_memory };

  StateCache(size_t words_per_bitset, SearchBudget& budget);
  ~StateCache();
  StateCache(const StateCache&) = delete;
  StateCache& operator=(const StateCache&) = delete;

  Insert insert(const uint64_t* bits, uint64_t bits_hash, StateId state);
  size_t size() const { return count_; }

 private:
  struct Slot {
    uint64_t hash = 0;
    StateId state = 0;
    uint32_t entry = kEmpty;  // index into the arena, in bitsets
  };
  static constexpr uint32_t kEmpty = ~uint32_t{0};

  bool grow_table();
  bool grow_arena();

  size_t words_;
  SearchBudget& budget_;
  std::vector<Slot> slots_;
  std::vector<uint64_t> arena_;
  size_t count_ = 0;
  size_t arena_words_ = 0;  // as reserved against the budget
  size_t reserved_ = 0;     // bytes reserved against the budget, released on destruction
};

}  // namespace faultline
