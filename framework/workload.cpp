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

// A script's ops, each on its slot at its time (or as soon after as the slot is free);
// exhausted at the end of the main phase.
class ScriptedOps final : public Generator {
 public:
  ScriptedOps(const std::vector<ScriptedOp>& ops, int slot_count, int64_t end_ns)
      : queues_(slot_count), end_ns_(end_ns) {
    for (const auto& op : ops) queues_[op.slot].push_back(op);
  }
  GenResult next(const GenContext& context) override {
    auto& queue = queues_[context.slot];
    if (next_[context.slot] < queue.size()) {
      const ScriptedOp& op = queue[next_[context.slot]];
      if (op.at_ns > context.now_ns) return Wait{op.at_ns};
      ++next_[context.slot];
      return op.op;
    }
    return context.now_ns >= end_ns_ ? GenResult{Exhausted{}} : GenResult{Wait{end_ns_}};
  }

 private:
  std::vector<std::vector<ScriptedOp>> queues_;  // per slot, in time order
  std::vector<size_t> next_ = std::vector<size_t>(queues_.size(), 0);
  int64_t end_ns_;
};

GeneratorPtr main_phase(const Scenario& s) {
  if (s.script) return std::make_unique<ScriptedOps>(s.script->ops, s.concurrency, s.time_ns);
  return time_limit(s.time_ns, rate_limit(s.rate_hz, register_mix(s)));
}

}  // namespace

Result<GeneratorPtr> make_workload(const Scenario& s) {
  if (s.workload != "register")
    return fail("--workload: unknown workload \"" + s.workload + "\" (known: register)");
  std::vector<GeneratorPtr> steps;
  steps.push_back(main_phase(s));
  steps.push_back(sleep_for(s.quiesce_ns));
  if (s.final_reads) steps.push_back(final_reads(s.key_count, s.node_count));
  return phases(std::move(steps));
}

}  // namespace faultline
