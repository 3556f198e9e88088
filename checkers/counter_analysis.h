#pragma once
// The analysis behind the counter checker (docs/checkers/counter.md): per key, the updates
// (increments and decrements), the bounds on every ok read from the updates around it, and
// the final reads against Maelstrom's pn-counter rule.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "checkers/op_pairs.h"
#include "checkers/subset_sums.h"

namespace faultline::counter {

using CounterKey = std::optional<std::string>;  // none: the ops with no key, one counter

// The largest update amount accepted, so that no sum of a history's amounts overflows.
inline constexpr int64_t kMaxAmount = int64_t{1} << 32;

// A sum of update amounts and how many updates it adds up.
struct Tally {
  int64_t sum = 0;
  int64_t count = 0;
  void add(int64_t amount) {
    sum += amount;
    ++count;
  }
};

// Bounds on one ok read R (line order is real time). fail updates certainly did not happen;
// info and never-completed updates may have, at any time after their invoke.
struct ReadBounds {
  Tally increments_acknowledged;  // ok increments that completed before R began
  Tally decrements_acknowledged;  // ok decrements that completed before R began (negative sum)
  Tally increments_possible;      // increments that did not fail, invoked before R completed
  Tally decrements_possible;      // decrements that did not fail, invoked before R completed (negative sum)

  // Every acknowledged increment counts, every possible decrement may have.
  int64_t lower() const { return increments_acknowledged.sum + decrements_possible.sum; }
  // Every possible increment may have counted, every acknowledged decrement does.
  int64_t upper() const { return increments_possible.sum + decrements_acknowledged.sum; }
};

struct CounterUpdate {
  const OpPair* op = nullptr;
  int64_t delta = 0;  // negative: a decrement
};

struct CounterRead {
  const OpPair* op = nullptr;  // an ok read
  int64_t value = 0;           // null reads as 0
  bool final = false;          // a final read (after the heal and quiesce)
  ReadBounds bounds;
  bool in_bounds() const { return bounds.lower() <= value && value <= bounds.upper(); }
};

// The ok final reads of a key against Maelstrom's pn-counter rule: they all return one
// value, the sum of every ok update plus the sum of some subset of the uncertain ones.
struct FinalReads {
  std::vector<size_t> reads;       // into KeyCounter::reads
  Tally acknowledged;              // every ok update
  std::vector<int64_t> uncertain;  // the deltas of the updates that ended info or never completed
  SubsetSums offsets;              // the sums of the subsets of `uncertain`
  bool agree = true;

  bool acceptable(int64_t value) const { return contains(offsets, value - acknowledged.sum); }
};

struct KeyCounter {
  CounterKey key;
  std::vector<CounterUpdate> updates;  // in invoke order
  std::vector<CounterRead> reads;      // the ok reads, in invoke order
  std::optional<FinalReads> final;     // none: the key has no ok final read
};

// ops: pair_client_ops(history). Every client op must be an "add" (an integer amount; a
// negative one is a decrement, as Maelstrom's), a "decrement" (an amount >= 0, subtracted) or
// a "read" (an ok read returns an integer, or null for 0); anything else, or an amount beyond
// kMaxAmount, is an error naming the op. subset_sum_limit bounds the ranges kept for the
// final reads' exact sums. Keys in order.
Result<std::vector<KeyCounter>> analyze_counter(const History& history, const std::vector<OpPair>& ops,
                                                size_t subset_sum_limit, const OpLocator& locate);

}  // namespace faultline::counter
