// Unit tests of the set-full checker: one per outcome kind, the edge cases of the rules
// (docs/checkers/set-full.md), bad input, rendering, and the example histories in
// tests/data/checkers/set-full/.
#include "checkers/set_full.h"

#include <gtest/gtest.h>

#include "example_histories.h"
#include "history_builder.h"

namespace faultline {
namespace {

using testing_support::HistoryBuilder;

const std::optional<std::string> k1 = "k1";

Result<CheckResult> check(const History& history, SetFullOptions options = {}) {
  return check_set_full(history, options, [&history](size_t position) { return locate_by_index(history, position); });
}

CheckResult checked(const History& history, SetFullOptions options = {}) {
  auto result = check(history, options);
  EXPECT_TRUE(result) << result.error().message;
  return result ? result.value() : CheckResult{};
}

TEST(SetFull, AnElementInEveryLaterReadIsOk) {
  HistoryBuilder b;
  b.op(0, "add", 17, 17, k1)
      .op(1, "read", nullptr, Json::array({17}), k1)
      .op(1, "read", nullptr, Json::array({17}), k1);
  CheckResult result = checked(b.history());
  EXPECT_EQ(result.verdict, Verdict::valid) << result.summary;
  EXPECT_EQ(result.evidence["counts"]["ok"], 1);
  EXPECT_EQ(result.evidence["counts"]["known"], 1);
  EXPECT_EQ(result.evidence["latency"]["latency_ms_max"], 0.0);
}

TEST(SetFull, AnAcknowledgedAddThatEveryLaterReadMissesIsLost) {
  HistoryBuilder b;
  b.op(0, "add", 17, 17, k1).op(1, "read", nullptr, Json::array(), k1).op(1, "read", nullptr, Json::array(), k1);
  CheckResult result = checked(b.history());
  ASSERT_EQ(result.verdict, Verdict::invalid) << result.summary;
  const Json& lost = result.evidence["lost"]["elements"][0];
  EXPECT_EQ(lost["element"], 17);
  EXPECT_EQ(lost["add"]["index"], 0);
  EXPECT_EQ(lost["known_at"], 1);
  EXPECT_TRUE(lost["last_seen_by"].is_null());
  EXPECT_EQ(lost["absent_from"], 3);
  EXPECT_EQ(lost["absent_reads"], 2);
}

TEST(SetFull, AnElementSeenThenGoneForGoodIsLost) {
  HistoryBuilder b;
  b.op(0, "add", 17, 17, k1).op(1, "read", nullptr, Json::array({17}), k1);
  b.op(1, "read", nullptr, Json::array(), k1).op(2, "read", nullptr, Json::array(), k1);
  CheckResult result = checked(b.history());
  ASSERT_EQ(result.verdict, Verdict::invalid);
  const Json& lost = result.evidence["lost"]["elements"][0];
  EXPECT_EQ(lost["last_seen_by"], 3);
  EXPECT_EQ(lost["absent_from"], 5);
  EXPECT_EQ(result.evidence["counts"]["lost"], 1);
}

TEST(SetFull, AnElementMissedThenAlwaysSeenIsStaleAndValid) {
  HistoryBuilder b;
  b.op(0, "add", 17, 17, k1).op(1, "read", nullptr, Json::array(), k1);
  b.op(1, "read", nullptr, Json::array(), k1).op(2, "read", nullptr, Json::array({17}), k1);
  CheckResult result = checked(b.history());
  ASSERT_EQ(result.verdict, Verdict::valid) << result.summary;
  const Json& stale = result.evidence["stale"]["elements"][0];
  EXPECT_EQ(stale["first_counting"], 3);
  EXPECT_EQ(stale["last_absent"], 5);
  EXPECT_EQ(stale["stable_from"], 7);
  // The builder's times are the line numbers: from read #2's begin to read #6's begin.
  EXPECT_DOUBLE_EQ(stale["latency_ms"].get<double>(), 4e-6);
}

TEST(SetFull, StaleElementsAreViolationsWithOptionLinearizable) {
  HistoryBuilder b;
  b.op(0, "add", 17, 17, k1).op(1, "read", nullptr, Json::array(), k1).op(2, "read", nullptr, Json::array({17}), k1);
  CheckResult result = checked(b.history(), SetFullOptions{.linearizable = true});
  EXPECT_EQ(result.verdict, Verdict::invalid);
  EXPECT_NE(result.summary.find("linearizable"), std::string::npos) << result.summary;
}

TEST(SetFull, AnElementNoReadBeganAfterIsNeverRead) {
  HistoryBuilder b;
  b.op(0, "add", 1, 1, k1).op(1, "read", nullptr, Json::array({1}), k1);
  b.op(0, "add", 2, 2, k1);
  CheckResult result = checked(b.history());
  EXPECT_EQ(result.verdict, Verdict::valid);
  EXPECT_EQ(result.evidence["counts"]["never_read"], 1);
  EXPECT_EQ(result.evidence["counts"]["ok"], 1);
}

TEST(SetFull, ReadsConcurrentWithTheAddDoNotCountAgainstIt) {
  HistoryBuilder b;
  b.invoke(0, "add", 17, k1).invoke(1, "read", nullptr, k1).ok(0, "add", 17, k1).ok(1, "read", Json::array(), k1);
  b.op(1, "read", nullptr, Json::array({17}), k1);
  CheckResult result = checked(b.history());
  EXPECT_EQ(result.verdict, Verdict::valid) << result.summary;
  EXPECT_EQ(result.evidence["counts"]["ok"], 1);
  EXPECT_EQ(result.evidence["counts"]["stale"], 0);
}

TEST(SetFull, TheLatestReadIsTheLatestToBeginNotToEnd) {
  // Read A begins, read B begins, B ends seeing 17, A ends missing it: B began last, so 17
  // is stable (A is a stale read), not lost.
  HistoryBuilder b;
  b.op(0, "add", 17, 17, k1).invoke(1, "read", nullptr, k1).invoke(2, "read", nullptr, k1);
  b.ok(2, "read", Json::array({17}), k1).ok(1, "read", Json::array(), k1);
  CheckResult result = checked(b.history());
  EXPECT_EQ(result.verdict, Verdict::valid) << result.summary;
  EXPECT_EQ(result.evidence["counts"]["stale"], 1);
}

TEST(SetFull, AnElementNeverAddedIsUnexpected) {
  HistoryBuilder b;
  b.op(0, "add", 1, 1, k1).op(1, "read", nullptr, Json::array({1, 99}), k1);
  CheckResult result = checked(b.history());
  ASSERT_EQ(result.verdict, Verdict::invalid);
  const Json& unexpected = result.evidence["unexpected"]["elements"][0];
  EXPECT_EQ(unexpected["element"], 99);
  EXPECT_TRUE(unexpected["add"].is_null());
  EXPECT_EQ(unexpected["read"], 3);
}

TEST(SetFull, AFailedAddThatIsSeenIsUnexpected) {
  HistoryBuilder b;
  b.invoke(0, "add", 5, k1).fail(0, "add", 5, k1).op(1, "read", nullptr, Json::array({5}), k1);
  CheckResult result = checked(b.history());
  ASSERT_EQ(result.verdict, Verdict::invalid);
  EXPECT_EQ(result.evidence["unexpected"]["elements"][0]["add"]["outcome"], "fail");
  EXPECT_EQ(result.evidence["counts"]["attempted"], 0);
}

TEST(SetFull, AnElementReadBeforeItsAddWasInvokedIsUnexpected) {
  HistoryBuilder b;
  b.op(1, "read", nullptr, Json::array({5}), k1).op(0, "add", 5, 5, k1).op(1, "read", nullptr, Json::array({5}), k1);
  CheckResult result = checked(b.history());
  ASSERT_EQ(result.verdict, Verdict::invalid);
  EXPECT_EQ(result.evidence["unexpected"]["total"], 1);
  EXPECT_EQ(result.evidence["unexpected"]["elements"][0]["read"], 1);
  EXPECT_EQ(result.evidence["counts"]["ok"], 1);  // the later read is explained
}

TEST(SetFull, AnAddInvokedBeforeTheReadEndedExplainsIt) {
  HistoryBuilder b;
  b.invoke(1, "read", nullptr, k1).invoke(0, "add", 5, k1).ok(1, "read", Json::array({5}), k1).ok(0, "add", 5, k1);
  CheckResult result = checked(b.history());
  EXPECT_EQ(result.evidence["counts"]["unexpected"], 0);
}

TEST(SetFull, AnInfoAddSeenLaterIsOkNotUnexpected) {
  HistoryBuilder b;
  b.invoke(0, "add", 5, k1).info(0, "add", 5, k1);
  b.op(1, "read", nullptr, Json::array({5}), k1).op(1, "read", nullptr, Json::array({5}), k1);
  CheckResult result = checked(b.history());
  EXPECT_EQ(result.verdict, Verdict::valid) << result.summary;
  EXPECT_EQ(result.evidence["counts"]["ok"], 1);
  EXPECT_EQ(result.evidence["counts"]["acknowledged"], 0);
}

TEST(SetFull, AnInfoAddSeenOnceThenGoneIsLost) {
  HistoryBuilder b;
  b.invoke(0, "add", 5, k1).info(0, "add", 5, k1);
  b.op(1, "read", nullptr, Json::array({5}), k1).op(1, "read", nullptr, Json::array(), k1);
  CheckResult result = checked(b.history());
  ASSERT_EQ(result.verdict, Verdict::invalid);
  EXPECT_EQ(result.evidence["lost"]["elements"][0]["known_at"], 3);
}

TEST(SetFull, AnUnacknowledgedAddNobodySawIsNeverReadAndShowsNothing) {
  HistoryBuilder b;
  b.invoke(0, "add", 5, k1).info(0, "add", 5, k1).invoke(2, "add", 6, k1);
  b.op(1, "read", nullptr, Json::array(), k1);
  CheckResult result = checked(b.history());
  EXPECT_EQ(result.verdict, Verdict::unknown);
  EXPECT_EQ(result.evidence["counts"]["never_read"], 2);
  EXPECT_NE(result.summary.find("no element became known"), std::string::npos);
}

TEST(SetFull, NoOkReadIsUnknown) {
  HistoryBuilder b;
  b.op(0, "add", 5, 5, k1).invoke(1, "read", nullptr, k1).fail(1, "read", nullptr, k1);
  CheckResult result = checked(b.history());
  EXPECT_EQ(result.verdict, Verdict::unknown);
  EXPECT_NE(result.summary.find("no ok read"), std::string::npos);
}

TEST(SetFull, KeysAreIndependentSetsAndNoKeyIsOneSet) {
  HistoryBuilder b;
  b.op(0, "add", 1, 1, "a").op(0, "add", 1, 1, "b").op(0, "add", 1, 1);
  b.op(1, "read", nullptr, Json::array({1}), "a").op(1, "read", nullptr, Json::array(), "b");
  b.op(1, "read", nullptr, Json::array({1}));
  CheckResult result = checked(b.history());
  ASSERT_EQ(result.verdict, Verdict::invalid);
  EXPECT_EQ(result.evidence["lost"]["total"], 1);
  EXPECT_EQ(result.evidence["lost"]["elements"][0]["key"], "b");
  EXPECT_EQ(result.evidence["keys"].size(), 3u);
  EXPECT_TRUE(result.evidence["keys"][0]["key"].is_null());  // the set without a key sorts first
}

TEST(SetFull, TheAddOpNameIsAnOption) {
  HistoryBuilder b;
  b.op(0, "broadcast", 3, 3).op(1, "read", nullptr, Json::array({3}));
  EXPECT_EQ(checked(b.history(), SetFullOptions{.add_f = "broadcast"}).verdict, Verdict::valid);
  auto error = check(b.history());
  ASSERT_FALSE(error);
  EXPECT_EQ(error.error().message, "op #0: f \"broadcast\" is neither the add (option add_f: \"add\") nor \"read\"");
}

TEST(SetFull, ANullReadIsTheEmptySet) {
  HistoryBuilder b;
  b.op(0, "add", 3, 3).op(1, "read", nullptr, nullptr);
  EXPECT_EQ(checked(b.history()).evidence["counts"]["lost"], 1);
}

TEST(SetFull, MalformedInputIsAnErrorNamingTheOp) {
  struct Case {
    HistoryBuilder history;
    std::string error;
  };
  std::vector<Case> cases(4);
  cases[0].history.op(0, "add", 1, 1).op(1, "read", nullptr, "1,2");
  cases[0].error = "op #3: a set read must return a list of integer elements, got \"1,2\"";
  cases[1].history.op(0, "add", "x", "x");
  cases[1].error = "op #0: an add must carry one integer element, got \"x\"";
  cases[2].history.op(0, "add", 1, 1).op(1, "add", 1, 1);
  cases[2].error =
      "op #2: element 1 of the set without a key is added twice (first at op #0); set-full needs "
      "unique elements";
  cases[3].history.ok(0, "read", Json::array());
  cases[3].error = "op #0: a completion (ok) of process 0 with no open invoke";
  for (const Case& c : cases) {
    auto result = check(c.history.history());
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().message, c.error);
  }
}

TEST(SetFull, TheRegistryEntryResolvesOptionsAndRenders) {
  HistoryBuilder b;
  b.op(0, "add", 17, 17, k1).op(1, "read", nullptr, Json::array({17}), k1).op(1, "read", nullptr, Json::array(), k1);
  const CheckerSpec spec = set_full_checker();
  auto bad = run_checker(spec, b.history(), Json{{"linearisable", true}}, [](size_t) { return std::string(); });
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("unknown option \"linearisable\""), std::string::npos);
  CheckResult result = run_checker_or_unknown(spec, b.history(), Json());
  ASSERT_EQ(result.verdict, Verdict::invalid);
  const std::string text = render_result(spec, result);
  EXPECT_NE(text.find("lost 1 of 1 known elements in k1: 17 (add #0 ok at 1 ns; seen by read #3; absent from "
                      "read #5 and every read after)"),
            std::string::npos)
      << text;
}

TEST(SetFull, ListsAreCappedAndSayHowManyInAll) {
  HistoryBuilder b;
  for (int element = 0; element < 25; ++element) b.op(0, "add", element, element);
  b.op(1, "read", nullptr, Json::array());
  CheckResult result = checked(b.history());
  EXPECT_EQ(result.evidence["lost"]["total"], 25);
  EXPECT_EQ(result.evidence["lost"]["elements"].size(), 20u);
  EXPECT_NE(render_set_full(result).find("... 20 more lost elements (the evidence lists 20)"), std::string::npos);
}

TEST(SetFull, LatencyPercentilesAreNearestRank) {
  HistoryBuilder b;
  // Element e is missed by e reads after it is known, then always seen.
  for (int element = 0; element < 4; ++element) b.op(0, "add", element, element);
  for (int read = 0; read < 4; ++read) {
    Json seen = Json::array();
    for (int element = 0; element < 4; ++element)
      if (element <= read) seen.push_back(element);
    b.op(1, "read", nullptr, seen);
  }
  CheckResult result = checked(b.history());
  ASSERT_EQ(result.verdict, Verdict::valid) << result.summary;
  const Json& latency = result.evidence["latency"];
  EXPECT_EQ(latency["stable_elements"], 4);
  EXPECT_DOUBLE_EQ(latency["latency_ms_p50"].get<double>(), 2e-6);  // latencies 0, 2, 4, 6 ns
  EXPECT_DOUBLE_EQ(latency["latency_ms_p90"].get<double>(), 6e-6);
  EXPECT_DOUBLE_EQ(latency["latency_ms_max"].get<double>(), 6e-6);
  EXPECT_EQ(result.evidence["stale"]["elements"][0]["element"], 3);  // the worst first
}

TEST(SetFull, TheStaleExampleIsInvalidWhenLinearizable) {
  auto example = testing_support::read_example("set-full", "stale-read.valid.jsonl");
  auto result = run_checker(set_full_checker(), example.history, Json{{"linearizable", true}}, example.locate());
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_EQ(result.value().verdict, Verdict::invalid);
}

}  // namespace
}  // namespace faultline
