#pragma once
// The obligations of the four session guarantees (Terry et al. 1994), judged read by read
// over the version orders of checkers/version_order.h. docs/checkers/session.md defines each
// one exactly; the functions here are that text as code.
#include <optional>
#include <vector>

#include "base/json.h"
#include "checkers/version_order.h"

namespace faultline {

// What one guarantee says about one read: whether an obligation applied to it, and the
// first failed one (the witness: ops, keys, expected, seen, story, steps).
struct ReadJudgement {
  bool checked = false;
  std::optional<Json> violation;
};

// Indexed by position in KvHistory::ops; entries of non-reads stay unchecked.
using ReadJudgements = std::vector<ReadJudgement>;

ReadJudgements judge_read_your_writes(const KvHistory& kv);
ReadJudgements judge_monotonic_reads(const KvHistory& kv);
ReadJudgements judge_monotonic_writes(const KvHistory& kv);
ReadJudgements judge_writes_follow_reads(const KvHistory& kv);

}  // namespace faultline
