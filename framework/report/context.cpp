#include "framework/report/context.h"

#include <algorithm>
#include <cstdio>

#include "framework/report/fault_intervals.h"
#include "framework/report/history_index.h"
#include "framework/report/witness_focus.h"

namespace faultline::report {

namespace {

constexpr size_t kContextOpsShown = 12;
constexpr size_t kWaitingOpsShown = 5;

std::string outcome_of(const HistoryIndex& index, size_t invoke) {
  auto completion = index.partner(invoke);
  return completion ? std::string(to_string(index.history().ops[*completion].type)) : "open";
}

Json op_context(const HistoryIndex& index, size_t position, bool primary) {
  const size_t invoke_position = index.invoke_of(position);
  const Op& invoke = index.history().ops[invoke_position];
  auto completion_position = index.partner(invoke_position);
  const Op* completion = completion_position ? &index.history().ops[*completion_position] : nullptr;
  Json op = {{"index", invoke.index},
             {"process", invoke.process},
             {"f", invoke.f},
             {"key", invoke.key ? Json(*invoke.key) : Json()},
             {"value", invoke.value},
             {"outcome", outcome_of(index, invoke_position)},
             {"invoke_ns", invoke.time_ns},
             {"completion_ns", completion ? Json(completion->time_ns) : Json()},
             {"served_by", completion && completion->node ? Json(*completion->node) : Json()},
             {"role", completion && completion->role ? Json(*completion->role) : Json()},
             {"addressed_node", invoke.node ? Json(*invoke.node) : Json()},
             {"primary", primary}};
  if (completion && completion->type == OpType::ok && completion->value != invoke.value) op["result"] = completion->value;
  if (completion && completion->error) op["error"] = *completion->error;
  return op;
}

Json fault_context(const FaultInterval& fault) {
  return {{"kind", fault.kind},       {"label", fault.label},   {"start_ns", fault.start_ns},
          {"end_ns", fault.end_ns},   {"ended", fault.end_index.has_value()}, {"nodes", fault.nodes}};
}

Json fault_labels(const std::vector<FaultInterval>& faults) {
  Json labels = Json::array();
  for (const FaultInterval& fault : faults) labels.push_back(fault.label);
  return labels;
}

// Liveness (docs/checkers/liveness.md): each unanswered op waited for an answer to its request
// from the node it addressed, or from whichever node its client reached.
Json waited_for(const HistoryIndex& index, const Json& evidence, const std::vector<FaultInterval>& faults) {
  Json waiting = Json::array();
  if (!evidence.contains("unanswered")) return waiting;
  for (const Json& entry : evidence["unanswered"]) {
    if (waiting.size() == kWaitingOpsShown || !entry.contains("invoke") || !entry["invoke"].is_number_integer()) break;
    auto position = index.position_of(entry["invoke"].get<int64_t>());
    if (!position) continue;
    Json op = op_context(index, *position, waiting.empty());
    int64_t until_ns = index.end_ns(*position);
    op["faults"] = fault_labels(faults_during(faults, op["invoke_ns"].get<int64_t>(), until_ns));
    waiting.push_back(std::move(op));
  }
  return waiting;
}

std::string op_name(const Json& op) {
  std::string text = "#" + op["index"].dump() + " " + op["f"].get<std::string>();
  if (!op["key"].is_null()) text += " " + op["key"].get<std::string>();
  if (!op["value"].is_null()) text += " " + op["value"].dump();
  return text;
}

std::string served_text(const Json& op) {
  if (!op["served_by"].is_null())
    return "served by node " + op["served_by"].dump() + (op["role"].is_null() ? "" : " (" + op["role"].get<std::string>() + ")");
  if (!op["addressed_node"].is_null()) return "sent to node " + op["addressed_node"].dump() + ", no answer";
  return "no node named";
}

std::string op_line(const Json& op) {
  std::string text = op_name(op) + " -> " + op["outcome"].get<std::string>();
  if (op.contains("result")) text += " " + op["result"].dump();
  text += ", " + served_text(op) + " [process " + op["process"].dump() + ", t=" +
          format_seconds(op["invoke_ns"].get<int64_t>()) + "]";
  if (op["primary"].get<bool>()) text += "  <- at fault";
  return text;
}

std::string faults_text(const Json& faults) {
  if (faults.empty()) return "none";
  std::string text;
  for (const Json& fault : faults) {
    text += (text.empty() ? "" : "; ") + fault["label"].get<std::string>() + " from " +
            format_seconds(fault["start_ns"].get<int64_t>()) +
            (fault["ended"].get<bool>() ? " to " + format_seconds(fault["end_ns"].get<int64_t>()) : " on");
  }
  return text;
}

std::string waiting_line(const Json& op) {
  std::string from = op["addressed_node"].is_null() ? "the cluster" : "node " + op["addressed_node"].dump() + " (the node it addressed)";
  std::string text = op_name(op) + " [process " + op["process"].dump() + "] waited from t=" +
                     format_seconds(op["invoke_ns"].get<int64_t>()) + " for an answer from " + from;
  if (op["completion_ns"].is_null()) return text + "; none came before the run ended";
  text += "; it ended " + op["outcome"].get<std::string>();
  if (op.contains("error")) text += " (" + op["error"].get<std::string>() + ")";
  text += " at " + format_seconds(op["completion_ns"].get<int64_t>());
  std::string faults;
  for (const Json& label : op["faults"]) faults += (faults.empty() ? "" : ", ") + label.get<std::string>();
  return text + "; faults then: " + (faults.empty() ? "none" : faults);
}

}  // namespace

std::string format_seconds(int64_t time_ns) {
  char text[32];
  std::snprintf(text, sizeof text, "%.3f s", static_cast<double>(time_ns) / 1e9);
  return text;
}

Json witness_context(const History& history, const std::string& checker, const Json& evidence) {
  const WitnessFocus focus = witness_focus(history, checker, evidence);
  if (focus.empty()) return Json();
  const HistoryIndex index(history);
  const auto faults = fault_intervals(history, header_node_count(history));
  Json ops = Json::array();
  if (focus.primary) ops.push_back(op_context(index, *index.position_of(*focus.primary), true));
  std::vector<size_t> shown;  // invoke positions already listed
  if (focus.primary) shown.push_back(index.invoke_of(*index.position_of(*focus.primary)));
  for (int64_t op : focus.ops) {
    if (ops.size() == kContextOpsShown) break;
    const size_t invoke = index.invoke_of(*index.position_of(op));
    if (std::find(shown.begin(), shown.end(), invoke) != shown.end() || history.ops[invoke].is_nemesis()) continue;
    shown.push_back(invoke);
    ops.push_back(op_context(index, invoke, false));
  }
  Json faults_json = Json::array();
  for (const FaultInterval& fault : faults_during(faults, focus.start_ns, focus.end_ns))
    faults_json.push_back(fault_context(fault));
  Json context = {{"window_ns", {focus.start_ns, focus.end_ns}}, {"ops", ops}, {"faults", faults_json}};
  if (checker_family(checker) == "liveness") context["waited_for"] = waited_for(index, evidence, faults);
  return context;
}

std::string render_context(const Json& context) {
  if (context.is_null()) return "";
  const Json& window = context["window_ns"];
  std::string text = "context: the witness spans t=" + format_seconds(window[0].get<int64_t>()) + " .. " +
                     format_seconds(window[1].get<int64_t>()) + "\n";
  if (context.contains("waited_for")) {
    for (const Json& op : context["waited_for"]) text += "  " + waiting_line(op) + "\n";
  } else {
    for (const Json& op : context["ops"]) text += "  " + op_line(op) + "\n";
  }
  text += "  faults active then: " + faults_text(context["faults"]) + "\n";
  return text;
}

}  // namespace faultline::report
