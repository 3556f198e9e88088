#pragma once
// Flaky links: between node pairs, packets are lost, duplicated, delayed and reordered
// (a congested or misbehaving network, a bad NIC, a retransmitting middlebox).
#include "framework/nemesis.h"

namespace faultline::nemesis {

Result<NemesisPtr> make_flaky(const std::string& option);

}  // namespace faultline::nemesis
