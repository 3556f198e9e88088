// Property tests of the availability checker: on many small random histories (fault start,
// stop and heal lines of several kinds, overlapping, with random partition cuts including
// one-way ones; ops on random nodes, or none, with random outcomes, some never completed) it
// agrees with a brute-force reference written from the definitions
// (availability_reference.h) on the windows, their sides, the per window x side counts and
// the verdict for randomly drawn options.
#include <gtest/gtest.h>

#include <rapidcheck/gtest.h>

#include "availability_reference.h"
#include "checkers/availability.h"
#include "event_history.h"

namespace faultline {
namespace {

using testing_support::EventHistory;
using testing_support::ReferenceAvailabilityChecker;
using testing_support::ReferenceAvailabilityOptions;

Json random_nodes(int nodes) {
  Json chosen = Json::array();
  for (int n = 0; n < nodes; ++n)
    if (*rc::gen::inRange(0, 2) == 0) chosen.push_back(n);
  if (chosen.empty()) chosen.push_back(*rc::gen::inRange(0, nodes));
  return chosen;
}

void draw_nemesis_line(EventHistory& h, int nodes) {
  const std::string kind = *rc::gen::element<std::string>("partition", "partition", "kill", "crash", "pause", "clock");
  const int action = *rc::gen::inRange(0, 5);  // 0-2 start, 3 stop, 4 heal
  if (action == 4) {
    h.nemesis("heal");
    return;
  }
  if (action == 3) {
    h.nemesis("stop-" + kind);
    return;
  }
  Json value = Json::object();
  if (kind == "partition") {
    value["cut"] = Json::array();
    for (int from = 0; from < nodes; ++from)
      for (int to = 0; to < nodes; ++to)
        if (from != to && *rc::gen::inRange(0, 3) == 0) value["cut"].push_back({from, to});
  } else if (kind == "clock") {
    value["node"] = *rc::gen::inRange(0, nodes);
  } else {
    value["nodes"] = random_nodes(nodes);
  }
  h.nemesis("start-" + kind, value);
}

std::optional<int64_t> maybe_node(int nodes) {
  if (*rc::gen::inRange(0, 4) == 0) return std::nullopt;
  return *rc::gen::inRange(0, nodes);
}

History draw_history(int nodes) {
  EventHistory h;
  const int processes = *rc::gen::inRange(1, 5);
  std::map<int, bool> open;
  int64_t time_ns = 0;
  const int lines = *rc::gen::inRange(0, 40);
  for (int line = 0; line < lines; ++line) {
    time_ns += *rc::gen::inRange(0, 4) * 1'000'000;
    h.at(time_ns);
    if (*rc::gen::inRange(0, 5) == 0) {
      draw_nemesis_line(h, nodes);
      continue;
    }
    const int process = *rc::gen::inRange(0, processes);
    if (open[process]) {
      h.complete(process, *rc::gen::element(OpType::ok, OpType::ok, OpType::fail, OpType::info), nullptr,
                 maybe_node(nodes));
      open[process] = false;
    } else {
      h.invoke(process, "write", 1, "k0", maybe_node(nodes));
      open[process] = true;
    }
  }
  return h.history();
}

RC_GTEST_PROP(AvailabilityProperty, AgreesWithTheBruteForceReference, ()) {
  const int nodes = *rc::gen::inRange(1, 5);
  const History history = draw_history(nodes);
  ReferenceAvailabilityOptions reference_options{
      .min_fraction = *rc::gen::element<std::optional<double>>(std::nullopt, 0.0, 0.5, 0.8, 1.0),
      .min_ops = *rc::gen::inRange<size_t>(0, 4),
      .grace_ms = *rc::gen::element(0.0, 2.0, 5.0),
      .exclude_down = *rc::gen::arbitrary<bool>(),
      .answered = *rc::gen::arbitrary<bool>(),
      .node_count = *rc::gen::element<std::optional<int64_t>>(std::nullopt, nodes + 1)};
  Json options = {{"min_ops", reference_options.min_ops},
                  {"grace_ms", reference_options.grace_ms},
                  {"exclude_down", reference_options.exclude_down},
                  {"measure", reference_options.answered ? "answered" : "ok"}};
  if (reference_options.min_fraction) options["min_ok_fraction"] = *reference_options.min_fraction;
  if (reference_options.node_count) options["nodes"] = *reference_options.node_count;
  auto locate = [&](size_t position) { return locate_by_index(history, position); };
  auto checked = run_checker(availability_checker(), history, options, locate);
  RC_ASSERT(checked.has_value());
  const CheckResult& result = checked.value();
  const auto reference = ReferenceAvailabilityChecker(history, reference_options).run();
  RC_CLASSIFY(result.verdict == Verdict::valid, "valid");
  RC_CLASSIFY(result.verdict == Verdict::invalid, "invalid");
  RC_CLASSIFY(result.verdict == Verdict::unknown, "unknown");
  RC_CLASSIFY(reference.windows.size() >= 3, "3+ windows");
  RC_ASSERT(result.verdict == reference.verdict);
  const Json& windows = result.evidence["windows"];
  RC_ASSERT(windows.size() == reference.windows.size());
  for (size_t w = 0; w < windows.size(); ++w) {
    const auto& expected = reference.windows[w];
    RC_ASSERT(windows[w]["sides"] == Json(expected.sides));
    RC_ASSERT(windows[w]["side_totals"].size() == expected.by_side.size());
    for (const Json& side : windows[w]["side_totals"]) {
      const std::optional<size_t> label =
          side["side"].is_string() ? std::nullopt : std::optional(side["side"].get<size_t>());
      const auto& counts = expected.by_side.at(label);
      RC_ASSERT(side["ops"] == counts.ops);
      RC_ASSERT(side["ok"] == counts.ok);
      RC_ASSERT(side["fail"] == counts.fail);
      RC_ASSERT(side["info"] == counts.info);
      RC_ASSERT(side["judged_ops"] == counts.judged_ops);
    }
  }
}

}  // namespace
}  // namespace faultline
