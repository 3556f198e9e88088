#include "workloads/workloads.h"

namespace faultline::workloads {

WorkloadEntry counter_workload() {
  return WorkloadEntry{
      .name = "counter",
      .description = "increments by [1, --value-range] and reads per key; decrements (weight 0 by default) "
                     "for PN-counters; Jepsen's counter",
      .operations = {{.f = "add", .value = ValueKind::amount},
                     {.f = "read", .value = ValueKind::none},
                     {.f = "decrement", .default_weight = 0, .value = ValueKind::amount}},
  };
}

}  // namespace faultline::workloads
