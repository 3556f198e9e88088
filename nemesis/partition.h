#pragma once
// Network partitions, in the shapes of Jepsen's nemesis: random halves, one node isolated,
// the leader (or primary) isolated, a majorities ring (every node sees a majority, no two
// the same one), a bridge (two halves joined by one node that sees both), and one-way
// (asymmetric: some nodes can receive but not send). Every fault records the exact
// directed links it cut, so a recorded fault can be replayed without the random draw.
#include "framework/nemesis.h"

namespace faultline::nemesis {

// option: "" (a shape drawn per fault), "halves", "one", "leader", "ring", "bridge", "oneway".
Result<NemesisPtr> make_partition(const std::string& option);

}  // namespace faultline::nemesis
