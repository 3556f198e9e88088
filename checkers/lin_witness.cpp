#include "checkers/lin_witness.h"

#include <algorithm>
#include <optional>

#include "checkers/linearizable.h"

namespace faultline {

Json describe_history_op(const History& history, size_t invoke_position,
                         int64_t completion_position) {
  const Op& invoke = history.ops[invoke_position];
  Json op = {{"index", invoke.index}, {"process", invoke.process}, {"f", invoke.f}};
  if (invoke.key) op["key"] = *invoke.key;
  op["value"] = invoke.value;
  if (completion_position < 0) {
    op["type"] = "open";  // never completed: treated like info
    return op;
  }
  const Op& completion = history.ops[completion_position];
  op["type"] = to_string(completion.type);
  op["completion_index"] = completion.index;
  op["result"] = completion.value;
  if (completion.error) op["error"] = *completion.error;
  // The node that answered (or, failing that, the one addressed) and its role: who served it.
  if (completion.node || invoke.node) op["node"] = completion.node ? *completion.node : *invoke.node;
  if (completion.role) op["role"] = *completion.role;
  return op;
}

namespace {

// The longest partial linearization kept in the evidence: its last steps, which lead to the
// failing op (earlier steps are settled history).
constexpr size_t kLinearizationStepsShown = 64;

Json linearization_json(const History& history, const CompiledPartition& partition, const FrontierDetail& detail) {
  Json steps = Json::array();
  const size_t first = detail.linearization.size() > kLinearizationStepsShown
                           ? detail.linearization.size() - kLinearizationStepsShown
                           : 0;
  for (size_t i = first; i < detail.linearization.size(); ++i) {
    const ModelOpId op = detail.linearization[i];
    steps.push_back({{"op", describe_history_op(history, partition.invoke_position[op],
                                                partition.completion_position[op])},
                     {"state_after", partition.model->describe_state(detail.states_after[i])}});
  }
  return steps;
}

// The value a register op leaves behind when it takes effect (write v, cas [expected, v]);
// none for ops of other models.
std::optional<Json> written_value(const Op& invoke) {
  if (invoke.f == "write" || invoke.f == "put") return invoke.value;
  if (invoke.f == "cas" && invoke.value.is_array() && invoke.value.size() == 2) return invoke.value[1];
  return std::nullopt;
}

// For register-like models, where each possible state came from: the ops of the key that
// did not fail and write that value (by index), and whether it is the initial state. Only
// writes invoked before the failing op completed can have produced a state possible before it
// (real-time precedence is line order, DESIGN.md).
Json state_sources(const History& history, const CompiledPartition& partition, const Json& states,
                   size_t failing_completion_position) {
  Json sources = Json::array();
  const Json initial = partition.model->describe_state(partition.model->initial_state());
  for (const Json& state : states) {
    Json writes = Json::array();
    for (size_t op = 0; op < partition.invoke_position.size(); ++op) {
      if (partition.invoke_position[op] > failing_completion_position) continue;
      const Op& invoke = history.ops[partition.invoke_position[op]];
      const int64_t completion = partition.completion_position[op];
      if (completion >= 0 && history.ops[completion].type == OpType::fail) continue;
      if (written_value(invoke) == std::optional<Json>(state)) writes.push_back(invoke.index);
    }
    sources.push_back({{"state", state}, {"initial", state == initial}, {"writes", writes}});
  }
  return sources;
}

bool has_register_ops(const History& history, const CompiledPartition& partition) {
  for (size_t position : partition.invoke_position)
    if (written_value(history.ops[position])) return true;
  return false;
}

}  // namespace

Json build_invalid_evidence(const History& history, const CompiledPartition& partition,
                            const SearchOutcome& outcome, const FrontierDetail& detail) {
  const ModelOpId failing = partition.input.events[outcome.frontier_event].op;
  Json evidence;
  evidence["key"] = partition.key ? Json(*partition.key) : Json(nullptr);
  evidence["failing_op"] = describe_history_op(history, partition.invoke_position[failing],
                                               partition.completion_position[failing]);
  Json states = Json::array();
  for (StateId state : detail.states) states.push_back(partition.model->describe_state(state));
  evidence["states_before"] = states;
  evidence["distinct_states_before"] = detail.distinct_states;
  Json window = Json::array();
  for (ModelOpId op = 0; op < detail.pending_ops.size(); ++op) {
    if (!detail.pending_ops[op] || op == failing) continue;
    window.push_back(describe_history_op(history, partition.invoke_position[op],
                                         partition.completion_position[op]));
  }
  evidence["window"] = window;
  evidence["linearization"] = linearization_json(history, partition, detail);
  evidence["linearization_steps"] = detail.linearization.size();
  if (has_register_ops(history, partition)) {
    // An op still open at the end has no completion: every write may precede it.
    const int64_t completion = partition.completion_position[failing];
    const size_t failing_end = completion >= 0 ? static_cast<size_t>(completion) : history.ops.size();
    evidence["state_sources"] = state_sources(history, partition, states, failing_end);
  }
  evidence["witness_complete"] = detail.complete;
  evidence["search"] = {{"iterations", outcome.iterations},
                        {"cache_entries", outcome.cache_entries}};
  return evidence;
}

namespace {

std::string op_line(const Json& op) {
  std::string line = "#" + std::to_string(op["index"].get<int64_t>());
  if (op.contains("completion_index"))
    line += "..#" + std::to_string(op["completion_index"].get<int64_t>());
  line += "  process " + std::to_string(op["process"].get<int64_t>()) + "  ";
  line += op["f"].get<std::string>();
  if (op.contains("key")) line += " key=" + op["key"].dump();
  if (!op["value"].is_null()) line += " " + op["value"].dump();
  const std::string type = op["type"].get<std::string>();
  line += " -> " + type;
  // The result is shown when it says something: it differs from the argument, or the op is a
  // read of some kind (a read of null means never written).
  const std::string f = op["f"].get<std::string>();
  const bool reads = f == "read" || f == "get" || f == "dequeue" || f == "txn";
  if (type == "ok" && op.contains("result") && (op["result"] != op["value"] || reads))
    line += " " + op["result"].dump();
  if (op.contains("node")) {
    line += " [node " + op["node"].dump();
    if (op.contains("role")) line += ", " + op["role"].get<std::string>();
    line += "]";
  }
  if (type == "fail") line += " (did not happen; it observed the value was not the expected one)";
  if (type == "info" || type == "open") line += " (may have taken effect at any later point, or never)";
  return line;
}

constexpr size_t kMaxWindowLines = 40;

constexpr size_t kLinearizationStepsRendered = 6;

// The last steps of the longest partial order found: "#3 write 1 -> 1, #5 read -> 1".
std::string render_linearization(const Json& evidence) {
  if (!evidence.contains("linearization") || evidence["linearization"].empty()) return "";
  const Json& steps = evidence["linearization"];
  const size_t total = evidence["linearization_steps"].get<size_t>();
  std::string text = "  The longest order found (" + std::to_string(total) + " ops) ends:";
  const size_t first = steps.size() > kLinearizationStepsRendered ? steps.size() - kLinearizationStepsRendered : 0;
  for (size_t i = first; i < steps.size(); ++i) {
    const Json& op = steps[i]["op"];
    text += std::string(i == first ? " " : ", ") + "#" + op["index"].dump() + " " + op["f"].get<std::string>();
    if (!op["value"].is_null()) text += " " + op["value"].dump();
    text += " => " + steps[i]["state_after"].dump();
  }
  return text + "\n";
}

// "    3: written by #12, #40" per possible state, for register-like models.
std::string render_state_sources(const Json& evidence) {
  if (!evidence.contains("state_sources")) return "";
  std::string text;
  for (const Json& source : evidence["state_sources"]) {
    std::string writes;
    for (const Json& index : source["writes"]) writes += (writes.empty() ? "written by #" : ", #") + index.dump();
    std::string origins = source["initial"].get<bool>() ? "the initial state" : "";
    if (!writes.empty()) origins += (origins.empty() ? "" : "; ") + writes;
    if (origins.empty()) origins = "no write of this value";
    text += "    " + source["state"].dump() + ": " + origins + "\n";
  }
  return text;
}

}  // namespace

std::string render_evidence_text(const CheckResult& result) {
  std::string text = std::string(to_string(result.verdict)) + ": " + result.summary + "\n";
  if (result.verdict != Verdict::invalid || !result.evidence.contains("failing_op")) return text;
  const Json& evidence = result.evidence;
  text += "  The operation no order could explain:\n    " + op_line(evidence["failing_op"]) + "\n";
  if (!evidence["witness_complete"].get<bool>()) {
    text += "  (the budget ran out while collecting the states and window below; they may be partial)\n";
  }
  text += "  Model states possible just before it";
  size_t distinct = evidence["distinct_states_before"].get<size_t>();
  text += " (" + std::to_string(distinct) + "):";
  for (const Json& state : evidence["states_before"]) text += " " + state.dump();
  if (distinct > evidence["states_before"].size()) text += " ...";
  text += "\n";
  text += render_state_sources(evidence);
  text += render_linearization(evidence);
  const Json& window = evidence["window"];
  if (window.empty()) {
    text += "  No other operation was concurrent with it or still unordered: every earlier "
            "operation had to precede it.\n";
    return text;
  }
  text += "  The failing window: " + std::to_string(window.size()) +
          " operation(s) called before it and still unordered in some configuration; no "
          "order of them (each at most once, within its interval) makes it legal:\n";
  for (size_t i = 0; i < window.size() && i < kMaxWindowLines; ++i)
    text += "    " + op_line(window[i]) + "\n";
  if (window.size() > kMaxWindowLines)
    text += "    ... " + std::to_string(window.size() - kMaxWindowLines) + " more (see --json)\n";
  return text;
}

std::string render_linearizability_text(const CheckResult& result) {
  return render_evidence_text(result);
}

}  // namespace faultline
