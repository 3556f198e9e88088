#pragma once
// Shrinking a failing scenario to a small counterexample a person can read: the run is
// turned into a script (its exact ops and fault events), then pieces are removed while
// the same claim still fails: fault pairs, then fault durations, then operations (delta
// debugging), then clients, nodes, the final phase and the run's length. Every candidate
// is a deterministic run, so shrinking the same input twice gives the same result.
//
// Every candidate runs in a child process (worker_processes.h), so a run that aborts (a
// protocol core's FAULTLINE_ASSERT, a crash) is a failing candidate, not the end of the
// shrink. A scenario that aborts shrinks with "the same assertion fires" as its failure.
#include <optional>
#include <set>
#include <string>

#include "framework/abort_report.h"
#include "framework/run.h"

namespace faultline {

struct ShrinkOptions {
  int max_runs = 3000;  // candidate runs at most; past it the best so far is returned
};

struct ScenarioSize {
  size_t ops = 0;
  size_t faults = 0;
  int nodes = 0;
  int clients = 0;
  int64_t time_ns = 0;
};

struct ShrinkResult {
  Scenario minimal;
  std::string minimal_history;  // JSONL, header first; up to the abort when it aborts
  std::optional<RunResult> minimal_run;  // when the minimal scenario finishes (fails a claim)
  std::optional<AbortReport> abort;      // when it aborts, as the input did
  ScenarioSize before;
  ScenarioSize after;
  // What still fails: claim names, "invariants" for a broken one, "aborted" for an abort.
  std::set<std::string> failing_claims;
  int runs = 0;
  bool budget_exhausted = false;
};

// The main phase of a recorded run as a script: every client op without a node target
// (final reads have one), on its slot (process mod concurrency), and every fault event.
Script script_from_history(const History& history, const Scenario& scenario);

// Claims a run violated; "invariants" when a protocol invariant broke.
std::set<std::string> violated_claims(const RunResult& run);

Result<ShrinkResult> shrink(const Scenario& failing, const Registry& registry, const ShrinkOptions& options);

std::string describe(const ScenarioSize& size);

}  // namespace faultline
