#pragma once
// One run of a scenario in the simulator: clients driven by the workload's generator in
// Jepsen's process model, faults from the nemesis schedule, every event recorded in the
// history, and finally each of the system's claims judged by its checker.
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "checkers/verdict.h"
#include "framework/registry.h"
#include "framework/scenario.h"
#include "framework/simulator.h"
#include "histories/history.h"
#include "histories/jsonl.h"

namespace faultline {

struct ClaimOutcome {
  ClaimSpec claim;
  CheckResult result;
  std::string witness;  // the checker's rendering of a result that is not valid ("" when valid)
};

struct RunResult {
  History history;
  std::vector<ClaimOutcome> claims;
  std::optional<std::string> invariant_violation;  // the run stopped there
  SimStats stats;
  // The system's own counts (System::run_metrics), and "converged_ms_after_heal" for a
  // system that can tell when its replicas agree: simulated ms from the end of the main phase
  // to the first moment they all agreed (null: not by the end of the run).
  Json metrics = Json::object();
  int64_t end_time_ns = 0;  // simulated, or the wall clock's in real mode
  std::string runtime = kRuntimeSim;
  int64_t client_op_count = 0;  // invocations
  int64_t fault_count = 0;      // nemesis events
  bool all_claims_held() const;
  bool any_claim_violated() const;
};

// Runs the scenario and writes its history (header first) to sink line by line. With
// messages, every message the simulator sends, delivers or drops is appended there too (for
// a report's message diagram); the run is the same with or without it. A real-mode run
// (scenario.runtime) keeps its nodes' data and logs under work_dir.
Result<RunResult> run_scenario(const Scenario& scenario, const Registry& registry, LineSink& sink,
                               std::vector<MessageRecord>* messages = nullptr, const std::string& work_dir = "");

// Judges a claim on a history with the registered checker it names.
CheckResult judge_claim(const ClaimSpec& claim, const History& history, const Registry& registry);

}  // namespace faultline
