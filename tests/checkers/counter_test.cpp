// Unit tests of the counter checker: the bounds of each kind of update (docs/checkers/counter.md),
// final reads, subset sums, bad input, rendering, and the example histories in
// tests/data/checkers/counter/.
#include "checkers/counter.h"

#include <gtest/gtest.h>

#include "checkers/subset_sums.h"
#include "example_histories.h"
#include "history_builder.h"

namespace faultline {
namespace {

using testing_support::HistoryBuilder;

const std::optional<std::string> k0 = "k0";

Result<CheckResult> check(const History& history, CounterOptions options = {}) {
  return check_counter(history, options, [&history](size_t position) { return locate_by_index(history, position); });
}

CheckResult checked(const History& history, CounterOptions options = {}) {
  auto result = check(history, options);
  EXPECT_TRUE(result) << result.error().message;
  return result ? result.value() : CheckResult{};
}

// The completion indexes of the reads out of bounds.
std::vector<int64_t> violating_reads(const CheckResult& result) {
  std::vector<int64_t> reads;
  for (const Json& violation : result.evidence["violations"]["reads"]) reads.push_back(violation["read"]);
  return reads;
}

// A history with `before` run before one read of `value`.
History with_read(HistoryBuilder before, Json value) {
  before.op(9, "read", nullptr, std::move(value), k0);
  return before.history();
}

TEST(Counter, AReadOfTheAcknowledgedTotalIsValid) {
  HistoryBuilder b;
  b.op(0, "add", 3, 3, k0).op(1, "add", 4, 4, k0);
  CheckResult result = checked(with_read(b, 7));
  EXPECT_EQ(result.verdict, Verdict::valid) << result.summary;
  EXPECT_EQ(result.evidence["counts"]["reads"], 1);
}

TEST(Counter, AReadBelowTheAcknowledgedIncrementsIsAViolation) {
  HistoryBuilder b;
  b.op(0, "add", 3, 3, k0).op(1, "add", 4, 4, k0);
  CheckResult result = checked(with_read(b, 6));
  ASSERT_EQ(result.verdict, Verdict::invalid);
  const Json& violation = result.evidence["violations"]["reads"][0];
  EXPECT_EQ(violation["read"], 5);
  EXPECT_EQ(violation["lower"], 7);
  EXPECT_EQ(violation["value"], 6);
  EXPECT_EQ(violation["upper"], 7);
  EXPECT_EQ(violation["increments_acknowledged"], (Json{{"count", 2}, {"sum", 7}}));
}

TEST(Counter, AReadAboveEveryPossibleIncrementIsAViolation) {
  HistoryBuilder b;
  b.op(0, "add", 3, 3, k0);
  EXPECT_EQ(checked(with_read(b, 4)).verdict, Verdict::invalid);
}

TEST(Counter, AnInfoIncrementMayOrMayNotCount) {
  for (int value : {0, 5}) {
    HistoryBuilder b;
    b.invoke(0, "add", 5, k0).info(0, "add", 5, k0);
    EXPECT_EQ(checked(with_read(b, value)).verdict, Verdict::valid) << value;
  }
  HistoryBuilder b;
  b.invoke(0, "add", 5, k0).info(0, "add", 5, k0);
  EXPECT_EQ(checked(with_read(b, 6)).verdict, Verdict::invalid);
}

TEST(Counter, AnIncrementThatNeverCompletedMayCount) {
  HistoryBuilder b;
  b.invoke(0, "add", 5, k0);
  EXPECT_EQ(checked(with_read(b, 5)).verdict, Verdict::valid);
}

TEST(Counter, AFailedIncrementNeverCounts) {
  HistoryBuilder b;
  b.invoke(0, "add", 5, k0).fail(0, "add", 5, k0);
  CheckResult result = checked(with_read(b, 5));
  ASSERT_EQ(result.verdict, Verdict::invalid);
  EXPECT_EQ(result.evidence["violations"]["reads"][0]["upper"], 0);
}

TEST(Counter, AnIncrementConcurrentWithTheReadMayOrMayNotCount) {
  for (int value : {0, 2}) {
    HistoryBuilder b;
    b.invoke(0, "add", 2, k0).invoke(1, "read", nullptr, k0).ok(0, "add", 2, k0).ok(1, "read", value, k0);
    EXPECT_EQ(checked(b.history()).verdict, Verdict::valid) << value;
  }
}

TEST(Counter, ADecrementsBoundsMirrorAnIncrements) {
  auto decremented = [](OpType completion, const std::string& f, int amount, Json read) {
    HistoryBuilder b;
    b.op(0, "add", 10, 10, k0).invoke(1, f, amount, k0);
    if (completion == OpType::ok) b.ok(1, f, amount, k0);
    if (completion == OpType::info) b.info(1, f, amount, k0);
    if (completion == OpType::fail) b.fail(1, f, amount, k0);
    return checked(with_read(b, std::move(read))).verdict;
  };
  for (auto [f, amount] : {std::pair<std::string, int>{"decrement", 3}, {"add", -3}}) {
    SCOPED_TRACE(f);
    EXPECT_EQ(decremented(OpType::ok, f, amount, 7), Verdict::valid);
    EXPECT_EQ(decremented(OpType::ok, f, amount, 10), Verdict::invalid);  // above upper
    EXPECT_EQ(decremented(OpType::info, f, amount, 7), Verdict::valid);
    EXPECT_EQ(decremented(OpType::info, f, amount, 10), Verdict::valid);
    EXPECT_EQ(decremented(OpType::info, f, amount, 6), Verdict::invalid);  // below lower
    EXPECT_EQ(decremented(OpType::fail, f, amount, 7), Verdict::invalid);
  }
}

TEST(Counter, ANullReadIsZero) {
  HistoryBuilder b;
  b.op(1, "read", nullptr, nullptr, k0).op(0, "add", 1, 1, k0).op(1, "read", nullptr, nullptr, k0);
  CheckResult result = checked(b.history());
  EXPECT_EQ(violating_reads(result), std::vector<int64_t>{5});
  EXPECT_EQ(result.evidence["violations"]["reads"][0]["value"], 0);
}

TEST(Counter, KeysAreIndependentAndNoKeyIsOneCounter) {
  HistoryBuilder b;
  b.op(0, "add", 1, 1, "a").op(0, "add", 2, 2).op(1, "read", nullptr, 1, "a").op(1, "read", nullptr, 1, "b");
  b.op(1, "read", nullptr, 2);
  CheckResult result = checked(b.history());
  EXPECT_EQ(violating_reads(result), std::vector<int64_t>{7});
  EXPECT_EQ(result.evidence["counts"]["keys"], 3);
}

TEST(Counter, NoOkReadIsUnknown) {
  HistoryBuilder b;
  b.op(0, "add", 1, 1, k0).invoke(1, "read", nullptr, k0).info(1, "read", nullptr, k0);
  CheckResult result = checked(b.history());
  EXPECT_EQ(result.verdict, Verdict::unknown);
  EXPECT_NE(result.summary.find("no ok read"), std::string::npos);
}

// Final reads of k0 from two nodes, after `before`.
History with_final_reads(HistoryBuilder before, Json first, Json second) {
  before.invoke(20, "read", nullptr, k0).ok(20, "read", std::move(first), k0);
  before.invoke(21, "read", nullptr, k0).ok(21, "read", std::move(second), k0);
  History history = before.history();
  const size_t from = history.ops.size() - 4;
  for (size_t i = from; i < history.ops.size(); ++i) {
    history.ops[i].final = true;
    history.ops[i].node = static_cast<int64_t>((i - from) / 2);
  }
  return history;
}

TEST(Counter, FinalReadsThatAgreeOnTheTotalAreValid) {
  HistoryBuilder b;
  b.op(0, "add", 2, 2, k0).invoke(1, "add", 5, k0).info(1, "add", 5, k0);
  CheckResult result = checked(with_final_reads(b, 7, 7));
  EXPECT_EQ(result.verdict, Verdict::valid) << result.summary;
  const Json& final = result.evidence["final_reads"][0];
  EXPECT_TRUE(final["agree"].get<bool>());
  EXPECT_EQ(final["values"][0]["nodes"], Json::array({0, 1}));
  EXPECT_EQ(final["expected"]["ranges"], Json::parse("[[2,2],[7,7]]"));
}

TEST(Counter, FinalReadsThatDisagreeAreInvalid) {
  HistoryBuilder b;
  b.op(0, "add", 2, 2, k0).invoke(1, "add", 5, k0).info(1, "add", 5, k0);
  CheckResult result = checked(with_final_reads(b, 2, 7));
  ASSERT_EQ(result.verdict, Verdict::invalid);
  EXPECT_TRUE(violating_reads(result).empty());  // each read alone is within its bounds
  EXPECT_FALSE(result.evidence["final_reads"][0]["agree"].get<bool>());
  EXPECT_NE(result.summary.find("final reads of k0 disagree (2, 7)"), std::string::npos) << result.summary;
}

TEST(Counter, AFinalValueWithinTheBoundsButNoSubsetSumIsInvalid) {
  // Acknowledged 10; uncertain 1 and 4: the counter can end at 10, 11, 14 or 15, not 12.
  HistoryBuilder b;
  b.op(0, "add", 10, 10, k0).invoke(1, "add", 1, k0).info(1, "add", 1, k0).invoke(2, "add", 4, k0);
  b.info(2, "add", 4, k0);
  CheckResult result = checked(with_final_reads(b, 12, 12));
  ASSERT_EQ(result.verdict, Verdict::invalid);
  EXPECT_TRUE(violating_reads(result).empty());
  const Json& final = result.evidence["final_reads"][0];
  EXPECT_FALSE(final["acceptable"].get<bool>());
  EXPECT_EQ(final["expected"]["ranges"], Json::parse("[[10,11],[14,15]]"));
}

TEST(Counter, AFailedUpdateIsNoPartOfTheFinalValue) {
  // Acknowledged 5, uncertain +3 and -3: 2, 5 or 8, and 6 lies within every read bound.
  HistoryBuilder b;
  b.op(0, "add", 5, 5, k0).invoke(1, "add", 3, k0).info(1, "add", 3, k0).invoke(2, "decrement", 3, k0);
  b.info(2, "decrement", 3, k0).invoke(3, "add", 1, k0).fail(3, "add", 1, k0);
  EXPECT_EQ(checked(with_final_reads(b, 6, 6)).verdict, Verdict::invalid);
  EXPECT_EQ(checked(with_final_reads(b, 8, 8)).verdict, Verdict::valid);
}

TEST(Counter, BeyondTheSubsetSumLimitFinalValuesAreCheckedAgainstTheirRange) {
  HistoryBuilder b;
  b.op(0, "add", 10, 10, k0).invoke(1, "add", 1, k0).info(1, "add", 1, k0).invoke(2, "add", 4, k0);
  b.info(2, "add", 4, k0);
  CheckResult result = checked(with_final_reads(b, 12, 12), CounterOptions{.subset_sum_limit = 1});
  EXPECT_EQ(result.verdict, Verdict::valid);
  EXPECT_FALSE(result.evidence["final_reads"][0]["expected"]["exact"].get<bool>());
  EXPECT_NE(result.summary.find("too many uncertain updates for exact sums"), std::string::npos) << result.summary;
  EXPECT_EQ(checked(with_final_reads(b, 16, 16), CounterOptions{.subset_sum_limit = 1}).verdict, Verdict::invalid);
}

TEST(Counter, WithoutFinalReadsTheInRunReadsAloneAreJudged) {
  HistoryBuilder b;
  b.op(0, "add", 1, 1, k0);
  CheckResult result = checked(with_read(b, 1));
  EXPECT_EQ(result.evidence["counts"]["final_reads"], 0);
  EXPECT_NE(result.summary.find("no final reads"), std::string::npos);
}

TEST(Counter, MalformedInputIsAnErrorNamingTheOp) {
  struct Case {
    HistoryBuilder history;
    std::string error;
  };
  std::vector<Case> cases(5);
  cases[0].history.op(0, "add", 1, 1).op(1, "read", nullptr, "1");
  cases[0].error = "op #3: a counter read must return an integer (or null for 0), got \"1\"";
  cases[1].history.op(0, "decrement", -2, -2);
  cases[1].error = "op #0: a decrement's amount must not be negative, got -2";
  cases[2].history.op(0, "add", nullptr, nullptr);
  cases[2].error = "op #0: add must carry an integer amount within +-2^32, got null";
  cases[3].history.op(0, "add", int64_t{1} << 40, int64_t{1} << 40);
  cases[3].error = "op #0: add must carry an integer amount within +-2^32, got 1099511627776";
  cases[4].history.op(0, "increment", 1, 1);
  cases[4].error = "op #0: f \"increment\" is not a counter op (add, decrement, read)";
  for (const Case& c : cases) {
    auto result = check(c.history.history());
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().message, c.error);
  }
}

TEST(Counter, TheRegistryEntryRendersTheWitness) {
  HistoryBuilder b;
  for (int i = 0; i < 5; ++i) b.op(0, "add", i == 0 ? 5 : 2, i == 0 ? 5 : 2, k0);
  b.invoke(2, "add", 7, k0).info(2, "add", 7, k0);
  const History history = with_read(b, 12);
  const CheckerSpec spec = counter_checker();
  CheckResult result = run_checker_or_unknown(spec, history, Json{{"subset_sum_limit", 100}});
  ASSERT_EQ(result.verdict, Verdict::invalid);
  const std::string text = render_result(spec, result);
  EXPECT_NE(text.find("read #13 of k0 returned 12, outside [13, 20]: 13 from 5 increments acknowledged before it "
                      "began"),
            std::string::npos)
      << text;
  EXPECT_FALSE(run_checker(spec, history, Json{{"subset_sum_limit", 0}}, [](size_t) { return std::string(); }));
}

TEST(SubsetSums, AreDisjointSortedRanges) {
  auto ranges = [](const SubsetSums& sums) {
    std::vector<std::pair<int64_t, int64_t>> pairs;
    for (const SumRange& range : sums.ranges) pairs.emplace_back(range.low, range.high);
    return pairs;
  };
  using Pairs = std::vector<std::pair<int64_t, int64_t>>;
  EXPECT_EQ(ranges(subset_sums({}, 10)), (Pairs{{0, 0}}));
  EXPECT_EQ(ranges(subset_sums({1, 4}, 10)), (Pairs{{0, 1}, {4, 5}}));
  EXPECT_EQ(ranges(subset_sums({-2, 3}, 10)), (Pairs{{-2, -2}, {0, 1}, {3, 3}}));
  EXPECT_EQ(ranges(subset_sums({1, 1, 1}, 10)), (Pairs{{0, 3}}));
  const SubsetSums bounded = subset_sums({-2, 3, 10}, 2);
  EXPECT_FALSE(bounded.exact);
  EXPECT_EQ(ranges(bounded), (Pairs{{-2, 13}}));
  EXPECT_TRUE(contains(subset_sums({1, 4}, 10), 5));
  EXPECT_FALSE(contains(subset_sums({1, 4}, 10), 3));
  EXPECT_FALSE(contains(subset_sums({1, 4}, 10), -1));
}

}  // namespace
}  // namespace faultline
