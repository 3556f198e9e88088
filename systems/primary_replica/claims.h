#pragma once
// What each configuration of the primary-replica store promises (issue 11, item 2), as
// claims judged by the registered checkers. A property a configuration gives up is still
// listed, with `claimed = false`, so a run shows what it gives up ("not claimed" with the
// anomalies seen). The table is docs/systems/primary-replica.md, "Claims per configuration".
#include <string>
#include <vector>

#include "framework/system.h"
#include "systems/primary_replica/config.h"
#include "systems/primary_replica/state_machine.h"

namespace faultline::primary_replica {

// Whether every acknowledged write survives every failover this configuration can make:
// without failover nothing is ever rolled back; with it, the new primary holds every entry a
// majority holds, so a write is safe once a majority held it when acknowledged (quorum,
// sync, and semi-sync when primary + one replica is a majority, i.e. at most 3 nodes).
bool acknowledged_writes_survive(const Params& params, int node_count);

std::vector<ClaimSpec> claims_for(const Params& params, DataKind kind, const std::string& workload,
                                  int node_count);

}  // namespace faultline::primary_replica
