#include "checkers/availability.h"

#include <algorithm>
#include <map>

#include "base/assert.h"
#include "checkers/op_pairs.h"
#include "checkers/fault_windows.h"

namespace faultline {

namespace {

constexpr size_t kWitnessOps = 5;  // failed/info op indexes shown for the worst group

struct Settings {
  std::optional<double> min_fraction;
  size_t min_ops = 10;
  int64_t grace_ns = 0;
  bool exclude_down = true;
  bool answered = false;  // measure "answered": a definite fail counts as available
  std::optional<int64_t> node_count;
};

Settings read_settings(const Json& options) {
  return Settings{
      .min_fraction = options.contains("min_ok_fraction") ? std::optional(options["min_ok_fraction"].get<double>())
                                                          : std::nullopt,
      .min_ops = options.at("min_ops").get<size_t>(),
      .grace_ns = static_cast<int64_t>(options.at("grace_ms").get<double>() * 1e6),
      .exclude_down = options.at("exclude_down").get<bool>(),
      .answered = options.at("measure").get<std::string>() == "answered",
      .node_count = options.contains("nodes") ? std::optional(options["nodes"].get<int64_t>()) : std::nullopt,
  };
}

struct Counts {
  size_t ops = 0, ok = 0, fail = 0, info = 0;

  void add(OpType outcome) {
    ++ops;
    ok += outcome == OpType::ok;
    fail += outcome == OpType::fail;
    info += outcome == OpType::info;
  }
  void merge(const Counts& other) {
    ops += other.ops;
    ok += other.ok;
    fail += other.fail;
    info += other.info;
  }
  size_t available(bool answered) const { return ok + (answered ? fail : 0); }
  Json fraction(size_t part) const { return ops == 0 ? Json(nullptr) : Json(static_cast<double>(part) / ops); }
  Json to_json() const {
    return {{"ops", ops}, {"ok", ok}, {"fail", fail}, {"info", info},
            {"ok_fraction", fraction(ok)}, {"answered_fraction", fraction(ok + fail)}};
  }
};

// One side of one window: what its nodes were asked, and the ops that count for the verdict.
struct SideTally {
  std::map<std::optional<int64_t>, Counts> by_node;  // nullopt: unknown node
  Counts all;
  Counts judged;
  std::vector<int64_t> judged_unavailable;  // indexes of judged ops not answered as measured (first few)
};

// sides[k] for k < window.sides.size(); the last entry holds ops whose side is unknown (no
// node, in a window with more than one side).
using WindowTally = std::vector<SideTally>;

size_t side_of_op(const FaultWindow& window, std::optional<int64_t> node) {
  if (node) return FaultTimeline::side_of(window, *node);
  return window.sides.size() == 1 ? 0 : window.sides.size();
}

// Not judged: ops invoked within the grace period after the window began (in flight at the
// transition), and ops addressed to a node that is down in this window.
bool is_judged(const Op& invoke, std::optional<int64_t> node, const FaultWindow& window, const Settings& settings) {
  if (invoke.time_ns < window.start_ns + settings.grace_ns) return false;
  return !(settings.exclude_down && node && window.down_nodes.contains(*node));
}

std::vector<WindowTally> tally(const std::vector<OpPair>& ops, const FaultTimeline& timeline, const Settings& settings) {
  std::vector<WindowTally> tallies;
  for (const FaultWindow& window : timeline.windows) tallies.emplace_back(window.sides.size() + 1);
  for (const OpPair& op : ops) {
    const size_t w = timeline.window_at(op.invoke_position);
    const FaultWindow& window = timeline.windows[w];
    const std::optional<int64_t> node = op.node();
    SideTally& side = tallies[w][side_of_op(window, node)];
    const OpType outcome = op.outcome();
    side.by_node[node].add(outcome);
    side.all.add(outcome);
    if (!is_judged((*op.invoke), node, window, settings)) continue;
    side.judged.add(outcome);
    const bool available = outcome == OpType::ok || (settings.answered && outcome == OpType::fail);
    if (!available && side.judged_unavailable.size() < kWitnessOps)
      side.judged_unavailable.push_back((*op.invoke).index);
  }
  return tallies;
}

struct GroupRef {
  size_t window = 0;
  size_t side = 0;
  double fraction = 0;
};

// Judged groups: window x side with at least min_ops judged ops (and at least one).
std::vector<GroupRef> judged_groups(const std::vector<WindowTally>& tallies, const Settings& settings) {
  std::vector<GroupRef> groups;
  for (size_t w = 0; w < tallies.size(); ++w)
    for (size_t s = 0; s < tallies[w].size(); ++s) {
      const Counts& judged = tallies[w][s].judged;
      if (judged.ops == 0 || judged.ops < settings.min_ops) continue;
      groups.push_back(GroupRef{w, s, static_cast<double>(judged.available(settings.answered)) / judged.ops});
    }
  return groups;
}

// The lowest fraction; the earliest window and side on a tie.
std::optional<GroupRef> worst_group(const std::vector<GroupRef>& groups) {
  if (groups.empty()) return std::nullopt;
  return *std::min_element(groups.begin(), groups.end(),
                           [](const GroupRef& a, const GroupRef& b) { return a.fraction < b.fraction; });
}

Json side_label(const FaultWindow& window, size_t side) { return side < window.sides.size() ? Json(side) : Json("unknown"); }

Json side_nodes(const FaultWindow& window, size_t side) {
  return side < window.sides.size() ? Json(window.sides[side]) : Json::array();
}

Json faults_json(const FaultWindow& window) {
  Json faults = Json::array();
  for (const ActiveFault& fault : window.faults)
    faults.push_back({{"kind", fault.kind}, {"value", fault.value}, {"start", fault.start_index}});
  return faults;
}

Json window_json(const FaultWindow& window, const WindowTally& tally, size_t index, const Settings& settings) {
  Json groups = Json::array(), side_totals = Json::array();
  Counts total;
  for (size_t s = 0; s < tally.size(); ++s) {
    const SideTally& side = tally[s];
    if (side.all.ops == 0) continue;
    for (const auto& [node, counts] : side.by_node) {
      Json row = {{"side", side_label(window, s)}, {"node", node ? Json(*node) : Json("unknown")}};
      row.update(counts.to_json());
      groups.push_back(row);
    }
    Json totals = {{"side", side_label(window, s)}, {"nodes", side_nodes(window, s)}};
    totals.update(side.all.to_json());
    totals["judged_ops"] = side.judged.ops;
    totals["judged_fraction"] = side.judged.fraction(side.judged.available(settings.answered));
    side_totals.push_back(totals);
    total.merge(side.all);
  }
  Json oneway = Json::array();
  for (const auto& [from, to] : window.oneway_cuts) oneway.push_back({from, to});
  return {{"window", index},
          {"start_ns", window.start_ns},
          {"end_ns", window.end_ns},
          {"faults", faults_json(window)},
          {"sides", window.sides},
          {"oneway_cuts", oneway},
          {"down_nodes", window.down_nodes},
          {"groups", groups},
          {"side_totals", side_totals},
          {"totals", total.to_json()}};
}

std::string fault_kinds(const FaultWindow& window) {
  std::string kinds;
  for (const ActiveFault& fault : window.faults) kinds += std::string(kinds.empty() ? "" : "+") + fault.kind;
  return kinds.empty() ? "no fault" : kinds;
}

std::string percent(double fraction) {
  char text[16];
  std::snprintf(text, sizeof text, "%.1f%%", 100 * fraction);
  return text;
}

std::string number_text(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%g", value);
  return text;
}

std::string seconds(int64_t ns) {
  char text[32];
  std::snprintf(text, sizeof text, "%.3f", static_cast<double>(ns) / 1e9);
  return text;
}

std::string side_text(const FaultWindow& window, size_t side) {
  if (side == window.sides.size()) return "unknown (ops with no node)";
  std::string text = "{";
  for (size_t i = 0; i < window.sides[side].size(); ++i) text += std::string(i ? "," : "") + std::to_string(window.sides[side][i]);
  return text + "}";
}

std::string group_text(const FaultTimeline& timeline, const GroupRef& group) {
  const FaultWindow& window = timeline.windows[group.window];
  return "window " + std::to_string(group.window) + " (" + seconds(window.start_ns) + "-" + seconds(window.end_ns) +
         " s, " + fault_kinds(window) + ") side " + side_text(window, group.side);
}

Json group_witness(const FaultTimeline& timeline, const std::vector<WindowTally>& tallies, const GroupRef& group) {
  const FaultWindow& window = timeline.windows[group.window];
  const SideTally& side = tallies[group.window][group.side];
  Json witness = {{"window", group.window},
                  {"start_ns", window.start_ns},
                  {"end_ns", window.end_ns},
                  {"faults", faults_json(window)},
                  {"side", side_label(window, group.side)},
                  {"nodes", side_nodes(window, group.side)},
                  {"fraction", group.fraction},
                  {"unavailable_ops", side.judged_unavailable}};
  witness["judged"] = side.judged.to_json();
  return witness;
}

struct Judgment {
  std::vector<GroupRef> judged;
  std::vector<GroupRef> below;
  std::optional<GroupRef> worst;
};

std::string measure_name(const Settings& settings) { return settings.answered ? "answered" : "ok"; }

std::string figure_summary(const FaultTimeline& timeline, const Judgment& judgment, const Settings& settings,
                           const Json& totals) {
  const std::string measure = measure_name(settings);
  std::string text = "availability (" + measure + "): " + totals["ops"].dump() + " ops, " +
                     percent(totals[measure + "_fraction"].get<double>()) + " " + measure + " over the run";
  if (judgment.worst) text += "; lowest " + percent(judgment.worst->fraction) + " in " + group_text(timeline, *judgment.worst);
  return text + ".";
}

std::string judged_summary(const FaultTimeline& timeline, const Judgment& judgment, const Settings& settings) {
  FAULTLINE_ASSERT(judgment.worst.has_value() && settings.min_fraction.has_value(), "judged against a minimum");
  const std::string minimum = measure_name(settings) + " fraction " + number_text(*settings.min_fraction);
  const std::string groups = std::to_string(judgment.judged.size()) + " judged window x side groups";
  if (judgment.below.empty())
    return "all " + groups + " reached " + minimum + "; lowest " + percent(judgment.worst->fraction) + " in " +
           group_text(timeline, *judgment.worst) + ".";
  return std::to_string(judgment.below.size()) + " of " + groups + " fell below " + minimum + "; worst: " +
         group_text(timeline, *judgment.worst) + " had " + percent(judgment.worst->fraction) + ".";
}

// Without a minimum the figure is the result; with one, every judged group must reach it.
void decide(const FaultTimeline& timeline, const Judgment& judgment, const Settings& settings, CheckResult& result) {
  const Json& totals = result.evidence["totals"];
  if (totals["ops"] == 0) {
    result.verdict = Verdict::unknown;
    result.summary = "cannot measure availability: the history has no client ops.";
  } else if (!settings.min_fraction) {
    result.verdict = Verdict::valid;
    result.summary = figure_summary(timeline, judgment, settings, totals);
  } else if (judgment.judged.empty()) {
    result.verdict = Verdict::unknown;
    result.summary = "cannot judge availability: no window x side group had min_ops (" + std::to_string(settings.min_ops) +
                     ") ops that count (ops in the grace period or addressed to down nodes do not).";
  } else {
    result.verdict = judgment.below.empty() ? Verdict::valid : Verdict::invalid;
    result.summary = judged_summary(timeline, judgment, settings);
  }
}

Json availability_evidence(const FaultTimeline& timeline, const std::vector<WindowTally>& tallies,
                           const Judgment& judgment, const Settings& settings) {
  Json windows = Json::array(), below = Json::array();
  Counts totals;
  for (size_t w = 0; w < timeline.windows.size(); ++w) {
    windows.push_back(window_json(timeline.windows[w], tallies[w], w, settings));
    for (const SideTally& side : tallies[w]) totals.merge(side.all);
  }
  for (const GroupRef& group : judgment.below) below.push_back(group_witness(timeline, tallies, group));
  Json evidence = {{"measure", measure_name(settings)},
                   {"min_ok_fraction", settings.min_fraction ? Json(*settings.min_fraction) : Json()},
                   {"min_ops", settings.min_ops},
                   {"nodes", timeline.nodes},
                   {"totals", totals.to_json()},
                   {"judged_groups", judgment.judged.size()},
                   {"windows", windows},
                   {"below_minimum", below}};
  if (judgment.worst) evidence["worst"] = group_witness(timeline, tallies, *judgment.worst);
  return evidence;
}

Result<CheckResult> check_availability(const History& history, const Settings& settings, const OpLocator& locate) {
  BOOST_OUTCOME_TRY(ops, pair_client_ops(history, locate));
  BOOST_OUTCOME_TRY(timeline, fault_timeline(history, settings.node_count, locate));
  const std::vector<WindowTally> tallies = tally(ops, timeline, settings);
  Judgment judgment{.judged = judged_groups(tallies, settings)};
  judgment.worst = worst_group(judgment.judged);
  for (const GroupRef& group : judgment.judged)
    if (settings.min_fraction && group.fraction < *settings.min_fraction) judgment.below.push_back(group);
  CheckResult result{.checker = "availability", .evidence = availability_evidence(timeline, tallies, judgment, settings)};
  decide(timeline, judgment, settings, result);
  return result;
}

}  // namespace

CheckerSpec availability_checker() {
  return CheckerSpec{
      .name = "availability",
      .description = "the share of ops answered per fault window, partition side and node; with min_ok_fraction, "
                     "every judged window x side group reaches it",
      .options = {
          {.name = "min_ok_fraction", .type = OptionType::number,
           .description = "the claim: every judged window x side group reaches this fraction (absent: a figure only)",
           .min = 0, .max = 1},
          {.name = "min_ops", .type = OptionType::integer, .default_value = 10,
           .description = "groups with fewer judged ops are reported but not judged", .min = 0},
          {.name = "grace_ms", .type = OptionType::number, .default_value = 0,
           .description = "ops invoked this soon after a window starts are not judged (in flight at the transition)",
           .min = 0},
          {.name = "exclude_down", .type = OptionType::boolean, .default_value = true,
           .description = "ops addressed to a killed, crashed or paused node are not judged"},
          {.name = "measure", .type = OptionType::string, .default_value = "ok",
           .description = "what counts as available: ok, or answered (ok or a definite fail)",
           .choices = {"ok", "answered"}},
          {.name = "nodes", .type = OptionType::integer,
           .description = "the cluster's node count (nodes 0..n-1), when some node appears in no op", .min = 1},
      },
      .check = [](const History& history, const Json& options, const OpLocator& locate) -> Result<CheckResult> {
        return check_availability(history, read_settings(options), locate);
      },
      .render = render_availability_text,
  };
}

}  // namespace faultline
