#pragma once
// The built-in workloads (docs/workloads.md). Each is one registry entry; the composition
// root registers them, and a user's program may register them next to its own.
#include "framework/workload.h"

namespace faultline::workloads {

WorkloadEntry register_workload();  // read / write / cas per key
WorkloadEntry set_workload();       // unique-element add, read the whole set
WorkloadEntry counter_workload();   // add / read, decrement for PN-counters
WorkloadEntry session_workload();   // one writer per key, increasing ints; reads from varying nodes
WorkloadEntry append_workload();    // Elle-style list append per key

}  // namespace faultline::workloads
