#pragma once
// Clock faults on one node: a jump (bump), a clock running fast or slow (skew), or a clock
// that flips back and forth (strobe), until the fault stops. Systems that trust clocks for
// leases or last-write-wins show it here.
#include "framework/nemesis.h"

namespace faultline::nemesis {

// option: "bump" (an offset of up to +-10 s), "skew" (drift up to +-20%), "strobe"
// (jumps of up to 5 s every 10-200 ms), or "" (one of them drawn per fault).
Result<NemesisPtr> make_clock(const std::string& option);

}  // namespace faultline::nemesis
