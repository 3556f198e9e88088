#pragma once
// The `register-delete` workload: the register workload's reads and writes, where a third
// of the writes delete the key, which is then only read for 2 s (past the store's default
// tombstone grace period). A delete is recorded as a write of null, the register
// model's absent value (docs/workloads.md, "register-delete"), so the linearizability
// checker judges it unchanged: after an acknowledged delete, a read must return null until
// the next write. There is no cas (an AP store has none).
#include "framework/workload.h"

namespace faultline::dynamo {

WorkloadEntry register_delete_workload();

}  // namespace faultline::dynamo
