#include "framework/workload.h"

namespace faultline {

namespace {

GeneratorPtr register_mix(const Scenario& s) {
  std::vector<WeightedGenerator> choices;
  if (s.mix.read > 0) choices.push_back({s.mix.read, read_ops(s.key_count)});
  if (s.mix.write > 0) choices.push_back({s.mix.write, write_ops(s.key_count, s.value_range)});
  if (s.mix.cas > 0) choices.push_back({s.mix.cas, cas_ops(s.key_count, s.value_range)});
  return mix(std::move(choices));
}

}  // namespace

Result<GeneratorPtr> make_workload(const Scenario& s) {
  if (s.workload != "register")
    return fail("--workload: unknown workload \"" + s.workload + "\" (known: register)");
  std::vector<GeneratorPtr> steps;
  steps.push_back(time_limit(s.time_ns, rate_limit(s.rate_hz, register_mix(s))));
  steps.push_back(sleep_for(s.quiesce_ns));
  if (s.final_reads) steps.push_back(final_reads(s.key_count, s.node_count));
  return phases(std::move(steps));
}

}  // namespace faultline
