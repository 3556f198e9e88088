#pragma once
// What a person needs to read a witness without grepping the history (issue 14, item 7): the
// node that served each op it names and that node's role, the faults active while its ops
// ran, and for a liveness failure what each unanswered op waited for. Built from the history
// and a checker's evidence; written into results.json beside the evidence and printed under
// the checker's own rendering.
#include <string>

#include "histories/history.h"

namespace faultline::report {

// {"window_ns": [start, end], "ops": [...], "faults": [...], "waited_for": [...]} (waited_for
// for the liveness checker only); null when the evidence names no op of the history.
Json witness_context(const History& history, const std::string& checker, const Json& evidence);

// A few indented lines ("" for a null context).
std::string render_context(const Json& context);

// "3.201 s"
std::string format_seconds(int64_t time_ns);

}  // namespace faultline::report
