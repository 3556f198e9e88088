#include "workloads/workloads.h"

namespace faultline::workloads {

WorkloadEntry append_workload() {
  return WorkloadEntry{
      .name = "append",
      .description = "Elle-style list append per key: append a unique element, read the whole list",
      .operations = {{.f = "append", .value = ValueKind::unique}, {.f = "read", .value = ValueKind::none}},
  };
}

}  // namespace faultline::workloads
