#pragma once
// The assertion a property test makes about a generated scenario: every claim of the system
// holds. On failure the rapidcheck counterexample names each claim that did not hold with
// its checker's witness, any broken invariant, and the file holding the failing history
// (replay it with `faultline repro FILE`, or your own binary's `repro`).
#include <rapidcheck.h>

#include <sstream>

#include "framework/simulate.h"

namespace faultline::property {

struct ClaimsCheck {
  // A checker that could not decide (budget, no data) fails the property too, unless asked.
  bool unknown_is_failure = true;
  SimulateOptions simulate = {.print_failure_path = false};  // the path is in the message
};

// Why the run fails the property, or "" when it passes.
inline std::string claims_failure(const Simulation& simulation, const ClaimsCheck& check) {
  std::ostringstream why;
  const RunResult& run = simulation.run;
  if (run.invariant_violation) why << "invariant broken: " << *run.invariant_violation << "\n";
  for (const ClaimOutcome& outcome : run.claims) {
    const Verdict verdict = outcome.result.verdict;
    if (verdict == Verdict::valid || (verdict == Verdict::unknown && !check.unknown_is_failure)) continue;
    why << "claim " << outcome.claim.name << " (" << outcome.result.checker << "): " << to_string(verdict) << ": "
        << outcome.result.summary << "\n";
  }
  return why.str();
}

// Runs the scenario and fails the rapidcheck property unless every claim holds.
inline void assert_claims_hold(const Scenario& scenario, const Registry& registry, const ClaimsCheck& check = {}) {
  auto simulation = simulate(scenario, registry, check.simulate);
  if (!simulation) RC_FAIL("the scenario cannot run: " + simulation.error().message);
  std::string why = claims_failure(simulation.value(), check);
  if (why.empty()) return;
  if (simulation.value().failure_path) why += "history: " + *simulation.value().failure_path + "\n";
  RC_FAIL(why);
}

}  // namespace faultline::property
