#pragma once
// Shrinking a failing scenario to a small counterexample a person can read: the run is
// turned into a script (its exact ops and fault events), then pieces are removed while
// the same claim still fails: a later end, then a projection onto what the witness involves
// (its keys, then its clients), fewer clients and nodes, fault pairs, fault durations,
// operations (delta debugging), then idle time, the final phase (or fewer keys to read in it)
// and the run's length.
// Projecting and dropping whole clients and nodes first leaves delta debugging far fewer
// ops to try one chunk at a time. Every candidate is a deterministic run, so shrinking the
// same input twice gives the same result.
//
// Every candidate runs in a child process (worker_processes.h), so a run that aborts (a
// protocol core's FAULTLINE_ASSERT, a crash) is a failing candidate, not the end of the
// shrink. A scenario that aborts shrinks with "the same assertion fires" as its failure.
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "framework/abort_report.h"
#include "framework/run.h"

namespace faultline {

struct ShrinkOptions {
  int max_runs = 3000;  // candidate runs at most; past it the best so far is returned
  // The ops (history indexes) the witness of the claim violated in run names, for the
  // projection pass; unset or empty: no projection. framework/ cannot read every checker's evidence,
  // so the caller (the CLI, through report::witness_focus) supplies it.
  std::function<std::vector<int64_t>(const RunResult& run, const std::string& claim)> witness_ops;
  // The claim that must keep failing; unset: the first the input violates (a broken
  // invariant first, then the claims the system makes, in order, then those it does not).
  std::optional<std::string> claim;
};

// The size of a run as its run line counts it: client ops invoked (final reads included)
// and fault events recorded (heal included), with the scenario's nodes, clients and length.
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
  std::set<std::string> original_failing_claims;  // the same for the input run
  std::string target;  // what every candidate had to keep failing: a claim, "invariants" or "aborted"
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

// A run's size as its run line counts it (ScenarioSize).
ScenarioSize run_size(const Scenario& scenario, const History& history);

}  // namespace faultline
