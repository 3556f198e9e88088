#include "workloads/workloads.h"

namespace faultline::workloads {

WorkloadEntry set_workload() {
  return WorkloadEntry{
      .name = "set",
      .description = "adds of unique elements (one per op) and reads of the whole set, per key; Jepsen's set",
      .operations = {{.f = "add", .value = ValueKind::unique}, {.f = "read", .value = ValueKind::none}},
  };
}

}  // namespace faultline::workloads
