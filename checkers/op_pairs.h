#pragma once
// Reading a history's client ops for the checkers that look at whole ops (set-full, counter):
// each invoke paired with its completion, and integer values read without loss.
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "base/assert.h"
#include "base/result.h"
#include "checkers/checker.h"
#include "histories/history.h"

namespace faultline {

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
};

// Pairs invokes and completions by Jepsen's rule: a process runs one op at a time, so a
// completion belongs to the open invoke of its process. Nemesis lines are skipped. A second
// invoke while one is open, a completion with no open invoke, or a completion whose f or key
// differs from its invoke is an error naming the op. Returns the ops in invoke order.
Result<std::vector<OpPair>> pair_client_ops(const History& history, const OpLocator& locate);

// The value as an int64 when it is a JSON integer that fits, else none.
std::optional<int64_t> as_int64(const Json& value);

}  // namespace faultline
