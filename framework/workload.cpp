#include "framework/workload.h"

#include <memory>

#include "base/assert.h"

namespace faultline {

namespace {

// What the operations of one run share: the next unique element, each key's last version.
struct DrawState {
  int64_t next_unique = 0;
  std::vector<int64_t> last_version;  // per key, for ValueKind::increasing
};

// One operation kind: f on a random key, its value drawn per its ValueKind.
class OperationOps final : public Generator {
 public:
  OperationOps(OperationSpec spec, const Scenario& s, std::shared_ptr<DrawState> state, GeneratorPtr fallback)
      : spec_(std::move(spec)),
        key_count_(s.key_count),
        value_range_(s.value_range),
        node_count_(s.node_count),
        state_(std::move(state)),
        fallback_(std::move(fallback)) {}

  GenResult next(const GenContext& context) override {
    Rng& rng = *context.rng;
    int key = static_cast<int>(rng.below(key_count_));
    if (spec_.value == ValueKind::increasing) {
      auto owned = owned_key(context, rng);
      if (!owned) {
        FAULTLINE_ASSERT(fallback_ != nullptr, "an increasing op needs a fallback for slots that own no key");
        return fallback_->next(context);
      }
      key = *owned;
    }
    ClientOp op{.f = spec_.f, .key = key_name(key), .value = draw_value(rng, key)};
    if (spec_.random_node) op.node = static_cast<EndpointId>(rng.below(node_count_));
    return op;
  }

 private:
  // A key this slot writes (key i belongs to slot i mod slot_count), or none.
  std::optional<int> owned_key(const GenContext& context, Rng& rng) const {
    int owned_count = 0;
    for (int key = context.slot; key < key_count_; key += context.slot_count) ++owned_count;
    if (owned_count == 0) return std::nullopt;
    return context.slot + static_cast<int>(rng.below(owned_count)) * context.slot_count;
  }

  Json draw_value(Rng& rng, int key) {
    switch (spec_.value) {
      case ValueKind::none: return Json();
      case ValueKind::in_range: return rng.below(value_range_);
      case ValueKind::pair_in_range: return Json::array({rng.below(value_range_), rng.below(value_range_)});
      case ValueKind::amount: return 1 + rng.below(value_range_);
      case ValueKind::unique: return state_->next_unique++;
      case ValueKind::increasing: return ++state_->last_version[key];
    }
    FAULTLINE_ASSERT(false, "unknown value kind");
    return Json();
  }

  OperationSpec spec_;
  int key_count_;
  int value_range_;
  int node_count_;
  std::shared_ptr<DrawState> state_;
  GeneratorPtr fallback_;
};

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

GeneratorPtr main_phase(const WorkloadEntry& workload, const Scenario& s) {
  if (s.script) return std::make_unique<ScriptedOps>(s.script->ops, s.concurrency, s.time_ns);
  GeneratorPtr ops = workload.make_ops ? workload.make_ops(s) : operation_mix(workload, s);
  if (s.clients_per_node) ops = bound_to_nodes(s.node_count, std::move(ops));
  return time_limit(s.time_ns, rate_limit(s.rate_hz, std::move(ops)));
}

}  // namespace

std::vector<uint64_t> operation_weights(const WorkloadEntry& workload, const Scenario& s) {
  std::vector<uint64_t> weights;
  for (const auto& operation : workload.operations) {
    auto given = s.mix.find(operation.f);
    weights.push_back(given != s.mix.end() ? given->second : operation.default_weight);
  }
  return weights;
}

Result<void> check_workload(const WorkloadEntry& workload, const Scenario& s) {
  std::string known;
  for (const auto& operation : workload.operations) known += (known.empty() ? "" : ", ") + operation.f;
  for (const auto& [f, weight] : s.mix) {
    bool found = false;
    for (const auto& operation : workload.operations) found = found || operation.f == f;
    if (!found)
      return fail("--mix: workload \"" + workload.name + "\" has no operation \"" + f + "\" (its operations: " +
                  known + ")");
  }
  uint64_t total = 0;
  for (uint64_t weight : operation_weights(workload, s)) {
    if (weight > (uint64_t{1} << 40)) return fail("--mix: a weight must be at most 2^40");
    total += weight;
  }
  if (total == 0 && !s.script) return fail("--mix: workload \"" + workload.name + "\" needs a positive weight");
  if (workload.validate) return workload.validate(s);
  return outcome::success();
}

GeneratorPtr operation_mix(const WorkloadEntry& workload, const Scenario& s) {
  auto state = std::make_shared<DrawState>();
  state->last_version.assign(s.key_count, 0);
  auto make = [&](const OperationSpec& spec) -> GeneratorPtr {
    GeneratorPtr fallback;
    if (spec.value == ValueKind::increasing) {
      for (const auto& other : workload.operations)
        if (other.value == ValueKind::none && !fallback)
          fallback = std::make_unique<OperationOps>(other, s, state, nullptr);
    }
    return std::make_unique<OperationOps>(spec, s, state, std::move(fallback));
  };
  std::vector<uint64_t> weights = operation_weights(workload, s);
  std::vector<WeightedGenerator> choices;
  for (size_t i = 0; i < workload.operations.size(); ++i)
    if (weights[i] > 0) choices.push_back({weights[i], make(workload.operations[i])});
  return mix(std::move(choices));
}

GeneratorPtr workload_generator(const WorkloadEntry& workload, const Scenario& s) {
  std::vector<GeneratorPtr> steps;
  steps.push_back(main_phase(workload, s));
  steps.push_back(sleep_for(s.quiesce_ns));
  if (s.final_reads && !workload.final_read_f.empty())
    steps.push_back(final_reads(workload.final_read_f, s.key_count, s.node_count));
  return phases(std::move(steps));
}

}  // namespace faultline
