#pragma once
// What `faultline run` shows a person and writes to results.json.
#include <string>

#include "framework/abort_report.h"
#include "framework/campaign_record.h"
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

// What a failing run leaves for a person beside its DIR/history.jsonl: results.json,
// messages.jsonl (the messages around the witness) and report.html.
Result<void> write_inspection_files(const std::string& dir, const RunResult& run,
                                    const std::vector<MessageRecord>& messages, int node_count,
                                    const Registry& registry, const std::string& program);

// The same for a campaign seed whose process died: results.json with the abort, and
// report.html of its history up to the abort (no messages: the process is gone).
Result<void> write_dead_seed_files(const std::string& dir, const SeedRecord& record, const Scenario& scenario,
                                   const Registry& registry, const std::string& program);

// The assertion a dead seed's process printed, read back from its stderr tail ("" if none).
std::string dead_seed_assertion(const SeedRecord& record);

}  // namespace faultline::cli
