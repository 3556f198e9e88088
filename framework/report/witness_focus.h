#pragma once
// Where a checker's evidence points in its history: the ops it names and the one at fault,
// and the time they span. A report opens there; the message log is cut around it; the text
// context (context.h) describes it.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "histories/history.h"

namespace faultline::report {

struct WitnessFocus {
  std::vector<int64_t> ops;        // op indexes the evidence names (invoke or completion lines), ascending
  std::optional<int64_t> primary;  // the op at fault: the read no order explains, the first unanswered op, ...
  std::vector<int64_t> related;    // ops shown with the witness but not part of its window (a partial order)
  int64_t start_ns = 0;            // the time the ops span, invoke of the first to completion of the last
  int64_t end_ns = 0;
  bool empty() const { return ops.empty(); }
};

// checker: the registry name ("linearizable", "set-full", ...) or a result's checker field
// ("linearizable(kv)"); evidence: CheckResult::evidence. Indexes the history does not hold are
// ignored; at most kMaxFocusOps ops are kept, the earliest.
WitnessFocus witness_focus(const History& history, const std::string& checker, const Json& evidence);

inline constexpr size_t kMaxFocusOps = 200;

// The registry name in a result's checker field: "linearizable(kv)" -> "linearizable".
std::string checker_family(const std::string& checker);

}  // namespace faultline::report
