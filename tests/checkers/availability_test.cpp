// Unit tests of the availability checker (docs/checkers/availability.md): fault windows,
// sides, attribution, the options and the verdict, and the hand-written histories of
// tests/data/checkers/availability/.
#include <gtest/gtest.h>

#include <fstream>

#include <filesystem>

#include "checkers/availability.h"
#include "event_history.h"
#include "histories/jsonl.h"

namespace faultline {
namespace {

using testing_support::EventHistory;

Result<CheckResult> check(const History& history, Json options = Json::object()) {
  auto locate = [&history](size_t position) { return locate_by_index(history, position); };
  return run_checker(availability_checker(), history, options, locate);
}

CheckResult checked(const History& history, Json options = Json::object()) {
  auto result = check(history, std::move(options));
  EXPECT_TRUE(result) << result.error().message;
  return result ? std::move(result).value() : CheckResult{};
}

// `count` ops by `process` addressed to `node`, each ending `type`.
EventHistory& ops(EventHistory& h, int64_t process, std::optional<int64_t> node, OpType type, int count) {
  for (int i = 0; i < count; ++i) {
    h.invoke(process, "read", nullptr, "k0", node);
    h.complete(process, type, type == OpType::ok ? Json(1) : Json(nullptr));
  }
  return h;
}

Json cut_between(std::vector<int64_t> a, std::vector<int64_t> b) {
  Json cut = Json::array();
  for (int64_t x : a)
    for (int64_t y : b) {
      cut.push_back({x, y});
      cut.push_back({y, x});
    }
  return {{"cut", cut}};
}

const Json& side_totals(const CheckResult& result, size_t window, size_t side) {
  return result.evidence["windows"][window]["side_totals"][side];
}

TEST(Availability, WithoutFaultsThereIsOneWindowAndTheFigureIsTheResult) {
  EventHistory h;
  ops(h, 0, 0, OpType::ok, 3);
  ops(h, 1, 1, OpType::info, 1);
  CheckResult result = checked(h.history(), {{"nodes", 3}});
  EXPECT_EQ(result.verdict, Verdict::valid);
  ASSERT_EQ(result.evidence["windows"].size(), 1u);
  EXPECT_EQ(result.evidence["windows"][0]["sides"], (Json{{0, 1, 2}}));
  EXPECT_EQ(result.evidence["totals"]["ops"], 4);
  EXPECT_DOUBLE_EQ(result.evidence["totals"]["ok_fraction"].get<double>(), 0.75);
}

TEST(Availability, NoClientOpsIsUnknown) {
  EventHistory h;
  h.nemesis("start-partition", cut_between({0}, {1})).nemesis("stop-partition");
  EXPECT_EQ(checked(h.history()).verdict, Verdict::unknown);
  EXPECT_EQ(checked(h.history(), {{"min_ok_fraction", 0.5}}).verdict, Verdict::unknown);
}

TEST(Availability, OverlappingFaultsMakeThreeWindows) {
  EventHistory h;
  ops(h, 0, 0, OpType::ok, 1);
  h.nemesis("start-partition", cut_between({0}, {1, 2}));
  ops(h, 0, 0, OpType::ok, 1);
  h.nemesis("start-kill", {{"nodes", {2}}});
  ops(h, 0, 0, OpType::ok, 1);
  h.nemesis("stop-partition");
  ops(h, 0, 0, OpType::ok, 1);
  h.nemesis("stop-kill", {{"nodes", {2}}});
  ops(h, 0, 0, OpType::ok, 1);
  CheckResult result = checked(h.history());
  const Json& windows = result.evidence["windows"];
  ASSERT_EQ(windows.size(), 5u);  // none, partition, partition+kill, kill, none
  EXPECT_EQ(windows[1]["faults"].size(), 1u);
  EXPECT_EQ(windows[2]["faults"].size(), 2u);
  EXPECT_EQ(windows[3]["faults"][0]["kind"], "kill");
  EXPECT_EQ(windows[2]["sides"], (Json{{0}, {1, 2}}));
  EXPECT_EQ(windows[3]["sides"], (Json{{0, 1, 2}}));
  EXPECT_EQ(windows[2]["down_nodes"], (Json{2}));
  for (size_t w = 0; w < 5; ++w) EXPECT_EQ(windows[w]["totals"]["ops"], 1) << w;
  EXPECT_EQ(windows[1]["start_ns"], h.history().ops[2].time_ns);
  EXPECT_EQ(windows[1]["end_ns"], h.history().ops[5].time_ns);
}

TEST(Availability, AStopEndsTheOldestFaultOfItsKindAndHealEndsAll) {
  EventHistory h;
  h.nemesis("start-partition", cut_between({0}, {1, 2})).nemesis("start-partition", cut_between({2}, {0, 1}));
  h.nemesis("stop-partition");
  ops(h, 0, 1, OpType::ok, 1);
  h.nemesis("start-pause", {{"nodes", {1}}}).nemesis("heal");
  ops(h, 0, 1, OpType::ok, 1);
  CheckResult result = checked(h.history());
  const Json& windows = result.evidence["windows"];
  ASSERT_EQ(windows.size(), 6u);
  EXPECT_EQ(windows[2]["sides"], (Json{{0}, {1}, {2}}));
  EXPECT_EQ(windows[3]["sides"], (Json{{0, 1}, {2}}));  // the first partition stopped, the second stays
  EXPECT_EQ(windows[4]["faults"].size(), 2u);
  EXPECT_TRUE(windows[5]["faults"].empty());
  EXPECT_EQ(windows[5]["totals"]["ops"], 1);
}

TEST(Availability, AStopWithNothingToStopChangesNothing) {
  EventHistory h;
  ops(h, 0, 0, OpType::ok, 1);
  h.nemesis("stop-partition").nemesis("heal");
  EXPECT_EQ(checked(h.history()).evidence["windows"].size(), 1u);
}

TEST(Availability, AOnewayCutIsolatesNothingButIsRecorded) {
  EventHistory h;
  h.nemesis("start-partition", {{"shape", "oneway"}, {"cut", {{0, 1}, {0, 2}}}});
  ops(h, 0, 1, OpType::ok, 1);
  CheckResult result = checked(h.history(), {{"nodes", 3}});
  const Json& window = result.evidence["windows"][1];
  EXPECT_EQ(window["sides"], (Json{{0, 1, 2}}));
  EXPECT_EQ(window["oneway_cuts"], (Json{{0, 1}, {0, 2}}));
}

TEST(Availability, OpsAreCountedPerSideAndNode) {
  EventHistory h;
  h.nemesis("start-partition", cut_between({0, 1}, {2}));
  ops(h, 0, 0, OpType::ok, 4);
  ops(h, 1, 1, OpType::ok, 2);
  ops(h, 1, 1, OpType::fail, 1);
  ops(h, 2, 2, OpType::info, 3);
  ops(h, 3, 2, OpType::ok, 1);
  CheckResult result = checked(h.history());
  const Json& majority = side_totals(result, 1, 0);
  EXPECT_EQ(majority["nodes"], (Json{0, 1}));
  EXPECT_EQ(majority["ops"], 7);
  EXPECT_EQ(majority["ok"], 6);
  EXPECT_EQ(majority["fail"], 1);
  const Json& minority = side_totals(result, 1, 1);
  EXPECT_EQ(minority["ops"], 4);
  EXPECT_EQ(minority["info"], 3);
  EXPECT_DOUBLE_EQ(minority["ok_fraction"].get<double>(), 0.25);
  const Json& groups = result.evidence["windows"][1]["groups"];
  ASSERT_EQ(groups.size(), 3u);
  EXPECT_EQ(groups[1]["node"], 1);
  EXPECT_EQ(groups[1]["ops"], 3);
  EXPECT_DOUBLE_EQ(groups[1]["answered_fraction"].get<double>(), 1.0);
}

TEST(Availability, TheNodeIsTheAddressedOneElseTheAnsweringOneElseUnknown) {
  EventHistory h;
  h.nemesis("start-partition", cut_between({0}, {1}));
  h.invoke(0, "read", nullptr, "k0", 0).complete(0, OpType::ok, 1, 1);        // addressed 0
  h.invoke(1, "read", nullptr, "k0").complete(1, OpType::ok, 1, 1);           // answered by 1
  h.invoke(2, "read", nullptr, "k0").complete(2, OpType::info, nullptr);      // unknown
  CheckResult result = checked(h.history());
  const Json& sides = result.evidence["windows"][1]["side_totals"];
  ASSERT_EQ(sides.size(), 3u);
  EXPECT_EQ(sides[0]["nodes"], (Json{0}));
  EXPECT_EQ(sides[0]["ops"], 1);
  EXPECT_EQ(sides[1]["ops"], 1);
  EXPECT_EQ(sides[2]["side"], "unknown");
  EXPECT_EQ(sides[2]["info"], 1);
}

TEST(Availability, WithOneSideAnOpOfUnknownNodeBelongsToIt) {
  EventHistory h;
  h.invoke(2, "read", nullptr, "k0").complete(2, OpType::info, nullptr);
  CheckResult result = checked(h.history(), {{"nodes", 2}});
  EXPECT_EQ(side_totals(result, 0, 0)["side"], 0);
  EXPECT_EQ(result.evidence["windows"][0]["groups"][0]["node"], "unknown");
}

TEST(Availability, AGroupBelowTheMinimumIsInvalidWithTheWorstAsWitness) {
  EventHistory h;
  ops(h, 0, 0, OpType::ok, 10);
  h.nemesis("start-partition", cut_between({0, 1}, {2}));
  ops(h, 0, 0, OpType::ok, 10);
  ops(h, 1, 2, OpType::info, 8);
  ops(h, 2, 2, OpType::ok, 2);
  CheckResult result = checked(h.history(), {{"min_ok_fraction", 0.9}});
  EXPECT_EQ(result.verdict, Verdict::invalid);
  const Json& worst = result.evidence["worst"];
  EXPECT_EQ(worst["window"], 1);
  EXPECT_EQ(worst["nodes"], (Json{2}));
  EXPECT_DOUBLE_EQ(worst["fraction"].get<double>(), 0.2);
  EXPECT_EQ(worst["judged"]["info"], 8);
  EXPECT_EQ(worst["unavailable_ops"].size(), 5u);
  EXPECT_EQ(worst["faults"][0]["kind"], "partition");
  EXPECT_EQ(result.evidence["below_minimum"].size(), 1u);
  EXPECT_NE(result.summary.find("side {2}"), std::string::npos) << result.summary;
  EXPECT_EQ(checked(h.history(), {{"min_ok_fraction", 0.2}}).verdict, Verdict::valid);
}

TEST(Availability, GroupsWithFewerThanMinOpsAreNotJudged) {
  EventHistory h;
  ops(h, 0, 0, OpType::info, 3);
  EXPECT_EQ(checked(h.history(), {{"min_ok_fraction", 0.5}}).verdict, Verdict::unknown);
  EXPECT_EQ(checked(h.history(), {{"min_ok_fraction", 0.5}, {"min_ops", 3}}).verdict, Verdict::invalid);
}

TEST(Availability, AnOpOnACrashedNodeIsExcluded) {
  EventHistory h;
  h.nemesis("start-crash", {{"nodes", {1}}});
  ops(h, 0, 0, OpType::ok, 5);
  ops(h, 1, 1, OpType::info, 5);
  Json options = {{"min_ok_fraction", 1.0}, {"min_ops", 1}};
  CheckResult result = checked(h.history(), options);
  EXPECT_EQ(result.verdict, Verdict::valid) << result.summary;
  EXPECT_EQ(side_totals(result, 1, 0)["ops"], 10);  // reported
  EXPECT_EQ(side_totals(result, 1, 0)["judged_ops"], 5);
  options["exclude_down"] = false;
  EXPECT_EQ(checked(h.history(), options).verdict, Verdict::invalid);
}

TEST(Availability, OpsWithinTheGracePeriodAreNotJudged) {
  EventHistory h;
  h.at(1'000'000'000).nemesis("start-partition", cut_between({0}, {1}));
  ops(h, 0, 0, OpType::info, 3);  // at 1.001, 1.003, 1.005 s
  h.at(2'000'000'000);
  ops(h, 0, 0, OpType::ok, 3);
  Json options = {{"min_ok_fraction", 1.0}, {"min_ops", 1}, {"grace_ms", 500}};
  EXPECT_EQ(checked(h.history(), options).verdict, Verdict::valid);
  options["grace_ms"] = 3;
  EXPECT_EQ(checked(h.history(), options).verdict, Verdict::invalid);  // the op at 1.005 s counts
}

TEST(Availability, MeasureAnsweredCountsADefiniteFail) {
  EventHistory h;
  ops(h, 0, 0, OpType::fail, 5);
  ops(h, 0, 0, OpType::ok, 5);
  Json options = {{"min_ok_fraction", 0.9}};
  EXPECT_EQ(checked(h.history(), options).verdict, Verdict::invalid);
  options["measure"] = "answered";
  EXPECT_EQ(checked(h.history(), options).verdict, Verdict::valid);
}

TEST(Availability, TheNodesOptionAddsNodesNoOpNames) {
  EventHistory h;
  h.nemesis("start-partition", cut_between({0}, {1}));
  ops(h, 0, 0, OpType::ok, 1);
  EXPECT_EQ(checked(h.history()).evidence["windows"][1]["sides"], (Json{{0}, {1}}));
  // Node 2 still talks to both: a bridge joins the sides (connected components).
  EXPECT_EQ(checked(h.history(), {{"nodes", 3}}).evidence["windows"][1]["sides"], (Json{{0, 1, 2}}));
}

TEST(Availability, UnreadableFaultValuesAreErrorsNamingTheLine) {
  EventHistory partition;
  partition.nemesis("start-partition", "Cut off {n1 [n2]}");
  auto result = check(partition.history());
  ASSERT_FALSE(result);
  EXPECT_NE(result.error().message.find("op #0"), std::string::npos) << result.error().message;
  EventHistory kill;
  kill.nemesis("start-kill", {{"nodes", {"n1"}}});
  EXPECT_FALSE(check(kill.history()));
  EventHistory orphan;
  orphan.invoke(0, "read", nullptr, "k0");
  History completion_only = orphan.complete(0, OpType::ok, 1).history();
  completion_only.ops.erase(completion_only.ops.begin());
  EXPECT_FALSE(check(completion_only));
  EXPECT_FALSE(check(orphan.history(), {{"min_ok_fraction", 2}}));
}

TEST(Availability, RenderPrintsATableOfWindowsAndSides) {
  EventHistory h;
  ops(h, 0, 0, OpType::ok, 10);
  h.nemesis("start-partition", cut_between({0, 1}, {2}));
  ops(h, 0, 0, OpType::ok, 10);
  ops(h, 1, 2, OpType::info, 10);
  CheckResult result = checked(h.history(), {{"min_ok_fraction", 0.9}});
  const std::string text = render_availability_text(result);
  EXPECT_NE(text.find("partition"), std::string::npos) << text;
  EXPECT_NE(text.find("{2}"), std::string::npos) << text;
  EXPECT_NE(text.find("below"), std::string::npos) << text;
  EXPECT_NE(text.find("  0.0%"), std::string::npos) << text;
}

TEST(Availability, RenderKeepsTheLowestRowsWhenThereAreMany) {
  EventHistory h;
  for (int round = 0; round < 10; ++round) {
    h.nemesis("start-partition", cut_between({0}, {1}));
    ops(h, 0, 0, OpType::ok, 2);
    ops(h, 1, 1, round == 7 ? OpType::info : OpType::ok, 2);
    h.nemesis("stop-partition");
  }
  const std::string text = render_availability_text(checked(h.history(), {{"min_ops", 1}}));
  EXPECT_NE(text.find("more rows in the evidence"), std::string::npos) << text;
  EXPECT_NE(text.find("  0.0%"), std::string::npos) << text;  // round 7's side {1} is kept
}

}  // namespace
}  // namespace faultline
