#pragma once
// The sharded store's operator faults (issue 13), sent to every node (only the controller's
// leader acts on them, as an operator's command reaches whoever leads):
//   move        each start, and each stop, moves one shard to another group while the load
//               runs (a move is not undone: the stop is simply the next move)
//   membership  start: a replica group leaves (its shards move to the others); stop: it
//               joins again (shards move back to even the load)
// A package knows nothing of the layout, so each event records a random pick that the
// controller turns into a shard and a group (controller_node.cpp); every start and stop
// records its pick, so it replays exactly.
#include <string>

#include "framework/nemesis.h"

namespace faultline::sharded {

// option: "" only.
Result<NemesisPtr> make_move_nemesis(const std::string& option);
Result<NemesisPtr> make_membership_nemesis(const std::string& option);

}  // namespace faultline::sharded
