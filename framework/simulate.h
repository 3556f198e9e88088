#pragma once
// The one call a property test needs: run a scenario in the simulator and get its history
// and the verdict on each of the system's claims. A run whose claims do not all hold leaves
// its history in a file, so the failure can be replayed (`faultline repro FILE`), shrunk and
// inspected after the test has gone.
#include <optional>
#include <string>

#include "framework/run.h"

namespace faultline {

struct SimulateOptions {
  // Where a failing run's history goes; nullopt: $FAULTLINE_FAILURE_DIR, else
  // "faultline-failures" in the working directory; "": not written.
  std::optional<std::string> failure_dir;
  bool print_failure_path = true;  // one line on stderr naming the file
};

struct Simulation {
  RunResult run;
  std::string history_jsonl;  // the exact bytes `faultline run` would write
  std::optional<std::string> failure_path;  // where the history of a failing run was written
};

Result<Simulation> simulate(const Scenario& scenario, const Registry& registry, const SimulateOptions& options = {});

// The directory simulate() writes failing histories to under these options ("" for none).
std::string failure_dir(const SimulateOptions& options);

}  // namespace faultline
