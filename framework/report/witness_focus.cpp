#include "framework/report/witness_focus.h"

#include <algorithm>
#include <set>

#include "framework/report/history_index.h"

namespace faultline::report {

namespace {

// Evidence fields that name ops by index, in every checker's evidence (docs/checkers/*.md):
// a single index, or (for `ops` and `unavailable_ops`) a list of them. Counts share some of
// these names (`ops` is a count in availability's groups), so `ops` counts only as a list.
bool names_one_op(const std::string& field) {
  static const std::set<std::string> fields = {"index",      "invoke",       "completion",  "completion_index",
                                               "read",       "known_at",     "last_seen_by", "absent_from",
                                               "first_read", "first_counting", "last_absent"};
  return fields.count(field) > 0;
}

bool names_op_list(const std::string& field) { return field == "ops" || field == "unavailable_ops"; }

void collect(const Json& value, const std::string& skip, std::vector<int64_t>& found) {
  if (value.is_array()) {
    for (const Json& item : value) collect(item, skip, found);
    return;
  }
  if (!value.is_object()) return;
  for (const auto& [field, item] : value.items()) {
    if (field == skip) continue;
    if (item.is_number_integer() && names_one_op(field)) found.push_back(item.get<int64_t>());
    if (item.is_array() && names_op_list(field))
      for (const Json& index : item)
        if (index.is_number_integer()) found.push_back(index.get<int64_t>());
    if (item.is_structured()) collect(item, skip, found);
  }
}

std::optional<int64_t> integer_at(const Json& evidence, const char* pointer) {
  Json::json_pointer path(pointer);
  if (!evidence.contains(path) || !evidence.at(path).is_number_integer()) return std::nullopt;
  return evidence.at(path).get<int64_t>();
}

// The session checker's witness: the last op of the first violated guarantee's story.
std::optional<int64_t> session_primary(const Json& evidence) {
  if (!evidence.contains("guarantees") || !evidence["guarantees"].is_array()) return std::nullopt;
  for (const Json& guarantee : evidence["guarantees"]) {
    if (!guarantee.is_object() || !guarantee.contains("first_violation")) continue;
    const Json& ops = guarantee["first_violation"].value("ops", Json::array());
    if (!ops.empty() && ops.back().is_number_integer()) return ops.back().get<int64_t>();
  }
  if (evidence.contains("anomalies") && !evidence["anomalies"].empty())
    return integer_at(evidence, "/anomalies/0/ops/1");
  return std::nullopt;
}

// The convergence checker's witness: the first diverged read, else the first lost update.
std::optional<int64_t> convergence_primary(const Json& evidence) {
  if (!evidence.contains("keys") || !evidence["keys"].is_array()) return std::nullopt;
  for (const Json& key : evidence["keys"]) {
    if (key.contains("values_by_node") && key["values_by_node"].size() > 1)
      if (auto read = integer_at(key, "/values_by_node/1/read")) return read;
    if (auto lost = integer_at(key, "/lost/ops/0/index")) return lost;
  }
  return std::nullopt;
}

// The op at fault, by checker (docs/checkers/<checker>.md, "Evidence").
std::optional<int64_t> primary_op(const std::string& family, const Json& evidence) {
  if (family == "linearizable") return integer_at(evidence, "/failing_op/index");
  if (family == "liveness") return integer_at(evidence, "/unanswered/0/invoke");
  if (family == "set-full") {
    for (const char* pointer : {"/lost/elements/0/absent_from", "/unexpected/elements/0/read",
                                "/stale/elements/0/last_absent"})
      if (auto index = integer_at(evidence, pointer)) return index;
    return std::nullopt;
  }
  if (family == "counter") return integer_at(evidence, "/violations/reads/0/read");
  if (family == "session") return session_primary(evidence);
  if (family == "convergence") return convergence_primary(evidence);
  if (family == "staleness") return integer_at(evidence, "/beyond_bounds/first/0/index");
  if (family == "availability") return integer_at(evidence, "/worst/unavailable_ops/0");
  return std::nullopt;
}

std::vector<int64_t> known_unique(const HistoryIndex& index, std::vector<int64_t> ops) {
  std::sort(ops.begin(), ops.end());
  ops.erase(std::unique(ops.begin(), ops.end()), ops.end());
  std::erase_if(ops, [&](int64_t op) { return !index.position_of(op); });
  if (ops.size() > kMaxFocusOps) ops.resize(kMaxFocusOps);
  return ops;
}

}  // namespace

std::string checker_family(const std::string& checker) { return checker.substr(0, checker.find('(')); }

WitnessFocus witness_focus(const History& history, const std::string& checker, const Json& evidence) {
  WitnessFocus focus;
  if (!evidence.is_object()) return focus;
  const HistoryIndex index(history);
  const std::string family = checker_family(checker);
  // A linearizability witness's partial order reaches far back; it is drawn, not zoomed to.
  const std::string related_field = family == "linearizable" ? "linearization" : "";
  std::vector<int64_t> ops;
  collect(evidence, related_field, ops);
  focus.primary = primary_op(family, evidence);
  if (focus.primary) ops.push_back(*focus.primary);
  focus.ops = known_unique(index, std::move(ops));
  if (focus.primary && !index.position_of(*focus.primary)) focus.primary.reset();
  if (!focus.primary && !focus.ops.empty()) focus.primary = focus.ops.front();
  if (!related_field.empty() && evidence.contains(related_field)) {
    std::vector<int64_t> related;
    collect(evidence[related_field], "", related);
    focus.related = known_unique(index, std::move(related));
  }
  for (size_t i = 0; i < focus.ops.size(); ++i) {
    const size_t position = *index.position_of(focus.ops[i]);
    focus.start_ns = i == 0 ? index.start_ns(position) : std::min(focus.start_ns, index.start_ns(position));
    focus.end_ns = i == 0 ? index.end_ns(position) : std::max(focus.end_ns, index.end_ns(position));
  }
  return focus;
}

}  // namespace faultline::report
