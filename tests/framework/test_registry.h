#pragma once
// A registry with the single store and every fault package, for framework tests that must
// not depend on the other systems.
#include <gtest/gtest.h>

#include "framework/registry.h"
#include "framework/simulate.h"
#include "nemesis/clock.h"
#include "nemesis/flaky.h"
#include "nemesis/partition.h"
#include "nemesis/process.h"
#include "systems/single/single_store.h"

namespace faultline::testing {

inline const Registry& single_registry() {
  static const Registry registry = [] {
    Registry r;
    r.add_system({"single", "baseline", 1, 1, 1,
                  [](const SystemConfig& c) { return std::make_unique<single::SingleStore>(c); }, {}});
    r.add_nemesis({"partition", "", nemesis::make_partition});
    r.add_nemesis({"kill", "", nemesis::make_kill});
    r.add_nemesis({"crash", "", nemesis::make_crash});
    r.add_nemesis({"pause", "", nemesis::make_pause});
    r.add_nemesis({"clock", "", nemesis::make_clock});
    r.add_nemesis({"flaky", "", nemesis::make_flaky});
    return r;
  }();
  return registry;
}

// Runs a scenario on the single registry; a scenario the registry rejects fails the test.
inline Simulation simulate_single(const Scenario& scenario) {
  auto simulation = simulate(scenario, single_registry());
  EXPECT_TRUE(simulation) << (simulation ? "" : simulation.error().message);
  return std::move(simulation).value();
}

}  // namespace faultline::testing
