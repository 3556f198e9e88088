#pragma once
// Checks a scenario's script before it runs. A script comes from a history's header, which a
// person may edit, so every value in it is checked the way command-line flags are: a bad one
// is an error naming the scripted op or fault, never an assertion inside a run.
#include <vector>

#include "base/result.h"
#include "framework/nemesis.h"
#include "framework/scenario.h"
#include "framework/workload.h"

namespace faultline {

// Every scripted op is one of the workload's operations, on one of the run's keys, with a
// value of the shape its ValueKind draws (docs/workloads.md), addressed to no node or a node
// of the cluster.
Result<void> check_scripted_ops(const Script& script, const Scenario& scenario, const WorkloadEntry& workload);

// Every scripted fault is replayed by one of the packages against a cluster that only
// checks what it is asked: node ids in range, links between nodes, clock values the
// simulator can represent, link qualities that are probabilities and latencies.
Result<void> check_scripted_faults(const Script& script, const Scenario& scenario,
                                   const std::vector<NemesisPtr>& packages);

}  // namespace faultline
