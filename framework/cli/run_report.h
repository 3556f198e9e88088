#pragma once
// What `faultline run` shows a person and writes to results.json.
#include <string>

#include "framework/abort_report.h"
#include "framework/run.h"

namespace faultline::cli {

Json results_json(const RunResult& result, const std::string& history_sha256);
std::string run_summary(const RunResult& result, const std::string& history_sha256);
// The same for a run whose process aborted: no claim was judged ("unknown"), the abort is
// the broken invariant, and "aborted" holds the signal, the assertion and what the
// simulator was handling. A run that aborts exits 1.
Json aborted_results_json(const Scenario& scenario, const std::vector<ClaimSpec>& claims, const AbortReport& abort,
                          const std::string& history_sha256);
std::string aborted_summary(const AbortReport& abort, const std::string& history_sha256);
// The exit code of a run: 0 all claims held, 1 one was violated, 3 one was undecided.
int run_exit_code(const RunResult& result);
// One `faultline run` command line that reruns this scenario exactly (flags that differ
// from the defaults, plus the system, nodes and seed).
std::string run_command_line(const Scenario& scenario, const std::string& out_dir,
                             const std::string& program = "faultline");

}  // namespace faultline::cli
