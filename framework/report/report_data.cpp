#include "framework/report/report_data.h"

#include <algorithm>
#include <map>
#include <set>

#include "framework/report/context.h"
#include "framework/report/fault_intervals.h"
#include "framework/report/history_index.h"
#include "framework/report/witness_focus.h"
#include "framework/scenario.h"

namespace faultline::report {

namespace {

constexpr size_t kMaxValueChars = 400;

// Strings that repeat across ops (f, key, role, message type) stored once.
class StringTable {
 public:
  int64_t id(const std::string& text) {
    auto [it, added] = ids_.try_emplace(text, static_cast<int64_t>(strings_.size()));
    if (added) strings_.push_back(text);
    return it->second;
  }
  int64_t id(const std::optional<std::string>& text) { return text ? id(*text) : -1; }
  Json json() const { return strings_; }

 private:
  std::map<std::string, int64_t> ids_;
  std::vector<std::string> strings_;
};

enum Outcome { kOk = 0, kFail = 1, kInfo = 2, kOpen = 3 };

int outcome_code(const Op* completion) {
  if (completion == nullptr) return kOpen;
  switch (completion->type) {
    case OpType::ok: return kOk;
    case OpType::fail: return kFail;
    default: return kInfo;
  }
}

// Each client op as [invoke index, completion index, process, f, key, invoke ns, completion ns,
// outcome, node that answered, role, final, node addressed]; -1 for what it lacks. values holds
// [invoke value, completion value, error] per op.
void pack_ops(const HistoryIndex& index, StringTable& strings, Json& ops, Json& values) {
  const History& history = index.history();
  for (size_t position = 0; position < history.ops.size(); ++position) {
    const Op& invoke = history.ops[position];
    if (invoke.is_nemesis() || invoke.type != OpType::invoke) continue;
    auto completion_position = index.partner(position);
    const Op* completion = completion_position ? &history.ops[*completion_position] : nullptr;
    ops.push_back({invoke.index, completion ? completion->index : -1, invoke.process, strings.id(invoke.f),
                   strings.id(invoke.key), invoke.time_ns, completion ? completion->time_ns : -1,
                   outcome_code(completion), completion && completion->node ? *completion->node : -1,
                   strings.id(completion ? completion->role : std::nullopt),
                   invoke.final || (completion && completion->final) ? 1 : 0, invoke.node ? *invoke.node : -1});
    values.push_back({bounded_value(invoke.value), completion ? bounded_value(completion->value) : Json(),
                      completion && completion->error ? Json(*completion->error) : Json()});
  }
}

Json faults_json(const std::vector<FaultInterval>& faults) {
  Json out = Json::array();
  for (const FaultInterval& fault : faults)
    out.push_back({{"kind", fault.kind},         {"label", fault.label},     {"start_ns", fault.start_ns},
                   {"end_ns", fault.end_ns},     {"ended", fault.end_index.has_value()},
                   {"nodes", fault.nodes},       {"value", bounded_value(fault.value)},
                   {"start_index", fault.start_index},
                   {"end_index", fault.end_index ? Json(*fault.end_index) : Json()}});
  return out;
}

// Availability per fault window: the run cut where the set of active faults changes; each
// client op counted in the window its invoke lies in, by outcome.
Json windows_json(const HistoryIndex& index, const std::vector<FaultInterval>& faults, int64_t last_ns) {
  std::set<int64_t> cuts = {0, last_ns};
  for (const FaultInterval& fault : faults) {
    cuts.insert(fault.start_ns);
    cuts.insert(fault.end_ns);
  }
  std::vector<int64_t> bounds(cuts.begin(), cuts.end());
  Json windows = Json::array();
  for (size_t i = 0; i + 1 < bounds.size(); ++i) {
    Json labels = Json::array();
    for (const FaultInterval& fault : faults)
      if (fault.start_ns <= bounds[i] && bounds[i] < fault.end_ns) labels.push_back(fault.label);
    if (!windows.empty() && windows.back()["faults"] == labels) {
      windows.back()["end_ns"] = bounds[i + 1];
      continue;
    }
    windows.push_back({{"start_ns", bounds[i]}, {"end_ns", bounds[i + 1]}, {"faults", labels},
                       {"ops", 0}, {"ok", 0}, {"fail", 0}, {"info", 0}});
  }
  const History& history = index.history();
  size_t window = 0;
  for (size_t position = 0; position < history.ops.size() && !windows.empty(); ++position) {
    const Op& invoke = history.ops[position];
    if (invoke.is_nemesis() || invoke.type != OpType::invoke) continue;
    while (window + 1 < windows.size() && invoke.time_ns >= windows[window + 1]["start_ns"].get<int64_t>()) ++window;
    auto completion = index.partner(position);
    const char* outcome = !completion ? "info"
                          : history.ops[*completion].type == OpType::ok   ? "ok"
                          : history.ops[*completion].type == OpType::fail ? "fail"
                                                                          : "info";
    windows[window]["ops"] = windows[window]["ops"].get<int64_t>() + 1;
    windows[window][outcome] = windows[window][outcome].get<int64_t>() + 1;
  }
  return windows;
}

Json focus_json(const WitnessFocus& focus) {
  return {{"ops", focus.ops},
          {"primary", focus.primary ? Json(*focus.primary) : Json()},
          {"related", focus.related},
          {"start_ns", focus.start_ns},
          {"end_ns", focus.end_ns}};
}

Json claims_json(const RunReport& report) {
  Json claims = Json::array();
  for (const ClaimView& claim : report.claims) {
    const bool explained = claim.verdict != Verdict::valid;
    WitnessFocus focus = explained ? witness_focus(report.history, claim.checker, claim.evidence) : WitnessFocus{};
    claims.push_back({{"name", claim.name},
                      {"description", claim.description},
                      {"checker", claim.checker},
                      {"family", checker_family(claim.checker)},
                      {"claimed", claim.claimed},
                      {"verdict", std::string(to_string(claim.verdict))},
                      {"summary", claim.summary},
                      {"evidence", claim.evidence},
                      {"options", claim.checker_options},
                      {"text", claim.witness_text},
                      {"context", explained ? witness_context(report.history, claim.checker, claim.evidence) : Json()},
                      {"focus", focus_json(focus)}});
  }
  return claims;
}

// Messages packed like ops: [id, from, to, sent ns, ended ns (-1 in flight), fate, type, duplicate].
Json messages_json(const std::vector<Json>& lines, StringTable& strings) {
  if (lines.empty()) return Json();
  Json items = Json::array();
  Json bodies = Json::array();
  for (size_t i = 1; i < lines.size(); ++i) {
    const Json& line = lines[i];
    items.push_back({line.value("id", int64_t{-1}), line.value("from", -1), line.value("to", -1), line.value("sent_ns", int64_t{0}),
                     line.contains("ended_ns") && line["ended_ns"].is_number_integer() ? line["ended_ns"].get<int64_t>() : -1,
                     strings.id(line.value("fate", std::string("delivered"))),
                     strings.id(line.value("type", std::string("message"))), line.value("duplicate", false) ? 1 : 0});
    bodies.push_back(line.value("body", Json()));
  }
  return {{"header", lines.front()}, {"items", items}, {"bodies", bodies}};
}

std::string title_of(const RunReport& report) {
  std::string title = "faultline report";
  if (report.history.header && report.history.header->is_object()) {
    const Json& header = *report.history.header;
    title = header.value("system", std::string("?")) + " / " + header.value("workload", std::string("?"));
    if (header.contains("seed")) title += ", seed " + header["seed"].dump();
  }
  for (const ClaimView& claim : report.claims)
    if (claim.claimed && claim.verdict == Verdict::invalid) return title + ": " + claim.name + " VIOLATED";
  if (report.invariant_violation) return title + ": invariant broken";
  return title;
}

}  // namespace

Json bounded_value(const Json& value) {
  if (!value.is_structured()) return value;
  std::string text = value.dump();
  if (text.size() <= kMaxValueChars) return value;
  return text.substr(0, kMaxValueChars) + "...";
}

Json run_report_data(const RunReport& report) {
  const HistoryIndex index(report.history);
  const auto node_count = header_node_count(report.history);
  const auto faults = fault_intervals(report.history, node_count);
  const int64_t last_ns = report.history.ops.empty() ? 0 : report.history.ops.back().time_ns;
  StringTable strings;
  Json ops = Json::array();
  Json values = Json::array();
  pack_ops(index, strings, ops, values);
  Json commands = Json::array();
  for (const auto& [what, line] : report.commands) commands.push_back({what, line});
  Json data = {{"kind", "run"},
               {"title", title_of(report)},
               {"source", report.source},
               {"version", kFaultlineVersion},
               {"scenario", report.history.header.value_or(Json())},
               {"node_count", node_count ? Json(*node_count) : Json()},
               {"end_ns", last_ns},
               {"ops", std::move(ops)},
               {"values", std::move(values)},
               {"faults", faults_json(faults)},
               {"windows", windows_json(index, faults, last_ns)},
               {"claims", claims_json(report)},
               {"invariant_violation", report.invariant_violation ? Json(*report.invariant_violation) : Json()},
               {"aborted", report.aborted},
               {"commands", commands}};
  data["messages"] = messages_json(report.messages, strings);
  data["strings"] = strings.json();
  return data;
}

}  // namespace faultline::report
