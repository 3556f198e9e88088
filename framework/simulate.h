#pragma once
// The one call a property test needs: run a scenario in the simulator and get its history
// and the verdict on each of the system's claims.
#include "framework/run.h"

namespace faultline {

struct Simulation {
  RunResult run;
  std::string history_jsonl;  // the exact bytes `faultline run` would write
};

Result<Simulation> simulate(const Scenario& scenario, const Registry& registry);

}  // namespace faultline
