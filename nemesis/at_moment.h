#pragma once
// Protocol-aware faults (issue 10, item 2; FoundationDB's BUGGIFY puts faults where the code
// says they matter): when a node reports a moment (Env::report_moment, e.g. Raft's
// "leader-elected"), strike that node a little later, with a probability drawn once per run:
// kill it, crash it (power loss), pause it, or isolate it from every other node. Started by
// the schedule instead of a moment, it strikes the leader (or a random node). Each event
// records the node, action and cut links, so it replays without a moment or a draw.
#include "framework/nemesis.h"

namespace faultline::nemesis {

Result<NemesisPtr> make_at_moment(const std::string& option);

}  // namespace faultline::nemesis
