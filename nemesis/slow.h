#pragma once
// Slow links: one direction of some links delays everything it carries by 20 ms to 2 s (a
// stalled TCP connection, bufferbloat, a saturated NIC or a congested switch port), between
// nodes or between clients and a node.
#include "framework/nemesis.h"

namespace faultline::nemesis {

Result<NemesisPtr> make_slow(const std::string& option);

}  // namespace faultline::nemesis
