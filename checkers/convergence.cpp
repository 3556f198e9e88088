#include "checkers/convergence.h"

#include <algorithm>

#include "checkers/convergence_input.h"
#include "checkers/convergence_judge.h"

namespace faultline {

namespace {

constexpr size_t kListedOps = 10;  // ops listed per key in the evidence

std::string key_name(const std::optional<std::string>& key) { return key ? *key : "(no key)"; }

Json node_json(const std::optional<int64_t>& node) { return node ? Json(*node) : Json("unknown"); }

Json lost_json(const KeyFinding& finding) {
  Json ops = Json::array();
  for (const Update* update : finding.lost) {
    if (ops.size() == kListedOps) break;
    ops.push_back({{"index", update->index}, {"f", update->f}, {"value", update->element}});
  }
  return {{"count", finding.lost.size()}, {"ops", ops}};
}

Json counter_json(const CounterSurvival& counter) {
  return {{"acknowledged_sum", counter.acknowledged_sum},
          {"acknowledged_updates", counter.acknowledged_updates},
          {"uncertain_updates", counter.uncertain_updates},
          {"uncertain_range", {counter.uncertain_lower, counter.uncertain_upper}},
          {"exact", counter.exact},
          {"survived", counter.survived}};
}

Json finding_json(const KeyFinding& finding) {
  Json key = {{"key", finding.key ? Json(*finding.key) : Json(nullptr)},
              {"final_reads", finding.final_reads},
              {"ok_final_reads", finding.ok_final_reads}};
  if (finding.agreed) key["agreed"] = *finding.agreed;
  if (finding.diverged()) {
    key["values_by_node"] = Json::array();
    for (const NodeValue& group : finding.by_node) {
      Json nodes = Json::array();
      for (const auto& node : group.nodes) nodes.push_back(node_json(node));
      key["values_by_node"].push_back({{"nodes", nodes}, {"value", group.value}, {"read", group.read_index}});
    }
  }
  if (finding.time_to_agreement_ms) key["time_to_agreement_ms"] = *finding.time_to_agreement_ms;
  if (finding.agreed) key["lost"] = lost_json(finding);
  if (finding.counter) key["counter"] = counter_json(*finding.counter);
  Json unexplained = Json::array();
  for (const Unexplained& value : finding.unexplained)
    if (unexplained.size() < kListedOps) unexplained.push_back({{"value", value.value}, {"read", value.read_index}});
  key["unexplained"] = {{"count", finding.unexplained.size()}, {"values", unexplained}};
  if (finding.approximate) key["approximate"] = true;
  return key;
}

struct KeyTally {
  std::vector<std::string> diverged, losing, unexplained, unread;
  size_t lost_total = 0;
  std::vector<double> times_ms;  // sorted
};

KeyTally tally(const std::vector<KeyFinding>& findings) {
  KeyTally t;
  for (const KeyFinding& finding : findings) {
    const std::string name = key_name(finding.key);
    if (finding.ok_final_reads == 0) t.unread.push_back(name);
    if (finding.diverged()) t.diverged.push_back(name);
    if (!finding.unexplained.empty()) t.unexplained.push_back(name);
    if (finding.loses_acknowledged()) t.losing.push_back(name);
    t.lost_total += finding.lost.size();
    if (finding.time_to_agreement_ms) t.times_ms.push_back(*finding.time_to_agreement_ms);
  }
  std::sort(t.times_ms.begin(), t.times_ms.end());
  return t;
}

// The first five names, then how many there are in all.
std::string first_five(const std::vector<std::string>& names) {
  std::string text;
  for (size_t i = 0; i < names.size() && i < 5; ++i) text += std::string(i ? ", " : "") + names[i];
  if (names.size() > 5) text += ", ... (" + std::to_string(names.size()) + ")";
  return text;
}

std::string counted(size_t count, const std::string& noun) {
  return std::to_string(count) + " " + noun + (count == 1 ? "" : "s");
}

std::string ms_text(double ms) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f ms", ms);
  return text;
}

Json time_figures(const KeyTally& t) {
  if (t.times_ms.empty()) return nullptr;
  // p50: the nearest-rank median (the ceil(n/2)-th smallest).
  return {{"max", t.times_ms.back()}, {"p50", t.times_ms[(t.times_ms.size() - 1) / 2]}, {"keys", t.times_ms.size()}};
}

std::string violation_summary(const KeyTally& t, bool require_acknowledged, size_t keys) {
  std::vector<std::string> parts;
  if (!t.diverged.empty()) parts.push_back(std::to_string(t.diverged.size()) + " diverged (" + first_five(t.diverged) + ")");
  if (!t.unexplained.empty())
    parts.push_back(std::to_string(t.unexplained.size()) + " read values no attempted update explains (" + first_five(t.unexplained) + ")");
  if (require_acknowledged && !t.losing.empty())
    parts.push_back(std::to_string(t.losing.size()) + " lost acknowledged updates (" + first_five(t.losing) + ")");
  std::string text = "not convergent (of " + counted(keys, "key") + "): ";
  for (size_t i = 0; i < parts.size(); ++i) text += std::string(i ? "; " : "") + parts[i];
  return text + ".";
}

std::string valid_summary(const KeyTally& t, bool require_acknowledged, size_t keys) {
  std::string text = counted(keys, "key") + " converged: the final reads agree, every value read was attempted";
  text += require_acknowledged ? " and no acknowledged update was lost" : "";
  if (!require_acknowledged && !t.losing.empty())
    text += "; " + counted(t.losing.size(), "key") + " lost acknowledged updates (" + counted(t.lost_total, "op") +
            " listed; allowed, require_acknowledged is false)";
  if (!t.times_ms.empty())
    text += "; time to agreement max " + ms_text(t.times_ms.back()) + ", p50 " + ms_text(t.times_ms[(t.times_ms.size() - 1) / 2]);
  return text + ".";
}

Json convergence_evidence(const ConvergenceInput& input, const JudgeSettings& settings, bool require_acknowledged,
                          const std::vector<KeyFinding>& findings, const KeyTally& t) {
  Json keys = Json::array();
  for (const KeyFinding& finding : findings) keys.push_back(finding_json(finding));
  const bool approximate =
      std::any_of(findings.begin(), findings.end(), [](const KeyFinding& f) { return f.approximate; });
  return {{"type", to_string(input.type)},
          {"require_acknowledged", require_acknowledged},
          {"time_base", input.heal_ns ? "heal" : "first final read"},
          {"time_base_ns", settings.time_base_ns},
          {"final_reads", input.final_reads},
          {"time_to_agreement_ms", time_figures(t)},
          {"lost_acknowledged_ops", t.lost_total},
          {"approximate", approximate},
          {"keys", keys}};
}

// Invalid when a key diverged, read a value no attempted update explains, or (when required)
// lost an acknowledged update; else unknown when a key has no ok final read; else valid.
CheckResult judge(const ConvergenceInput& input, const Json& options) {
  const bool require_acknowledged = options.at("require_acknowledged").get<bool>();
  const JudgeSettings settings{.type = input.type,
                               .time_base_ns = input.heal_ns.value_or(input.first_final_ns.value_or(0)),
                               .subset_sum_limit = options.at("subset_sum_limit").get<int64_t>()};
  std::vector<KeyFinding> findings;
  for (const auto& [name, key] : input.keys) findings.push_back(judge_key(key, settings));
  const KeyTally t = tally(findings);
  CheckResult result{.verdict = Verdict::valid,
                     .checker = "convergence(" + std::string(to_string(input.type)) + ")",
                     .evidence = convergence_evidence(input, settings, require_acknowledged, findings, t)};
  if (!t.diverged.empty() || !t.unexplained.empty() || (require_acknowledged && !t.losing.empty())) {
    result.verdict = Verdict::invalid;
    result.summary = violation_summary(t, require_acknowledged, findings.size());
  } else if (!t.unread.empty()) {
    result.verdict = Verdict::unknown;
    result.summary = "cannot judge convergence: keys with no ok final read: " + first_five(t.unread) + ".";
  } else {
    result.summary = valid_summary(t, require_acknowledged, findings.size());
  }
  if (result.evidence["approximate"].get<bool>())
    result.summary += " (Counter sums past subset_sum_limit were checked against their [lower, upper] range only.)";
  return result;
}

CheckResult no_final_reads() {
  return CheckResult{.verdict = Verdict::unknown, .checker = "convergence",
                     .summary = "cannot judge convergence: the history has no final reads (ops with \"final\": true "
                                "after the heal).",
                     .evidence = Json{{"final_reads", 0}}};
}

}  // namespace

CheckerSpec convergence_checker() {
  return CheckerSpec{
      .name = "convergence",
      .description = "after the final heal, every key's replicas agree on a value that every attempted update "
                     "explains and that keeps every acknowledged update (eventual consistency)",
      .options = {
          {.name = "type", .type = OptionType::string, .default_value = "auto",
           .description = "the data type (auto: inferred from the ops)",
           .choices = {"auto", "set", "counter", "register", "append"}},
          {.name = "require_acknowledged", .type = OptionType::boolean, .default_value = true,
           .description = "a lost acknowledged update is a violation (false: it is reported as a figure, "
                          "e.g. for last-write-wins stores)"},
          {.name = "subset_sum_limit", .type = OptionType::integer, .default_value = 10'000,
           .description = "most disjoint ranges of counter sums kept exact; past it only [lower, upper]", .min = 1},
      },
      .check = [](const History& history, const Json& options, const OpLocator& locate) -> Result<CheckResult> {
        BOOST_OUTCOME_TRY(input, read_convergence_input(history, options.at("type").get<std::string>(), locate));
        if (input.final_reads == 0) return no_final_reads();
        return judge(input, options);
      },
      .render = render_convergence_text,
      .needs_whole_run = true,
  };
}

}  // namespace faultline
