// Unit tests of the linearizability checker: Jepsen semantics, every model, witnesses,
// budgets, determinism and bad input.
#include <gtest/gtest.h>

#include <algorithm>

#include "checkers/linearizable.h"
#include "checkers/synthetic_history.h"
#include "history_builder.h"
#include "histories/import.h"

namespace faultline {
namespace {

using testing_support::HistoryBuilder;

CheckResult check(const History& history, const std::string& model, Json initial = nullptr) {
  LinearizabilityOptions options;
  options.model = model;
  options.initial = std::move(initial);
  return check_linearizable(history, options);
}

Verdict verdict(const History& history, const std::string& model, Json initial = nullptr) {
  return check(history, model, std::move(initial)).verdict;
}

TEST(Linearizable, EmptyHistoryIsValid) {
  EXPECT_EQ(verdict(History{}, "kv"), Verdict::valid);
}

TEST(Linearizable, SequentialReadsSeeTheLastWrite) {
  HistoryBuilder ok, stale;
  ok.op(0, "write", 1, 1, "a").op(1, "read", nullptr, 1, "a");
  stale.op(0, "write", 1, 1, "a").op(0, "write", 2, 2, "a").op(1, "read", nullptr, 1, "a");
  EXPECT_EQ(verdict(ok.history(), "kv"), Verdict::valid);
  EXPECT_EQ(verdict(stale.history(), "kv"), Verdict::invalid);
}

TEST(Linearizable, ReadOfNullMeansNeverWritten) {
  HistoryBuilder fresh, after_write;
  fresh.op(0, "read", nullptr, nullptr, "a");
  after_write.op(0, "write", 1, 1, "a").op(1, "read", nullptr, nullptr, "a");
  EXPECT_EQ(verdict(fresh.history(), "kv"), Verdict::valid);
  EXPECT_EQ(verdict(after_write.history(), "kv"), Verdict::invalid);
}

TEST(Linearizable, ConcurrentOpsMayTakeEffectInEitherOrder) {
  HistoryBuilder history;
  history.invoke(0, "write", 1, "a").invoke(1, "read", nullptr, "a");
  history.ok(1, "read", 1, "a").ok(0, "write", 1, "a");
  EXPECT_EQ(verdict(history.history(), "kv"), Verdict::valid);
}

TEST(Linearizable, FailedOpsDidNotHappen) {
  HistoryBuilder history;
  history.invoke(0, "write", 1, "a").fail(0, "write", 1, "a");
  history.op(1, "read", nullptr, 1, "a");
  EXPECT_EQ(verdict(history.history(), "kv"), Verdict::invalid);
}

TEST(Linearizable, InfoOpsMayTakeEffectLaterOrNever) {
  HistoryBuilder later, never;
  later.invoke(0, "write", 1, "a").info(0, "write", 1, "a");
  later.op(1, "read", nullptr, nullptr, "a").op(1, "read", nullptr, 1, "a");
  never.invoke(0, "write", 1, "a").info(0, "write", 1, "a").op(1, "read", nullptr, nullptr, "a");
  EXPECT_EQ(verdict(later.history(), "kv"), Verdict::valid);
  EXPECT_EQ(verdict(never.history(), "kv"), Verdict::valid);
}

TEST(Linearizable, InfoOpsCannotTakeEffectBeforeTheirInvoke) {
  HistoryBuilder history;
  history.op(1, "read", nullptr, 1, "a").invoke(0, "write", 1, "a").info(0, "write", 1, "a");
  EXPECT_EQ(verdict(history.history(), "kv"), Verdict::invalid);
}

TEST(Linearizable, OpenInvokesAreLikeInfo) {
  HistoryBuilder history;
  history.invoke(0, "write", 1, "a").op(1, "read", nullptr, 1, "a");
  EXPECT_EQ(verdict(history.history(), "kv"), Verdict::valid);
}

TEST(Linearizable, CasNeedsTheExpectedValue) {
  HistoryBuilder good, bad;
  good.op(0, "write", 1, 1, "a").op(0, "cas", Json::array({1, 2}), Json::array({1, 2}), "a");
  good.op(1, "read", nullptr, 2, "a");
  bad.op(0, "write", 1, 1, "a").op(0, "cas", Json::array({3, 2}), Json::array({3, 2}), "a");
  EXPECT_EQ(verdict(good.history(), "kv"), Verdict::valid);
  EXPECT_EQ(verdict(bad.history(), "kv"), Verdict::invalid);
}

TEST(Linearizable, MismatchFailIsAnObservation) {
  HistoryBuilder history;
  history.op(0, "write", 1, 1, "a");
  history.invoke(0, "cas", Json::array({1, 2}), "a").fail(0, "cas", Json::array({1, 2}), "a", "mismatch");
  EXPECT_EQ(verdict(history.history(), "kv"), Verdict::invalid);
  HistoryBuilder plain;  // without the error it simply did not happen
  plain.op(0, "write", 1, 1, "a");
  plain.invoke(0, "cas", Json::array({1, 2}), "a").fail(0, "cas", Json::array({1, 2}), "a");
  EXPECT_EQ(verdict(plain.history(), "kv"), Verdict::valid);
}

TEST(Linearizable, KeysAreIndependent) {
  HistoryBuilder history;
  history.op(0, "write", 1, 1, "a").op(1, "read", nullptr, nullptr, "b");
  history.op(1, "read", nullptr, 1, "a");
  CheckResult result = check(history.history(), "kv");
  EXPECT_EQ(result.verdict, Verdict::valid);
  EXPECT_EQ(result.evidence["partitions"], 2);
}

TEST(Linearizable, NemesisOpsAreIgnored) {
  HistoryBuilder history;
  history.info(kNemesisProcess, "start-partition", Json::object());
  history.op(0, "write", 1, 1, "a").op(1, "read", nullptr, 1, "a");
  EXPECT_EQ(verdict(history.history(), "kv"), Verdict::valid);
}

TEST(Linearizable, RegisterModelHasNoCas) {
  HistoryBuilder history;
  history.op(0, "cas", Json::array({1, 2}), Json::array({1, 2}));
  CheckResult result = check(history.history(), "register");
  EXPECT_EQ(result.verdict, Verdict::unknown);
  EXPECT_NE(result.summary.find("no operation \"cas\""), std::string::npos) << result.summary;
}

TEST(Linearizable, SignedAndUnsignedIntegersAreOneValue) {
  HistoryBuilder history;  // parsed JSON makes 1 unsigned; code builds it signed
  history.op(0, "write", Json::parse("1"), Json::parse("1")).op(1, "read", nullptr, Json(int64_t{1}));
  EXPECT_EQ(verdict(history.history(), "cas-register"), Verdict::valid);
  EXPECT_EQ(verdict(HistoryBuilder().op(0, "read", nullptr, Json::parse("0")).history(), "cas-register",
                    Json(int64_t{0})),
            Verdict::valid);
}

TEST(Linearizable, InitialStateIsUsed) {
  HistoryBuilder history;
  history.op(0, "read", nullptr, 0);
  EXPECT_EQ(verdict(history.history(), "cas-register", 0), Verdict::valid);
  EXPECT_EQ(verdict(history.history(), "cas-register"), Verdict::invalid);
}

TEST(Models, AppendKv) {
  HistoryBuilder good, bad;
  good.op(0, "append", "x", "x", "k").op(1, "append", "y", "y", "k").op(0, "get", nullptr, "xy", "k");
  good.op(0, "put", "z", "z", "k").op(1, "get", nullptr, "z", "k");
  bad.op(0, "append", "x", "x", "k").op(1, "append", "y", "y", "k").op(0, "get", nullptr, "yx", "k");
  EXPECT_EQ(verdict(good.history(), "append-kv"), Verdict::valid);
  EXPECT_EQ(verdict(bad.history(), "append-kv"), Verdict::invalid);
}

TEST(Models, AppendKvEqualContentsByDifferentPaths) {
  HistoryBuilder history;  // "ab" reached by put and by two appends must compare equal
  history.op(0, "append", "a", "a", "k").op(0, "append", "b", "b", "k").op(1, "get", nullptr, "ab", "k");
  history.op(0, "put", "ab", "ab", "k").op(1, "get", nullptr, "ab", "k");
  EXPECT_EQ(verdict(history.history(), "append-kv"), Verdict::valid);
}

TEST(Models, MultiRegister) {
  Json initial = {{"x", 0}, {"y", 0}};
  HistoryBuilder good, bad;
  Json write = Json::array({Json::array({"write", "x", 1}), Json::array({"write", "y", 1})});
  Json read_both = Json::array({Json::array({"read", "x", 1}), Json::array({"read", "y", 1})});
  Json torn = Json::array({Json::array({"read", "x", 1}), Json::array({"read", "y", 0})});
  good.op(0, "txn", write, write).op(1, "txn", read_both, read_both);
  bad.op(0, "txn", write, write).op(1, "txn", torn, torn);
  EXPECT_EQ(verdict(good.history(), "multi-register", initial), Verdict::valid);
  EXPECT_EQ(verdict(bad.history(), "multi-register", initial), Verdict::invalid);
}

TEST(Models, Set) {
  HistoryBuilder good, bad;
  good.op(0, "add", 1, 1).op(1, "add", 2, 2).op(0, "read", nullptr, Json::array({2, 1}));
  bad.op(0, "add", 1, 1).op(0, "read", nullptr, Json::array());
  EXPECT_EQ(verdict(good.history(), "set"), Verdict::valid);
  EXPECT_EQ(verdict(bad.history(), "set"), Verdict::invalid);
}

TEST(Models, Counter) {
  HistoryBuilder good, bad;
  good.op(0, "add", 2, 2).op(1, "increment", nullptr, nullptr).op(0, "read", nullptr, 3);
  bad.op(0, "add", 2, 2).op(0, "read", nullptr, 1);
  EXPECT_EQ(verdict(good.history(), "counter"), Verdict::valid);
  EXPECT_EQ(verdict(bad.history(), "counter"), Verdict::invalid);
}

TEST(Models, Queue) {
  HistoryBuilder good, bad;
  good.op(0, "enqueue", 1, 1).op(0, "enqueue", 2, 2).op(1, "dequeue", nullptr, 1);
  good.op(1, "dequeue", nullptr, 2).op(1, "dequeue", nullptr, nullptr);
  bad.op(0, "enqueue", 1, 1).op(0, "enqueue", 2, 2).op(1, "dequeue", nullptr, 2);
  EXPECT_EQ(verdict(good.history(), "queue"), Verdict::valid);
  EXPECT_EQ(verdict(bad.history(), "queue"), Verdict::invalid);
}

TEST(Models, Mutex) {
  HistoryBuilder good, bad;
  good.op(0, "acquire", nullptr, nullptr).op(0, "release", nullptr, nullptr).op(1, "acquire", nullptr, nullptr);
  bad.op(0, "acquire", nullptr, nullptr).op(1, "acquire", nullptr, nullptr);
  EXPECT_EQ(verdict(good.history(), "mutex"), Verdict::valid);
  EXPECT_EQ(verdict(bad.history(), "mutex"), Verdict::invalid);
}

TEST(Witness, NamesTheFailingOpTheStatesAndTheWindow) {
  HistoryBuilder history;
  history.op(0, "write", 1, 1, "a");
  history.invoke(1, "write", 2, "a").invoke(2, "write", 3, "a");
  history.op(3, "read", nullptr, 4, "a");  // 4 was never written
  history.ok(1, "write", 2, "a").ok(2, "write", 3, "a");
  CheckResult result = check(history.history(), "kv");
  ASSERT_EQ(result.verdict, Verdict::invalid);
  const Json& evidence = result.evidence;
  EXPECT_EQ(evidence["failing_op"]["index"], 4);
  EXPECT_EQ(evidence["failing_op"]["result"], 4);
  std::vector<int> states = evidence["states_before"].get<std::vector<int>>();
  std::sort(states.begin(), states.end());
  EXPECT_EQ(states, (std::vector<int>{1, 2, 3}));
  ASSERT_EQ(evidence["window"].size(), 2u);
  EXPECT_EQ(evidence["window"][0]["index"], 2);
  EXPECT_EQ(evidence["window"][1]["index"], 3);
  std::string text = render_linearizability_text(result);
  EXPECT_NE(text.find("no order could explain"), std::string::npos) << text;
  EXPECT_NE(text.find("#4..#5  process 3  read key=\"a\" -> ok 4"), std::string::npos) << text;
}

TEST(Witness, ImmediateFailureRenders) {
  // Knossos' immediate-failure.edn: the very first ok op is already impossible.
  auto history = import_history_file(
      std::string(FAULTLINE_TEST_DATA) + "/knossos/data/cas-register/bad/immediate-failure.edn",
      "jepsen-edn");
  ASSERT_TRUE(history) << history.error().message;
  CheckResult result = check(history.value(), "cas-register", 0);
  ASSERT_EQ(result.verdict, Verdict::invalid);
  EXPECT_EQ(result.evidence["failing_op"]["result"], 3);
  EXPECT_EQ(result.evidence["states_before"], Json::array({0}));
  EXPECT_NE(render_linearizability_text(result).find("every earlier operation had to precede it"),
            std::string::npos);
}

History hard_history() {
  SyntheticKvOptions options;
  options.op_count = 3000;
  options.keys = 1;
  options.clients = 12;
  options.values_per_key = 3;
  options.info_fraction = 0.2;
  return generate_linearizable_kv_history(options);
}

TEST(Budget, MemoryCapGivesUnknownNeverAGuess) {
  LinearizabilityOptions options;
  options.memory_limit_bytes = 4096;
  CheckResult result = check_linearizable(hard_history(), options);
  EXPECT_EQ(result.verdict, Verdict::unknown);
  EXPECT_NE(result.summary.find("memory cap"), std::string::npos) << result.summary;
  EXPECT_EQ(result.evidence["partitions_valid"], 0);
}

TEST(Budget, TimeLimitGivesUnknown) {
  LinearizabilityOptions options;
  options.time_limit_s = 1e-9;  // passed before the first budget check
  CheckResult result = check_linearizable(hard_history(), options);
  EXPECT_EQ(result.verdict, Verdict::unknown);
  EXPECT_NE(result.summary.find("time limit"), std::string::npos) << result.summary;
}

TEST(Determinism, ThreadsDoNotChangeTheResult) {
  auto history = import_history_file(
      std::string(FAULTLINE_TEST_DATA) + "/porcupine/test_data/kv/c50-bad.txt", "porcupine-kv");
  ASSERT_TRUE(history);
  LinearizabilityOptions options;
  options.model = "append-kv";
  CheckResult one = check_linearizable(history.value(), options);
  options.threads = 3;
  CheckResult three = check_linearizable(history.value(), options);
  EXPECT_EQ(one.verdict, Verdict::invalid);
  EXPECT_EQ(one.summary, three.summary);
  EXPECT_EQ(one.evidence, three.evidence);
}

TEST(BadInput, CompletionWithoutInvokeNamesTheOp) {
  HistoryBuilder history;
  history.ok(0, "write", 1, "a");
  auto result = check_linearizable_or_error(history.history(), LinearizabilityOptions{},
                                            [](size_t position) { return "f.jsonl:" + std::to_string(position + 7); });
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().message.rfind("f.jsonl:7: ", 0), 0u) << result.error().message;
}

TEST(BadInput, DoubleInvokeAndUnknownModel) {
  HistoryBuilder history;
  history.invoke(0, "write", 1, "a").invoke(0, "write", 2, "a");
  auto locate = [](size_t position) { return "op " + std::to_string(position); };
  auto twice = check_linearizable_or_error(history.history(), LinearizabilityOptions{}, locate);
  ASSERT_FALSE(twice);
  EXPECT_NE(twice.error().message.find("still open"), std::string::npos);
  LinearizabilityOptions options;
  options.model = "btree";
  auto unknown = check_linearizable_or_error(History{}, options, locate);
  ASSERT_FALSE(unknown);
  EXPECT_NE(unknown.error().message.find("unknown model"), std::string::npos);
}

}  // namespace
}  // namespace faultline
