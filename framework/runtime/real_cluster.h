#pragma once
// The real world (issue 15): every node a `faultline node` process on loopback, started,
// faulted and stopped by this runner, which also hosts the clients and drives the run on one
// thread (so the history's line order is a real-time order, as DESIGN.md requires). It
// implements the same World as the simulator, so the Driver, the nemeses, the recorder and
// the checkers are unchanged; what a process cannot give (invariants over every node after
// each event, a byte-for-byte replay) is refused before a run (docs/runtime.md).
#include <memory>
#include <string>

#include "framework/registry.h"
#include "framework/world.h"

namespace faultline::runtime {

struct RealClusterOptions {
  std::string executable;  // the program that has a `node` subcommand (this one: /proc/self/exe)
  std::string work_dir;    // nodes/nI/{data,stderr.log} and scenario.jsonl go here
};

// Starts every node process and waits until each listens; an error names the node that did
// not start and ends with its stderr. The returned world owns the processes: destroying it
// kills and reaps them.
Result<std::unique_ptr<World>> start_real_cluster(const Scenario& scenario, const System& system,
                                                  const RealClusterOptions& options);

// The registry's real runtime, for a program whose `node` subcommand is `executable`.
RealRuntimeFactory real_runtime_factory(std::string executable);

}  // namespace faultline::runtime
