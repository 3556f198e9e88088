#include "framework/script_check.h"

#include <exception>

#include "framework/generator.h"
#include "framework/sim_clock.h"

namespace faultline {

namespace {

constexpr int64_t kLinkLatencyMax_ns = 10'000'000'000;  // as --latency and --jitter

bool is_integer(const Json& value) { return value.is_number_integer(); }

// A value as quoted in an error: an edited header may hold a huge one.
std::string shown(const Json& value) {
  constexpr size_t kShown = 120;
  std::string text = value.dump();
  return text.size() <= kShown ? text : text.substr(0, kShown) + "...";
}

// The value shape each ValueKind draws (framework/workload.h); ranges are the scenario's
// business, the shape is what a system relies on (a cas value is [expected, new]).
std::optional<std::string> value_problem(ValueKind kind, const Json& value) {
  switch (kind) {
    case ValueKind::none:
      if (!value.is_null()) return "takes no value (null)";
      break;
    case ValueKind::in_range:
    case ValueKind::unique:
    case ValueKind::increasing:
      if (!is_integer(value)) return "takes an integer value";
      break;
    case ValueKind::pair_in_range:
      if (!value.is_array() || value.size() != 2 || !is_integer(value[0]) || !is_integer(value[1]))
        return "takes a value [expected, new] of two integers";
      break;
    case ValueKind::amount: {
      const bool positive = value.is_number_unsigned() ? value.get<uint64_t>() >= 1
                                                       : is_integer(value) && value.get<int64_t>() >= 1;
      if (!positive) return "takes a positive integer amount";
      break;
    }
  }
  return std::nullopt;
}

std::string op_name(size_t position, const ScriptedOp& op) {
  return "script op #" + std::to_string(position) + " (" + op.op.f + " at " + format_duration(op.at_ns) + ", slot " +
         std::to_string(op.slot) + ")";
}

Result<void> check_op(size_t position, const ScriptedOp& scripted, const Scenario& s, const WorkloadEntry& workload) {
  const ClientOp& op = scripted.op;
  const OperationSpec* spec = nullptr;
  std::string known;
  for (const auto& operation : workload.operations) {
    if (operation.f == op.f) spec = &operation;
    known += (known.empty() ? "" : ", ") + operation.f;
  }
  const std::string name = op_name(position, scripted);
  if (spec == nullptr)
    return fail(name + ": workload \"" + workload.name + "\" has no operation \"" + op.f + "\" (its operations: " +
                known + ")");
  bool known_key = false;
  for (int key = 0; key < s.key_count && op.key; ++key) known_key = known_key || *op.key == key_name(key);
  if (!known_key)
    return fail(name + ": key " + (op.key ? "\"" + *op.key + "\"" : "missing") + " is not one of the run's " +
                std::to_string(s.key_count) + " keys (" + key_name(0) + ".." + key_name(s.key_count - 1) + ")");
  const bool allowed_null = spec->null_allowed && op.value.is_null();
  if (auto problem = allowed_null ? std::nullopt : value_problem(spec->value, op.value))
    return fail(name + ": \"" + op.f + "\" " + *problem + ", got " + shown(op.value));
  if (op.node && (*op.node < 0 || *op.node >= s.node_count))
    return fail(name + ": node " + std::to_string(*op.node) + " is not a node of the cluster (0.." +
                std::to_string(s.node_count - 1) + ")");
  return outcome::success();
}

// A cluster that applies nothing and records the first request it could not honour.
class CheckingFaultApi final : public FaultApi {
 public:
  explicit CheckingFaultApi(int node_count) : node_count_(node_count) {}
  const std::optional<std::string>& problem() const { return problem_; }

  int node_count() const override { return node_count_; }
  int64_t now_ns() const override { return 0; }
  void cut_link(EndpointId from, EndpointId to) override { check_link(from, to); }
  void heal_link(EndpointId from, EndpointId to) override { check_link(from, to); }
  void heal_all_links() override {}
  bool link_cut(EndpointId, EndpointId) const override { return false; }
  void crash(EndpointId node, CrashMode) override { check_node(node); }
  void restart(EndpointId node) override { check_node(node); }
  bool is_up(EndpointId) const override { return true; }
  void pause(EndpointId node) override { check_node(node); }
  void resume(EndpointId node) override { check_node(node); }
  bool is_paused(EndpointId) const override { return false; }
  void set_clock(EndpointId node, int64_t offset_ns, int64_t drift_ppm) override {
    check_node(node);
    require(offset_ns >= -kClockOffsetLimit_ns && offset_ns <= kClockOffsetLimit_ns,
            "a clock offset must be within a year (" + std::to_string(kClockOffsetLimit_ns) + " ns), got " +
                std::to_string(offset_ns));
    require(drift_ppm >= kClockDriftMin_ppm && drift_ppm <= kClockDriftMax_ppm,
            "a clock drift must be in [" + std::to_string(kClockDriftMin_ppm) + ", " +
                std::to_string(kClockDriftMax_ppm) + "] ppm, got " + std::to_string(drift_ppm));
  }
  void set_clock_strobe(EndpointId node, int64_t delta_ns, int64_t period_ns) override {
    check_node(node);
    require(delta_ns >= -kClockOffsetLimit_ns && delta_ns <= kClockOffsetLimit_ns,
            "a strobe jump must be within a year, got " + std::to_string(delta_ns));
    require(period_ns >= 0, "a strobe period cannot be negative, got " + std::to_string(period_ns));
  }
  void set_link_quality(EndpointId from, EndpointId to, const LinkQuality& quality) override {
    check_link(from, to);
    check_quality(quality);
  }
  void check_quality(const LinkQuality& quality) {
    auto latency_ok = [](int64_t ns) { return ns >= 0 && ns <= kLinkLatencyMax_ns; };
    require(latency_ok(quality.latency_ns_base) && latency_ok(quality.latency_ns_jitter),
            "a link latency and jitter must be in [0, 10s]");
    auto probability_ok = [](double p) { return p >= 0 && p <= 1; };
    require(probability_ok(quality.loss_probability) && probability_ok(quality.duplicate_probability),
            "a link's loss and duplicate probabilities must be in [0, 1]");
  }
  void reset_link_quality(EndpointId from, EndpointId to) override { check_link(from, to); }
  void set_client_link_quality(EndpointId node, ClientLinks, const LinkQuality& quality) override {
    check_node(node);
    check_quality(quality);
  }
  void reset_client_link_quality(EndpointId node, ClientLinks) override { check_node(node); }
  void reset_link_qualities() override {}
  std::optional<EndpointId> leader() const override { return std::nullopt; }
  std::vector<EndpointId> nodes_in_role(const std::string&) const override { return {}; }
  void send_operator_message(EndpointId node, MessagePtr) override { check_node(node); }

 private:
  void require(bool ok, const std::string& what) {
    if (!ok && !problem_) problem_ = what;
  }
  void check_node(EndpointId node) {
    require(node >= 0 && node < node_count_, "node " + std::to_string(node) + " is not a node of the cluster (0.." +
                                                 std::to_string(node_count_ - 1) + ")");
  }
  void check_link(EndpointId from, EndpointId to) {
    check_node(from);
    check_node(to);
    require(from != to, "a link joins two different nodes, got [" + std::to_string(from) + ", " +
                            std::to_string(to) + "]");
  }

  int node_count_;
  std::optional<std::string> problem_;
};

Result<void> check_fault(size_t position, const ScriptedFault& fault, int node_count,
                         const std::vector<NemesisPtr>& packages) {
  const std::string name =
      "script fault #" + std::to_string(position) + " (" + fault.f + " at " + format_duration(fault.at_ns) + ")";
  CheckingFaultApi cluster(node_count);
  bool replayed = false;
  try {
    for (const auto& package : packages) {
      replayed = package->replay(cluster, NemesisEvent{fault.f, fault.value});
      if (replayed) break;
    }
  } catch (const std::exception& error) {
    return fail(name + ": malformed value " + shown(fault.value) + ": " + error.what());
  }
  if (!replayed) return fail(name + ": no fault package replays \"" + fault.f + "\"");
  if (cluster.problem()) return fail(name + ": " + *cluster.problem());
  return outcome::success();
}

}  // namespace

Result<void> check_scripted_ops(const Script& script, const Scenario& scenario, const WorkloadEntry& workload) {
  for (size_t i = 0; i < script.ops.size(); ++i) {
    BOOST_OUTCOME_TRYV(check_op(i, script.ops[i], scenario, workload));
  }
  return outcome::success();
}

Result<void> check_scripted_faults(const Script& script, const Scenario& scenario,
                                   const std::vector<NemesisPtr>& packages) {
  for (size_t i = 0; i < script.faults.size(); ++i) {
    BOOST_OUTCOME_TRYV(check_fault(i, script.faults[i], scenario.node_count, packages));
  }
  return outcome::success();
}

}  // namespace faultline
