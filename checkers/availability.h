#pragma once
// Availability under faults (docs/checkers/availability.md): the share of client ops that got
// an answer, per fault window (a maximal stretch of the run with one set of active faults),
// per side of a partition and per node. A figure first; pass/fail only when the claim gives
// a minimum (min_ok_fraction), which every judged window x side group must reach (Gilbert &
// Lynch 2002: an available system answers every request a non-failing node receives).
#include <string>

#include "checkers/checker.h"
#include "checkers/verdict.h"

namespace faultline {

// The registry entry "availability": options min_ok_fraction, min_ops, grace_ms, exclude_down,
// measure (ok|answered), nodes.
CheckerSpec availability_checker();

// The summary and a compact table (window, faults, side, ops, ok%) of the most telling rows.
std::string render_availability_text(const CheckResult& result);

}  // namespace faultline
