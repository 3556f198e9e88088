#pragma once
// The fault package `failover` (for --system primary-replica): an operator's manual
// failover, as `replSetStepUp` on MongoDB secondaries or an orchestrator's "promote the most
// advanced replica". Each start tells every live node but the current primary to campaign for
// the next epoch now; voters refuse a candidate whose log is behind theirs, so the most
// up-to-date reachable node wins. Under failover=off the nodes ignore it. Stop does nothing
// (a failover is not undone). Every start records the nodes it told, so it replays exactly.
#include <string>

#include "framework/nemesis.h"

namespace faultline::primary_replica {

// option: "" only.
Result<NemesisPtr> make_failover_nemesis(const std::string& option);

}  // namespace faultline::primary_replica
