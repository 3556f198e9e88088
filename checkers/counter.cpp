#include "checkers/counter.h"

#include <map>
#include <set>

#include "base/assert.h"
#include "checkers/counter_analysis.h"
#include "checkers/wording.h"

namespace faultline {
namespace {

using counter::CounterKey;
using counter::CounterRead;
using counter::FinalReads;
using counter::KeyCounter;
using counter::ReadBounds;
using counter::Tally;

constexpr size_t kListedReads = 20;   // violations listed in the evidence
constexpr size_t kListedRanges = 10;  // ranges of acceptable final values listed per key
constexpr size_t kRenderedLines = 5;  // per kind in the rendered text

Json counter_key_json(const CounterKey& key) { return key ? Json(*key) : Json(nullptr); }

std::string counter_label(const Json& key) { return key.is_null() ? "the counter" : key.get<std::string>(); }

Json tally_json(const Tally& tally) { return Json{{"count", tally.count}, {"sum", tally.sum}}; }

Json violation_json(const CounterKey& key, const CounterRead& read) {
  const ReadBounds& bounds = read.bounds;
  return Json{{"read", read.op->completion->index},
              {"invoke", read.op->invoke->index},
              {"key", counter_key_json(key)},
              {"lower", bounds.lower()},
              {"value", read.value},
              {"upper", bounds.upper()},
              {"final", read.final},
              {"increments_acknowledged", tally_json(bounds.increments_acknowledged)},
              {"decrements_possible", tally_json(bounds.decrements_possible)},
              {"increments_possible", tally_json(bounds.increments_possible)},
              {"decrements_acknowledged", tally_json(bounds.decrements_acknowledged)}};
}

// The node a final read asked (its invoke names it), else the node that answered.
Json read_node(const CounterRead& read) {
  if (read.op->invoke->node) return *read.op->invoke->node;
  if (read.op->completion->node) return *read.op->completion->node;
  return nullptr;
}

Json expected_json(const FinalReads& final) {
  Json ranges = Json::array();
  for (size_t i = 0; i < final.offsets.ranges.size() && i < kListedRanges; ++i)
    ranges.push_back(
        {final.acknowledged.sum + final.offsets.ranges[i].low, final.acknowledged.sum + final.offsets.ranges[i].high});
  return Json{{"acknowledged_sum", final.acknowledged.sum},
              {"acknowledged_updates", final.acknowledged.count},
              {"uncertain_updates", final.uncertain.size()},
              {"exact", final.offsets.exact},
              {"min", final.acknowledged.sum + final.offsets.ranges.front().low},
              {"max", final.acknowledged.sum + final.offsets.ranges.back().high},
              {"ranges", std::move(ranges)},
              {"range_count", final.offsets.ranges.size()}};
}

// The final reads grouped by the value they returned.
Json final_values_json(const KeyCounter& counter, const FinalReads& final) {
  struct Group {
    std::set<Json> nodes;
    int64_t reads = 0;
    int64_t first_read = 0;
  };
  std::map<int64_t, Group> groups;
  for (size_t i : final.reads) {
    const CounterRead& read = counter.reads[i];
    Group& group = groups[read.value];
    if (group.reads++ == 0) group.first_read = read.op->completion->index;
    group.nodes.insert(read_node(read));
  }
  Json values = Json::array();
  for (const auto& [value, group] : groups)
    values.push_back(Json{{"value", value},
                          {"acceptable", final.acceptable(value)},
                          {"nodes", Json(group.nodes)},
                          {"reads", group.reads},
                          {"first_read", group.first_read}});
  return values;
}

Json final_json(const KeyCounter& counter) {
  FAULTLINE_ASSERT(counter.final, "the key has final reads");
  const FinalReads& final = *counter.final;
  Json values = final_values_json(counter, final);
  bool acceptable = true;
  for (const Json& value : values) acceptable = acceptable && value["acceptable"].get<bool>();
  return Json{{"key", counter_key_json(counter.key)},
              {"agree", final.agree},
              {"acceptable", acceptable},
              {"values", std::move(values)},
              {"expected", expected_json(final)}};
}

struct CounterFindings {
  int64_t reads = 0;
  int64_t updates = 0;
  int64_t final_reads = 0;
  int64_t out_of_bounds = 0;
  Json violations = Json::array();
  Json finals = Json::array();
  bool finals_hold = true;  // every key's final reads agree on an acceptable value
};

void gather(const KeyCounter& counter, CounterFindings& findings) {
  findings.reads += static_cast<int64_t>(counter.reads.size());
  findings.updates += static_cast<int64_t>(counter.updates.size());
  for (const CounterRead& read : counter.reads) {
    if (read.in_bounds()) continue;
    if (findings.out_of_bounds++ < static_cast<int64_t>(kListedReads))
      findings.violations.push_back(violation_json(counter.key, read));
  }
  if (!counter.final) return;
  findings.final_reads += static_cast<int64_t>(counter.final->reads.size());
  Json final = final_json(counter);
  findings.finals_hold = findings.finals_hold && final["agree"].get<bool>() && final["acceptable"].get<bool>();
  findings.finals.push_back(std::move(final));
}

std::string violation_phrase(const Json& violation) {
  return "read #" + violation["read"].dump() + " of " + counter_label(violation["key"]) + " returned " +
         violation["value"].dump() + ", outside [" + violation["lower"].dump() + ", " + violation["upper"].dump() + "]";
}

std::string values_phrase(const Json& final) {
  std::string text;
  for (const Json& value : final["values"]) text += (text.empty() ? "" : ", ") + value["value"].dump();
  return text;
}

std::string invalid_summary(const CounterFindings& findings) {
  std::string summary;
  auto part = [&summary](const std::string& text) { summary += (summary.empty() ? "" : "; ") + text; };
  if (findings.out_of_bounds > 0)
    part(std::to_string(findings.out_of_bounds) + " of " + std::to_string(findings.reads) +
         " ok reads out of bounds (first: " + violation_phrase(findings.violations[0]) + ")");
  for (const Json& final : findings.finals) {
    if (!final["agree"].get<bool>())
      part("final reads of " + counter_label(final["key"]) + " disagree (" + values_phrase(final) + ")");
    else if (!final["acceptable"].get<bool>())
      part("final reads of " + counter_label(final["key"]) + " returned " + values_phrase(final) +
           ", not the acknowledged total " + final["expected"]["acknowledged_sum"].dump() + " plus some of the " +
           counted(final["expected"]["uncertain_updates"].get<int64_t>(), "uncertain update"));
  }
  return summary;
}

std::string valid_summary(const CounterFindings& findings) {
  std::string summary = "every ok read (" + std::to_string(findings.reads) + ") within its bounds; ";
  if (findings.finals.empty()) return summary + "no final reads, so the in-run reads alone were judged";
  summary += "final reads of " + counted(static_cast<int64_t>(findings.finals.size()), "key") +
             " agree on an acceptable value";
  for (const Json& final : findings.finals)
    if (!final["expected"]["exact"].get<bool>())
      summary +=
          " (" + counter_label(final["key"]) + ": too many uncertain updates for exact sums, judged against their range)";
  return summary;
}

CheckResult judge(const CounterFindings& findings, Json evidence) {
  CheckResult result{.verdict = Verdict::valid, .checker = "counter", .summary = "", .evidence = std::move(evidence)};
  if (findings.out_of_bounds > 0 || !findings.finals_hold) {
    result.verdict = Verdict::invalid;
    result.summary = invalid_summary(findings);
  } else if (findings.reads == 0) {
    result.verdict = Verdict::unknown;
    result.summary = "no ok read in the history, so there is nothing to judge";
  } else {
    result.summary = valid_summary(findings);
  }
  return result;
}

std::string count_of(const Json& tally, const std::string& noun) {
  return counted(tally["count"].get<int64_t>(), noun);
}

// "13 from 5 increments acknowledged before it began", the decrements subtracted when any.
std::string lower_phrase(const Json& v) {
  const Json& increments = v["increments_acknowledged"];
  const Json& decrements = v["decrements_possible"];
  std::string text =
      increments["sum"].dump() + " from " + count_of(increments, "increment") + " acknowledged before it began";
  if (decrements["count"] == 0) return text;
  return v["lower"].dump() + " = " + text + ", minus " + std::to_string(-decrements["sum"].get<int64_t>()) + " from " +
         count_of(decrements, "decrement") + " that did not fail, invoked before it ended";
}

std::string upper_phrase(const Json& v) {
  const Json& increments = v["increments_possible"];
  const Json& decrements = v["decrements_acknowledged"];
  std::string text = increments["sum"].dump() + " from " + count_of(increments, "increment") +
                     " that did not fail, invoked before it ended";
  if (decrements["count"] == 0) return text;
  return v["upper"].dump() + " = " + text + ", minus " + std::to_string(-decrements["sum"].get<int64_t>()) + " from " +
         count_of(decrements, "decrement") + " acknowledged before it began";
}

std::string nodes_phrase(const Json& nodes) {
  std::string text;
  for (const Json& node : nodes) text += (text.empty() ? "" : ", ") + (node.is_null() ? "?" : node.dump());
  return (nodes.size() == 1 ? "node " : "nodes ") + text;
}

std::string expected_phrase(const Json& expected) {
  std::string ranges;
  for (const Json& range : expected["ranges"])
    ranges += (ranges.empty() ? "" : ", ") +
              (range[0] == range[1] ? range[0].dump() : range[0].dump() + ".." + range[1].dump());
  if (expected["range_count"].get<size_t>() > expected["ranges"].size()) ranges += ", ...";
  std::string text = "acceptable {" + ranges + "}: " + expected["acknowledged_sum"].dump() + " from " +
                     counted(expected["acknowledged_updates"].get<int64_t>(), "acknowledged update") + " plus any of " +
                     counted(expected["uncertain_updates"].get<int64_t>(), "uncertain update");
  if (!expected["exact"].get<bool>()) text += " (too many for exact sums: their range)";
  return text;
}

std::string final_line(const Json& final) {
  std::string values;
  for (const Json& value : final["values"])
    values += (values.empty() ? "" : ", ") + value["value"].dump() + " (" + nodes_phrase(value["nodes"]) + "; " +
              counted(value["reads"].get<int64_t>(), "read") + ", first #" + value["first_read"].dump() +
              (value["acceptable"].get<bool>() ? ")" : "; not acceptable)");
  const std::string verb = final["agree"].get<bool>() ? " agree on " : " disagree: ";
  return "final reads of " + counter_label(final["key"]) + verb + values + "; " + expected_phrase(final["expected"]);
}

}  // namespace

Result<CheckResult> check_counter(const History& history, const CounterOptions& options, const OpLocator& locate) {
  if (options.subset_sum_limit < 1) return fail("checker counter: option subset_sum_limit must be at least 1");
  BOOST_OUTCOME_TRY(ops, pair_client_ops(history, locate));
  BOOST_OUTCOME_TRY(counters,
                    counter::analyze_counter(history, ops, static_cast<size_t>(options.subset_sum_limit), locate));
  CounterFindings findings;
  for (const KeyCounter& counter : counters) gather(counter, findings);
  Json evidence{{"counts",
                 {{"reads", findings.reads},
                  {"keys", counters.size()},
                  {"updates", findings.updates},
                  {"out_of_bounds", findings.out_of_bounds},
                  {"final_reads", findings.final_reads}}},
                {"violations", {{"total", findings.out_of_bounds}, {"reads", findings.violations}}},
                {"final_reads", findings.finals},
                {"subset_sum_limit", options.subset_sum_limit}};
  return judge(findings, std::move(evidence));
}

std::string render_counter(const CheckResult& result) {
  std::string text = std::string(to_string(result.verdict)) + ": " + result.summary + "\n";
  const Json& evidence = result.evidence;
  if (!evidence.is_object() || !evidence.contains("counts")) return text;
  const Json& counts = evidence["counts"];
  text += counted(counts["reads"].get<int64_t>(), "ok read") + " of " + counted(counts["keys"].get<int64_t>(), "key") +
          " checked against " + counted(counts["updates"].get<int64_t>(), "update") + "; " +
          counts["out_of_bounds"].dump() + " out of bounds; " +
          counted(counts["final_reads"].get<int64_t>(), "final read") + "\n";
  size_t rendered = 0;
  for (const Json& violation : evidence["violations"]["reads"]) {
    if (rendered++ == kRenderedLines) break;
    const bool low = violation["value"].get<int64_t>() < violation["lower"].get<int64_t>();
    text += violation_phrase(violation) + ": " + (low ? lower_phrase(violation) : upper_phrase(violation)) + "\n";
  }
  if (counts["out_of_bounds"].get<size_t>() > kRenderedLines)
    text += "  ... " + std::to_string(counts["out_of_bounds"].get<size_t>() - kRenderedLines) +
            " more reads out of bounds (the evidence lists " + std::to_string(evidence["violations"]["reads"].size()) +
            ")\n";
  rendered = 0;
  for (const Json& final : evidence["final_reads"])
    if (rendered++ < kRenderedLines) text += final_line(final) + "\n";
  return text;
}

CheckerSpec counter_checker() {
  return CheckerSpec{
      .name = "counter",
      .description =
          "per key, every read lies within what the updates around it allow, and the final reads agree "
          "on the acknowledged total plus some of the uncertain updates",
      .options = {{.name = "subset_sum_limit",
                   .type = OptionType::integer,
                   .default_value = CounterOptions{}.subset_sum_limit,
                   .description = "most disjoint ranges kept for the exact sums of uncertain updates the final reads "
                                  "may include; beyond it, their range",
                   .min = 1}},
      .check = [](const History& history, const Json& options, const OpLocator& locate) -> Result<CheckResult> {
        return check_counter(history, CounterOptions{.subset_sum_limit = options.at("subset_sum_limit").get<int64_t>()},
                             locate);
      },
      .render = render_counter,
  };
}

}  // namespace faultline
