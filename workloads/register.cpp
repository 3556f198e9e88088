#include "workloads/workloads.h"

namespace faultline::workloads {

WorkloadEntry register_workload() {
  return WorkloadEntry{
      .name = "register",
      .description = "read / write / cas per key, values in [0, --value-range); Knossos' cas-register per key",
      .operations = {{.f = "read", .value = ValueKind::none},
                     {.f = "write", .value = ValueKind::in_range},
                     {.f = "cas", .value = ValueKind::pair_in_range}},
  };
}

}  // namespace faultline::workloads
