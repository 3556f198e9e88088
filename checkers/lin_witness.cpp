#include "checkers/lin_witness.h"

#include <algorithm>

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
  return op;
}

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
  if (type == "fail") line += " (did not happen; it observed the value was not the expected one)";
  if (type == "info" || type == "open") line += " (may have taken effect at any later point, or never)";
  return line;
}

constexpr size_t kMaxWindowLines = 40;

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
