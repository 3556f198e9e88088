#pragma once
// When the store has converged (docs/systems/dynamo.md, "What a run counts"): the figure
// "converged_ms_after_heal" is the first moment after the heal at which this holds.
#include <span>

#include "framework/env.h"

namespace faultline::dynamo {

// Every node is up and has the same ring, no node holds a hint for another, and for every
// key any node stores, all the key's owners hold the same state (equal digests).
bool replicas_agree(std::span<Node* const> nodes);

}  // namespace faultline::dynamo
