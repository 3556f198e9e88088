#pragma once
// The composition root's registrations: the one place that names every built-in system,
// workload, checker and fault package (DESIGN.md, layers). A user's program calls
// add_builtins() on its own registry, then adds its own system (docs/your-own-system.md).
#include "framework/registry.h"

namespace faultline {

// The built-in fault packages, workloads and checkers (not the systems).
void add_builtins(Registry& registry);
void add_builtin_nemeses(Registry& registry);
void add_builtin_workloads(Registry& registry);
void add_builtin_checkers(Registry& registry);
// The built-in systems: single, raft.
void add_builtin_systems(Registry& registry);

namespace cli {

// Everything built in: what the faultline executable runs.
const Registry& builtin_registry();

}  // namespace cli

}  // namespace faultline
