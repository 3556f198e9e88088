#include "workloads/workloads.h"

namespace faultline::workloads {

// One writer per key writing 1, 2, 3, ...: the value a read returns is the version it saw,
// so session guarantees and staleness are visible from the history alone.
WorkloadEntry session_workload() {
  return WorkloadEntry{
      .name = "session",
      .description = "each key has one writing slot that writes increasing integers; every process reads "
                     "keys from nodes drawn at random",
      .operations = {{.f = "read", .default_weight = 3, .value = ValueKind::none, .random_node = true},
                     {.f = "write", .value = ValueKind::increasing}},
  };
}

}  // namespace faultline::workloads
