#pragma once
// Clock faults: a node's clock jumps (bump) or runs fast or slow (skew) until the fault
// stops. Systems that trust clocks for leases or last-write-wins show it here.
#include "framework/nemesis.h"

namespace faultline::nemesis {

// option: "bump" (an offset of up to +-10 s), "skew" (drift up to +-20%), or "" (either).
Result<NemesisPtr> make_clock(const std::string& option);

}  // namespace faultline::nemesis
