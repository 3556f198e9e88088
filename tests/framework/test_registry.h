#pragma once
// A registry with the single store, every fault package, the built-in workloads and the
// linearizability, liveness, session and staleness checkers, for framework tests that must not depend on the
// other systems.
#include <gtest/gtest.h>

#include "checkers/linearizable.h"
#include "checkers/liveness.h"
#include "checkers/session.h"
#include "checkers/staleness.h"
#include "framework/registry.h"
#include "framework/simulate.h"
#include "nemesis/clock.h"
#include "nemesis/flaky.h"
#include "nemesis/partition.h"
#include "nemesis/process.h"
#include "systems/single/single_store.h"
#include "workloads/workloads.h"

namespace faultline::testing {

inline const Registry& single_registry() {
  static const Registry registry = [] {
    Registry r;
    r.add_system(single::single_entry());
    r.add_workload(workloads::register_workload());
    r.add_workload(workloads::set_workload());
    r.add_workload(workloads::counter_workload());
    r.add_workload(workloads::session_workload());
    r.add_workload(workloads::append_workload());
    r.add_checker(linearizable_checker());
    r.add_checker(liveness_checker());
    r.add_checker(session_checker());
    r.add_checker(staleness_checker());
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
