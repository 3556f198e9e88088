#include "checkers/session.h"

#include <algorithm>
#include <set>

#include "base/assert.h"
#include "checkers/session_rules.h"

namespace faultline {

namespace {

constexpr size_t kMaxWitnesses = 10;

std::string display_name(std::string guarantee) {
  std::replace(guarantee.begin(), guarantee.end(), '-', ' ');
  return guarantee;
}

ReadJudgements judge_rule(const KvHistory& kv, const std::string& guarantee) {
  if (guarantee == "read-your-writes") return judge_read_your_writes(kv);
  if (guarantee == "monotonic-reads") return judge_monotonic_reads(kv);
  if (guarantee == "monotonic-writes") return judge_monotonic_writes(kv);
  FAULTLINE_ASSERT(guarantee == "writes-follow-reads", "guarantee names are validated");
  return judge_writes_follow_reads(kv);
}

// What a guarantee needs to be observed, said when nothing in the history supplied it.
std::string not_observable_why(const std::string& guarantee, KvShape shape) {
  if (guarantee == "read-your-writes") return "no process read a key after an acknowledged write of its own to it";
  if (guarantee == "monotonic-reads") return "no process read a key twice with versions to compare";
  if (guarantee == "monotonic-writes")
    return shape == KvShape::session
               ? "no process read a key after reading another key that reflected a later write of the first key's "
                 "writer (same-key monotonic writes are invisible in session histories: an integer hides a skipped "
                 "earlier write)"
               : "no read reflected an append made after an earlier ok append by the same process (to its key, or to "
                 "a key the reader read next)";
  return "no read reflected a write whose writer had read a key before making it";
}

GuaranteeJudgement judge(const KvHistory& kv, const std::string& guarantee) {
  ReadJudgements judgements = judge_rule(kv, guarantee);
  std::vector<size_t> checked;
  for (size_t position = 0; position < judgements.size(); ++position)
    if (judgements[position].checked) checked.push_back(position);
  std::sort(checked.begin(), checked.end(), [&](size_t a, size_t b) { return kv.ops[a].index < kv.ops[b].index; });
  GuaranteeJudgement result{.guarantee = guarantee};
  for (size_t position : checked) {
    result.checked_reads.push_back(kv.ops[position].index);
    std::optional<Json>& violation = judgements[position].violation;
    if (!violation) continue;
    result.violating_reads.push_back(kv.ops[position].index);
    if (result.witnesses.size() < kMaxWitnesses) result.witnesses.push_back(std::move(*violation));
  }
  if (checked.empty()) result.not_observable_why = not_observable_why(guarantee, kv.shape);
  return result;
}

std::string verdict_of(const GuaranteeJudgement& judgement) {
  if (!judgement.violating_reads.empty()) return "violated";
  return judgement.checked_reads.empty() ? "not-observable" : "held";
}

Json guarantee_json(const GuaranteeJudgement& judgement) {
  Json json = {{"guarantee", judgement.guarantee},
               {"verdict", verdict_of(judgement)},
               {"checked_reads", judgement.checked_reads.size()},
               {"violation_count", judgement.violating_reads.size()},
               {"violations", judgement.witnesses}};
  if (!judgement.witnesses.empty()) json["first_violation"] = judgement.witnesses.front();
  if (judgement.checked_reads.empty()) json["why"] = judgement.not_observable_why;
  return json;
}

Json read_counts(const KvHistory& kv) {
  int64_t ok_reads = 0, judged = 0, floating = 0, without_order = 0;
  for (const KvOp& op : kv.ops) {
    if (!op.is_read || !op.ok()) continue;
    ++ok_reads;
    judged += op.version.has_value();
    floating += op.unversioned == Unversioned::floating;
    without_order += op.unversioned == Unversioned::no_order;
  }
  return {{"ok_reads", ok_reads}, {"judged_reads", judged}, {"floating_reads", floating},
          {"reads_without_order", without_order}};
}

std::string checked_reads_text(size_t count) {
  return std::to_string(count) + (count == 1 ? " checked read" : " checked reads");
}

// One sentence: the violated, held and unobservable guarantees by name (the reasons are in
// the evidence and the rendering, except when nothing was observable).
std::string summarize(const std::vector<GuaranteeJudgement>& judgements, const KvHistory& kv, Verdict verdict) {
  std::string violated, held, unobserved, reasons;
  for (const auto& judgement : judgements) {
    const std::string name = display_name(judgement.guarantee);
    if (!judgement.violating_reads.empty()) {
      violated += (violated.empty() ? "" : ", ") + name + " (" + std::to_string(judgement.violating_reads.size()) +
                  " of " + checked_reads_text(judgement.checked_reads.size()) + ")";
    } else if (!judgement.checked_reads.empty()) {
      held += (held.empty() ? "" : ", ") + name + " (" + checked_reads_text(judgement.checked_reads.size()) + ")";
    } else {
      unobserved += (unobserved.empty() ? "" : ", ") + name;
      reasons += (reasons.empty() ? "" : "; ") + name + ": " + judgement.not_observable_why;
    }
  }
  for (const VersionAnomaly& anomaly : kv.anomalies)
    violated += (violated.empty() ? "" : ", ") + anomaly.kind + " on " + key_name(anomaly.key);
  if (verdict == Verdict::unknown) return "no session guarantee could be observed: " + reasons;
  std::string summary = verdict == Verdict::invalid ? "violated: " + violated : "held: " + held;
  if (verdict == Verdict::invalid && !held.empty()) summary += "; held: " + held;
  if (!unobserved.empty()) summary += "; not observable: " + unobserved;
  return "session guarantees (" + std::string(to_string(kv.shape)) + " history) " + summary;
}

CheckResult make_result(const KvHistory& kv, const std::vector<GuaranteeJudgement>& judgements) {
  bool violated = !kv.anomalies.empty(), observed = false;
  Json guarantees = Json::array();
  for (const auto& judgement : judgements) {
    violated = violated || !judgement.violating_reads.empty();
    observed = observed || !judgement.checked_reads.empty();
    guarantees.push_back(guarantee_json(judgement));
  }
  const Verdict verdict = violated ? Verdict::invalid : observed ? Verdict::valid : Verdict::unknown;
  std::set<int64_t> processes;
  for (const KvOp& op : kv.ops) processes.insert(op.process);
  return CheckResult{.verdict = verdict,
                     .checker = "session",
                     .summary = summarize(judgements, kv, verdict),
                     .evidence = {{"type", to_string(kv.shape)},
                                  {"processes", processes.size()},
                                  {"reads", read_counts(kv)},
                                  {"guarantees", guarantees},
                                  {"anomalies", anomalies_json(kv)}}};
}

Result<std::vector<std::string>> parse_guarantees(const Json& given) {
  if (!given.is_array() || given.empty())
    return fail("checker session: option guarantees must be a non-empty list of guarantee names, got " + given.dump());
  std::vector<std::string> names;
  for (const Json& name : given) {
    const bool known = name.is_string() && std::find(kSessionGuarantees.begin(), kSessionGuarantees.end(),
                                                     name.get<std::string>()) != kSessionGuarantees.end();
    if (!known)
      return fail("checker session: option guarantees: unknown guarantee " + name.dump() +
                  " (known: read-your-writes, monotonic-reads, monotonic-writes, writes-follow-reads)");
    if (std::find(names.begin(), names.end(), name.get<std::string>()) != names.end())
      return fail("checker session: option guarantees names " + name.dump() + " twice");
    names.push_back(name.get<std::string>());
  }
  return names;
}

}  // namespace

Result<SessionJudgement> judge_session_guarantees(const History& history, const SessionOptions& options,
                                                  const OpLocator& locate) {
  BOOST_OUTCOME_TRY(names, parse_guarantees(Json(options.guarantees)));
  BOOST_OUTCOME_TRY(kv, read_kv_history(history, options.type, locate));
  SessionJudgement judgement{.kv = std::move(kv)};
  for (const std::string& guarantee : kSessionGuarantees)
    if (std::find(names.begin(), names.end(), guarantee) != names.end())
      judgement.guarantees.push_back(judge(judgement.kv, guarantee));
  judgement.result = make_result(judgement.kv, judgement.guarantees);
  return judgement;
}

CheckerSpec session_checker() {
  return CheckerSpec{
      .name = "session",
      .description = "per process, reads show the session guarantees of Terry et al. 1994 (read your writes, "
                     "monotonic reads, monotonic writes, writes follow reads) on session or append histories",
      .options = {{.name = "type", .type = OptionType::string, .default_value = "auto",
                   .description = "history shape: auto (append if any op is an append), session or append",
                   .choices = kKvShapeChoices},
                  {.name = "guarantees", .type = OptionType::json, .default_value = Json(kSessionGuarantees),
                   .description = "the guarantees to judge (a list; default all four)"}},
      .check = [](const History& history, const Json& options, const OpLocator& locate) -> Result<CheckResult> {
        BOOST_OUTCOME_TRY(names, parse_guarantees(options.at("guarantees")));
        BOOST_OUTCOME_TRY(judgement, judge_session_guarantees(
                                         history, SessionOptions{.type = options.at("type").get<std::string>(), .guarantees = names},
                                         locate));
        return std::move(judgement.result);
      },
      .render = render_session_text,
  };
}

std::string render_session_text(const CheckResult& result) {
  std::string text = std::string(to_string(result.verdict)) + ": " + result.summary + "\n";
  if (!result.evidence.is_object()) return text;
  for (const Json& guarantee : result.evidence.value("guarantees", Json::array())) {
    const std::string name = display_name(guarantee.at("guarantee").get<std::string>());
    const std::string verdict = guarantee.at("verdict").get<std::string>();
    const std::string checked = checked_reads_text(guarantee.at("checked_reads").get<size_t>());
    if (verdict == "violated") {
      text += "  " + name + " VIOLATED on " + guarantee.at("violation_count").dump() + " of " + checked +
              ": " + guarantee.at("first_violation").at("story").get<std::string>() + "\n";
    } else if (verdict == "held") {
      text += "  " + name + ": held on " + checked + "\n";
    } else {
      text += "  " + name + ": not observable: " + guarantee.at("why").get<std::string>() + "\n";
    }
  }
  for (const Json& anomaly : result.evidence.value("anomalies", Json::array()))
    text += "  " + anomaly.at("kind").get<std::string>() + " on " + key_name(anomaly.at("key").get<std::string>()) +
            ": " + anomaly.at("explanation").get<std::string>() + "\n";
  const Json reads = result.evidence.value("reads", Json::object());
  if (reads.value("floating_reads", 0) > 0)
    text += "  " + reads.at("floating_reads").dump() +
            " reads returned the value of a write of unknown outcome (info): explained, not judged\n";
  if (reads.value("reads_without_order", 0) > 0)
    text += "  " + reads.at("reads_without_order").dump() + " reads of keys without a version order were not judged\n";
  return text;
}

}  // namespace faultline
