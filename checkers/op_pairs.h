#pragma once
// Reading a history's client ops for the checkers that look at whole ops (set-full, counter,
// convergence, availability):
// each invoke paired with its completion, and integer values read without loss.
#include <cstdint>
#include <limits>
#include <optional>
#include <string_view>
#include <vector>

#include "base/assert.h"
#include "base/result.h"
#include "checkers/checker.h"
#include "histories/history.h"

namespace faultline {

// A position no line has: of a completion that never came, or the end of an op that may take
// effect at any later time.
inline constexpr size_t kNeverPosition = std::numeric_limits<size_t>::max();

// One client op: its invoke paired with its completion, when it completed (positions in
// history.ops).
struct OpPair {
  size_t invoke_position = 0;
  std::optional<size_t> completion_position;  // none: never completed (as info, Jepsen)
  const Op* invoke = nullptr;
  const Op* completion = nullptr;  // null iff completion_position is none

  bool acknowledged() const { return completion != nullptr && completion->type == OpType::ok; }
  bool failed() const { return completion != nullptr && completion->type == OpType::fail; }
  // ok, info or never completed: it may have taken effect.
  bool may_have_happened() const { return !failed(); }
  // "ok", "fail", "info" or "pending" (never completed).
  std::string_view outcome_name() const;
  // The completion's position, for an op known to have completed (an ok read, say).
  size_t completed_at() const {
    FAULTLINE_ASSERT(completion_position, "the op completed");
    return *completion_position;
  }
  // ok, fail, or info (also for an op that never completed).
  OpType outcome() const { return completion == nullptr ? OpType::info : completion->type; }
  // The node the client addressed (the invoke's node), else the node that answered.
  std::optional<int64_t> node() const {
    if (invoke->node) return invoke->node;
    return completion == nullptr ? std::nullopt : completion->node;
  }
  // Where the op's real-time interval ends for precedence (Jepsen): its completion line when
  // it is ok or fail; an info op (or one never completed) may take effect at any later time.
  size_t effective_end() const { return outcome() == OpType::info ? kNeverPosition : *completion_position; }
  // "final": true on the invoke or the completion (a final read after the heal).
  bool is_final() const { return invoke->final || (completion != nullptr && completion->final); }
};

// Pairs invokes and completions by Jepsen's rule: a process runs one op at a time, so a
// completion belongs to the open invoke of its process. Nemesis lines are skipped. A second
// invoke while one is open, a completion with no open invoke, or a completion whose f or key
// differs from its invoke is an error naming the op. Returns the ops in invoke order.
Result<std::vector<OpPair>> pair_client_ops(const History& history, const OpLocator& locate);

// The value as an int64 when it is a JSON integer that fits, else none.
std::optional<int64_t> as_int64(const Json& value);

}  // namespace faultline
