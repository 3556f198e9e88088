// Unit tests of the convergence checker (docs/checkers/convergence.md): one test per rule and
// edge case, and the hand-written histories of tests/data/checkers/convergence/.
#include <gtest/gtest.h>

#include <filesystem>

#include "checkers/convergence.h"
#include "checkers/subset_sums.h"
#include "event_history.h"
#include "histories/jsonl.h"

namespace faultline {
namespace {

using testing_support::EventHistory;

Result<CheckResult> check(const History& history, Json options = Json::object()) {
  auto locate = [&history](size_t position) { return locate_by_index(history, position); };
  return run_checker(convergence_checker(), history, options, locate);
}

CheckResult checked(const History& history, Json options = Json::object()) {
  auto result = check(history, std::move(options));
  EXPECT_TRUE(result) << result.error().message;
  return result ? std::move(result).value() : CheckResult{};
}

const Json& key_evidence(const CheckResult& result, const std::string& key) {
  for (const Json& entry : result.evidence["keys"])
    if (entry["key"] == key) return entry;
  ADD_FAILURE() << "no evidence for key " << key;
  static const Json none;
  return none;
}

// Three nodes read `values[node]` of key k0 after a heal.
EventHistory& final_reads(EventHistory& h, const std::vector<Json>& values, const std::string& key = "k0") {
  for (size_t node = 0; node < values.size(); ++node) h.final_read(10 + node, key, node, values[node]);
  return h;
}

TEST(Convergence, NoFinalReadsIsUnknown) {
  EventHistory h;
  h.update(0, "add", "k0", 1).nemesis("heal");
  CheckResult result = checked(h.history());
  EXPECT_EQ(result.verdict, Verdict::unknown);
  EXPECT_NE(result.summary.find("no final reads"), std::string::npos) << result.summary;
}

TEST(Convergence, SetsThatDifferOnlyInOrderAgree) {
  EventHistory h;
  h.update(0, "add", "k0", 1).update(0, "add", "k0", 2).nemesis("heal");
  final_reads(h, {Json{1, 2}, Json{2, 1}, Json{2, 1, 1}});
  CheckResult result = checked(h.history());
  EXPECT_EQ(result.verdict, Verdict::valid) << result.summary;
  EXPECT_EQ(key_evidence(result, "k0")["agreed"], (Json{1, 2}));
}

TEST(Convergence, ListsThatDifferOnlyInOrderDiverge) {
  EventHistory h;
  h.update(0, "append", "k0", 1).update(0, "append", "k0", 2).nemesis("heal");
  final_reads(h, {Json{1, 2}, Json{2, 1}});
  CheckResult result = checked(h.history());
  EXPECT_EQ(result.verdict, Verdict::invalid);
  EXPECT_EQ(key_evidence(result, "k0")["values_by_node"].size(), 2u);
}

TEST(Convergence, ADivergedKeyNamesTheValuesPerNode) {
  EventHistory h;
  h.update(0, "add", "k2", 1).update(0, "add", "k2", 2).update(0, "add", "k2", 5).nemesis("heal");
  final_reads(h, {Json{1, 2, 5}, Json{1, 2, 5}, Json{1, 2}}, "k2");
  CheckResult result = checked(h.history());
  EXPECT_EQ(result.verdict, Verdict::invalid);
  const Json& groups = key_evidence(result, "k2")["values_by_node"];
  ASSERT_EQ(groups.size(), 2u);
  EXPECT_EQ(groups[0]["nodes"], (Json{0, 1}));
  EXPECT_EQ(groups[1]["nodes"], (Json{2}));
  const std::string text = render_convergence_text(result);
  EXPECT_NE(text.find("k2 diverged: nodes 0,1 read [1,2,5]"), std::string::npos) << text;
  EXPECT_NE(text.find("node 2 read [1,2]"), std::string::npos) << text;
}

TEST(Convergence, ALostAcknowledgedAddIsInvalid) {
  EventHistory h;
  h.update(0, "add", "k0", 3).update(0, "add", "k0", 17);
  const int64_t add_17 = h.last_index() - 1;
  h.nemesis("heal");
  final_reads(h, {Json{3}, Json{3}});
  CheckResult result = checked(h.history());
  EXPECT_EQ(result.verdict, Verdict::invalid);
  const Json& lost = key_evidence(result, "k0")["lost"];
  EXPECT_EQ(lost["count"], 1);
  EXPECT_EQ(lost["ops"][0]["index"], add_17);
  const std::string text = render_convergence_text(result);
  EXPECT_NE(text.find("k0 lost 1 acknowledged add: 17 (#" + std::to_string(add_17) + ")"), std::string::npos) << text;
}

TEST(Convergence, AnInfoAddMissingIsFine) {
  EventHistory h;
  h.update(0, "add", "k0", 3).update(1, "add", "k0", 4, OpType::info).nemesis("heal");
  final_reads(h, {Json{3}, Json{3}});
  EXPECT_EQ(checked(h.history()).verdict, Verdict::valid);
}

TEST(Convergence, AnInfoAddPresentIsExplained) {
  EventHistory h;
  h.update(0, "add", "k0", 3).update(1, "add", "k0", 4, OpType::info).nemesis("heal");
  final_reads(h, {Json{3, 4}, Json{4, 3}});
  EXPECT_EQ(checked(h.history()).verdict, Verdict::valid);
}

TEST(Convergence, AFailedWritesValueAgreedIsUnexplained) {
  EventHistory h;
  h.update(0, "write", "k0", 1).update(0, "write", "k0", 2, OpType::fail).nemesis("heal");
  final_reads(h, {2, 2});
  CheckResult result = checked(h.history());
  EXPECT_EQ(result.verdict, Verdict::invalid);
  const Json& unexplained = key_evidence(result, "k0")["unexplained"];
  EXPECT_EQ(unexplained["count"], 1);
  EXPECT_EQ(unexplained["values"][0]["value"], 2);
}

TEST(Convergence, AnElementNeverAddedIsUnexplained) {
  EventHistory h;
  h.update(0, "add", "k0", 1).nemesis("heal");
  final_reads(h, {Json{1, 99}, Json{1, 99}});
  CheckResult result = checked(h.history());
  EXPECT_EQ(result.verdict, Verdict::invalid);
  EXPECT_EQ(key_evidence(result, "k0")["unexplained"]["values"][0]["value"], 99);
}

TEST(Convergence, AnElementAddedOnlyAfterTheReadCompletedIsUnexplained) {
  EventHistory h;
  h.update(0, "add", "k0", 1).nemesis("heal").final_read(10, "k0", 0, Json{1, 2}).update(0, "add", "k0", 2);
  EXPECT_EQ(checked(h.history()).verdict, Verdict::invalid);
}

TEST(Convergence, AnAppendReadTwiceIsUnexplained) {
  EventHistory h;
  h.update(0, "append", "k0", 5).nemesis("heal");
  final_reads(h, {Json{5, 5}});
  CheckResult result = checked(h.history());
  EXPECT_EQ(result.verdict, Verdict::invalid);
  EXPECT_EQ(key_evidence(result, "k0")["unexplained"]["values"][0]["value"], 5);
}

TEST(Convergence, ALostAppendIsInvalid) {
  EventHistory h;
  h.update(0, "append", "k0", 1).update(0, "append", "k0", 2).nemesis("heal");
  final_reads(h, {Json{1}, Json{1}});
  CheckResult result = checked(h.history());
  EXPECT_EQ(result.verdict, Verdict::invalid);
  EXPECT_EQ(key_evidence(result, "k0")["lost"]["ops"][0]["value"], 2);
}

TEST(Convergence, ARegisterThatKeepsAnOverwrittenValueLosesTheLaterWrite) {
  EventHistory h;
  h.update(0, "write", "k0", 1).update(0, "write", "k0", 2);
  const int64_t second = h.last_index() - 1;
  h.nemesis("heal");
  final_reads(h, {1, 1, 1});
  CheckResult result = checked(h.history());
  EXPECT_EQ(result.verdict, Verdict::invalid);
  EXPECT_EQ(key_evidence(result, "k0")["lost"]["ops"][0]["index"], second);
}

TEST(Convergence, EitherOfTwoConcurrentWritesMaySurvive) {
  for (int survivor : {1, 2}) {
    EventHistory h;
    h.invoke(0, "write", 1, "k0").invoke(1, "write", 2, "k0").complete(1, OpType::ok, 2).complete(0, OpType::ok, 1);
    h.nemesis("heal");
    final_reads(h, {survivor, survivor});
    EXPECT_EQ(checked(h.history()).verdict, Verdict::valid) << survivor;
  }
}

TEST(Convergence, AnInfoWriteMaySurviveAnyLaterWrite) {
  EventHistory h;
  h.update(0, "write", "k0", 1, OpType::info).update(1, "write", "k0", 2).nemesis("heal");
  final_reads(h, {1, 1});
  EXPECT_EQ(checked(h.history()).verdict, Verdict::valid);
}

TEST(Convergence, ASuccessfulCasCountsAsAWrite) {
  EventHistory h;
  h.update(0, "write", "k0", 1).update(0, "cas", "k0", Json{1, 3}).nemesis("heal");
  final_reads(h, {1, 1});
  EXPECT_EQ(checked(h.history()).verdict, Verdict::invalid);
  EventHistory kept;
  kept.update(0, "write", "k0", 1).update(0, "cas", "k0", Json{1, 3}).nemesis("heal");
  final_reads(kept, {3, 3});
  EXPECT_EQ(checked(kept.history()).verdict, Verdict::valid);
}

TEST(Convergence, NullAgreedWhileAnOkWriteExistsIsALoss) {
  EventHistory h;
  h.update(0, "write", "k0", 4).nemesis("heal");
  final_reads(h, {nullptr, nullptr});
  CheckResult result = checked(h.history(), {{"type", "register"}});
  EXPECT_EQ(result.verdict, Verdict::invalid);
  EXPECT_EQ(key_evidence(result, "k0")["lost"]["count"], 1);
}

TEST(Convergence, WithoutRequireAcknowledgedLossesAreAFigure) {
  EventHistory h;
  h.update(0, "write", "k0", 1).update(0, "write", "k0", 2).nemesis("heal");
  final_reads(h, {1, 1});
  CheckResult result = checked(h.history(), {{"require_acknowledged", false}});
  EXPECT_EQ(result.verdict, Verdict::valid) << result.summary;
  EXPECT_EQ(result.evidence["lost_acknowledged_ops"], 1);
  EXPECT_NE(result.summary.find("allowed"), std::string::npos) << result.summary;
  EXPECT_NE(render_convergence_text(result).find("(allowed)"), std::string::npos);
}

TEST(Convergence, CounterTotalsAreTheAcknowledgedSumPlusSomeInfoSubset) {
  // ok +1, ok +2, info +4, info decrement 3: reachable 3 + {0, 4, -3, 1} = {3, 7, 0, 4}.
  for (int total : {-1, 0, 1, 2, 3, 4, 5, 6, 7, 8}) {
    EventHistory h;
    h.update(0, "add", "k0", 1).update(0, "add", "k0", 2).update(1, "add", "k0", 4, OpType::info);
    h.update(2, "decrement", "k0", 3, OpType::info).update(3, "add", "k0", 50, OpType::fail).nemesis("heal");
    final_reads(h, {total, total});
    const bool reachable = total == 3 || total == 7 || total == 0 || total == 4;
    EXPECT_EQ(checked(h.history()).verdict, reachable ? Verdict::valid : Verdict::invalid) << total;
  }
}

TEST(Convergence, ACounterMissingAnAcknowledgedAddLosesIt) {
  EventHistory h;
  h.update(0, "add", "k0", 5).update(0, "add", "k0", 2).nemesis("heal");
  final_reads(h, {5, 5});
  CheckResult result = checked(h.history());
  EXPECT_EQ(result.verdict, Verdict::invalid);
  const Json& counter = key_evidence(result, "k0")["counter"];
  EXPECT_EQ(counter["acknowledged_sum"], 7);
  EXPECT_FALSE(counter["survived"].get<bool>());
  EXPECT_NE(render_convergence_text(result).find("acknowledged updates sum to 7"), std::string::npos);
}

TEST(Convergence, ACounterTotalNoSubsetReachesIsUnexplained) {
  EventHistory h;
  h.update(0, "add", "k0", 5).update(0, "add", "k0", 2).nemesis("heal");
  final_reads(h, {6, 6});
  CheckResult result = checked(h.history());
  EXPECT_EQ(result.verdict, Verdict::invalid);
  EXPECT_EQ(key_evidence(result, "k0")["unexplained"]["values"][0]["value"], 6);
}

TEST(Convergence, PastTheSubsetSumLimitTheRangeIsUsedAndSaid) {
  // info +2 and +2 reach {0, 2, 4}: 3 is not reachable, but it is within [0, 4].
  EventHistory h;
  h.update(0, "add", "k0", 2, OpType::info).update(1, "add", "k0", 2, OpType::info).nemesis("heal");
  final_reads(h, {3, 3});
  EXPECT_EQ(checked(h.history()).verdict, Verdict::invalid);
  CheckResult result = checked(h.history(), {{"subset_sum_limit", 2}});
  EXPECT_EQ(result.verdict, Verdict::valid);
  EXPECT_TRUE(result.evidence["approximate"].get<bool>());
  EXPECT_NE(result.summary.find("subset_sum_limit"), std::string::npos) << result.summary;
}

TEST(Convergence, TimeToAgreementCountsFromTheHeal) {
  EventHistory h;
  h.update(0, "add", "k0", 1).update(0, "add", "k0", 2).at(100'000'000).nemesis("heal");
  h.at(200'000'000).final_read(10, "k0", 0, Json{1, 2}).final_read(11, "k0", 1, Json{1});  // round 1: node 1 lags
  h.at(300'000'000).final_read(10, "k0", 0, Json{1, 2}).final_read(11, "k0", 1, Json{1, 2});
  CheckResult result = checked(h.history());
  EXPECT_EQ(result.verdict, Verdict::valid) << result.summary;
  EXPECT_DOUBLE_EQ(key_evidence(result, "k0")["time_to_agreement_ms"].get<double>(), 200.0);
  EXPECT_DOUBLE_EQ(result.evidence["time_to_agreement_ms"]["max"].get<double>(), 200.0);
}

TEST(Convergence, WithoutAHealTimeCountsFromTheFirstFinalRead) {
  EventHistory h;
  h.update(0, "add", "k0", 1).at(50'000'000).final_read(10, "k0", 0, Json::array());
  h.at(80'000'000).final_read(10, "k0", 0, Json{1});
  CheckResult result = checked(h.history());
  EXPECT_EQ(result.verdict, Verdict::valid) << result.summary;
  EXPECT_EQ(result.evidence["time_base"], "first final read");
  EXPECT_DOUBLE_EQ(key_evidence(result, "k0")["time_to_agreement_ms"].get<double>(), 30.0);
}

TEST(Convergence, TimeToAgreementGivesMaxAndMedianOverKeys) {
  EventHistory h;
  h.update(0, "add", "k0", 1).update(0, "add", "k1", 2).update(0, "add", "k2", 3).at(0).nemesis("heal");
  h.at(10'000'000).final_read(10, "k0", 0, Json{1});
  h.at(20'000'000).final_read(10, "k1", 0, Json::array()).at(40'000'000).final_read(10, "k1", 0, Json{2});
  h.at(50'000'000).final_read(10, "k2", 0, Json::array()).at(90'000'000).final_read(10, "k2", 0, Json{3});
  CheckResult result = checked(h.history());
  EXPECT_DOUBLE_EQ(result.evidence["time_to_agreement_ms"]["max"].get<double>(), 90.0);
  EXPECT_DOUBLE_EQ(result.evidence["time_to_agreement_ms"]["p50"].get<double>(), 40.0);
}

TEST(Convergence, AKeyWithoutAnOkFinalReadIsUnknownAndNamed) {
  EventHistory h;
  h.update(0, "add", "k0", 1).update(0, "add", "k1", 2).nemesis("heal");
  h.final_read(10, "k0", 0, Json{1}).final_read(11, "k1", 0, nullptr, OpType::info);
  CheckResult result = checked(h.history());
  EXPECT_EQ(result.verdict, Verdict::unknown);
  EXPECT_NE(result.summary.find("k1"), std::string::npos) << result.summary;
}

TEST(Convergence, AViolationOutweighsAnUnreadKey) {
  EventHistory h;
  h.update(0, "add", "k0", 1).update(0, "add", "k1", 2).nemesis("heal");
  h.final_read(10, "k0", 0, Json::array()).final_read(11, "k1", 0, nullptr, OpType::fail);
  EXPECT_EQ(checked(h.history()).verdict, Verdict::invalid);
}

TEST(Convergence, TheLastReadOfEveryNodeDecides) {
  EventHistory h;
  h.update(0, "write", "k0", 1).nemesis("heal");
  h.final_read(10, "k0", 0, 1).final_read(11, "k0", 1, 1).final_read(10, "k0", 0, nullptr);
  CheckResult result = checked(h.history());
  EXPECT_EQ(result.verdict, Verdict::invalid);  // node 0 went back to null; node 1 kept 1
  EXPECT_EQ(key_evidence(result, "k0")["values_by_node"].size(), 2u);
}

TEST(Convergence, InfersEachDataType) {
  struct Case {
    std::string f;
    Json value, read;
    std::string type;
  };
  for (const Case& c : {Case{"append", 1, Json{1}, "append"}, Case{"add", 1, Json{1}, "set"},
                        Case{"add", 1, 1, "counter"}, Case{"write", 1, 1, "register"},
                        Case{"decrement", 1, -1, "counter"}}) {
    EventHistory h;
    h.update(0, c.f, "k0", c.value).nemesis("heal").final_read(10, "k0", 0, c.read);
    CheckResult result = checked(h.history());
    EXPECT_EQ(result.evidence["type"], c.type) << c.f;
    EXPECT_EQ(result.verdict, Verdict::valid) << c.f << ": " << result.summary;
  }
}

TEST(Convergence, AnAmbiguousTypeIsAnErrorNamingTheOps) {
  EventHistory h;
  h.update(0, "append", "k0", 1).update(0, "write", "k1", 1).nemesis("heal").final_read(10, "k0", 0, Json{1});
  auto result = check(h.history());
  ASSERT_FALSE(result);
  EXPECT_NE(result.error().message.find("op #0"), std::string::npos) << result.error().message;
  EXPECT_NE(result.error().message.find("give option type"), std::string::npos);
  EXPECT_TRUE(check(h.history(), {{"type", "append"}}).has_error());  // a write is no append op
}

TEST(Convergence, UnreadableInputIsAnErrorNamingTheOp) {
  EventHistory set_read_number;
  set_read_number.update(0, "add", "k0", 1).nemesis("heal").final_read(10, "k0", 0, 7);
  auto result = check(set_read_number.history(), {{"type", "set"}});
  ASSERT_FALSE(result);
  EXPECT_NE(result.error().message.find("op #4"), std::string::npos) << result.error().message;

  EventHistory final_write;
  final_write.invoke(0, "write", 1, "k0", 0, true).complete(0, OpType::ok, 1);
  EXPECT_FALSE(check(final_write.history(), {{"type", "register"}}));

  History orphan = final_write.history();
  orphan.ops.erase(orphan.ops.begin());
  EXPECT_FALSE(check(orphan));

  EventHistory bad_option;
  EXPECT_FALSE(check(bad_option.history(), {{"type", "queue"}}));
}

TEST(Convergence, KeysAreIndependent) {
  EventHistory h;
  h.update(0, "add", "k0", 1).update(0, "add", "k1", 2).nemesis("heal");
  h.final_read(10, "k0", 0, Json{1}).final_read(10, "k1", 0, Json{2}).final_read(11, "k0", 1, Json{1});
  h.final_read(11, "k1", 1, Json{2});
  CheckResult result = checked(h.history());
  EXPECT_EQ(result.verdict, Verdict::valid) << result.summary;
  EXPECT_EQ(result.evidence["keys"].size(), 2u);
}

// Every file in tests/data/checkers/convergence/ named NAME.VERDICT.jsonl gets VERDICT.
}  // namespace
}  // namespace faultline
