#pragma once
// Client operations as invoke/completion pairs, for checkers that judge whole operations
// rather than search orders. Jepsen's rule (DESIGN.md, "Clients and histories"): a process
// runs one op at a time, so a completion belongs to the open invoke of its process; an
// invoke that never completes is unknown, like info. Nemesis lines are not client ops.
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <vector>

#include "base/result.h"
#include "checkers/checker.h"
#include "histories/history.h"

namespace faultline {

// The position of a completion that never came (or of an info completion, when the op's
// effect may land at any later time).
inline constexpr size_t kNeverPosition = std::numeric_limits<size_t>::max();

struct ClientOp {
  size_t invoke_position = 0;                      // in history.ops
  size_t completion_position = kNeverPosition;     // kNeverPosition: never completed

  const Op& invoke(const History& history) const { return history.ops[invoke_position]; }
  const Op* completion(const History& history) const {
    return completion_position == kNeverPosition ? nullptr : &history.ops[completion_position];
  }
  // ok, fail, or info (also for an op that never completed).
  OpType outcome(const History& history) const;
  // The node the client addressed (the invoke's node), else the node that answered.
  std::optional<int64_t> node(const History& history) const;
  // Where the op's real-time interval ends for precedence (Jepsen): its completion line when it
  // is ok or fail; an info op (or one never completed) may take effect at any later time.
  size_t effective_end(const History& history) const;
  // "final": true on the invoke or the completion.
  bool is_final(const History& history) const;
};

// In invoke order. A completion with no open invoke, an invoke while the process's previous
// op is open, or a completion whose f/key differ from its invoke is an error naming the line.
Result<std::vector<ClientOp>> pair_client_ops(const History& history, const OpLocator& locate);

}  // namespace faultline
