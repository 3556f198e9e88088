#pragma once
// The evidence of a linearizability verdict (issue 5, "Witness for invalid"; DESIGN.md,
// Verdicts): the op no order could explain, the model states possible just before it and the
// window of ops still unordered there; rendered as JSON (CheckResult::evidence) and as text.
#include <string>

#include "checkers/lin_partition.h"
#include "checkers/verdict.h"
#include "checkers/wgl_search.h"
#include "histories/history.h"

namespace faultline {

// One op (invoke + completion) as shown in a witness.
Json describe_history_op(const History& history, size_t invoke_position,
                         int64_t completion_position);

Json build_invalid_evidence(const History& history, const CompiledPartition& partition,
                            const SearchOutcome& outcome, const FrontierDetail& detail);

std::string render_evidence_text(const CheckResult& result);

}  // namespace faultline
