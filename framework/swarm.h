#pragma once
// Swarm testing (Groce et al., "Swarm Testing", ISSTA 2012; TigerBeetle's VOPR draws its
// fault probabilities per seed): with `--nemesis all` each seed draws its own configuration
// from its seed, so a campaign explores many fault mixes, cluster sizes, loads and timings
// instead of one thin slice. The drawn scenario is what runs and what the history's header
// records, so replay and shrink work on it unchanged.
#include "base/result.h"
#include "framework/registry.h"
#include "framework/scenario.h"

namespace faultline {

inline constexpr const char* kSwarmNemesis = "all";

// `--nemesis all`, alone.
bool is_swarm(const Scenario& scenario);

// The scenario a seed runs. For a swarm: the fault packages (each registered package that
// names swarm options is on with probability 1/2, at least one), and every knob left at its
// default (nodes, clients, binding, keys, rate, op timeout, link latency, fault gaps and
// overlap, and the system's own timing params) are drawn from Rng::stream(seed, "swarm")
// (or the scenario's swarm_seed);
// a knob set to anything but its default is kept. Any other scenario is returned unchanged.
Result<Scenario> resolve_swarm(const Scenario& scenario, const Registry& registry);

}  // namespace faultline
