#pragma once
// A counter checker, per key (docs/checkers/counter.md): increments (`add` of a positive
// amount), decrements (`decrement`, or Maelstrom's `add` of a negative amount) and reads.
// Every ok read must lie between the least and the most the counter can hold given the
// updates around it (Jepsen's counter bounds, extended to decrements), and the final reads
// of a key must agree on a value that the acknowledged updates plus some of the uncertain
// ones add up to (Maelstrom's pn-counter rule).
#include <cstdint>

#include "checkers/checker.h"

namespace faultline {

struct CounterOptions {
  // The most disjoint ranges kept while computing the exact sums the final reads may return;
  // beyond it they are checked against the range of those sums, and the evidence says so.
  int64_t subset_sum_limit = 10'000;
};

// Bad input (a read that returned a string, an update without an integer amount, an op that
// is not a counter op, a completion with no invoke) is an error naming the op through locate.
Result<CheckResult> check_counter(const History& history, const CounterOptions& options, const OpLocator& locate);

// The registry entry: option subset_sum_limit.
CheckerSpec counter_checker();

// The readable witness of a counter result (the registry entry's render).
std::string render_counter(const CheckResult& result);

}  // namespace faultline
