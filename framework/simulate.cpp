#include "framework/simulate.h"

namespace faultline {

Result<Simulation> simulate(const Scenario& scenario, const Registry& registry) {
  MemorySink sink;
  BOOST_OUTCOME_TRY(run, run_scenario(scenario, registry, sink));
  return Simulation{std::move(run), sink.text()};
}

}  // namespace faultline
