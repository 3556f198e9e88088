// Each rule of the session checker (docs/checkers/session.md) on a small history made to
// hold or break it, with the witness a person would read.
#include <gtest/gtest.h>

#include "checkers/session.h"
#include "kv_history_builder.h"

namespace faultline {
namespace {

using testing_support::KvHistoryBuilder;

SessionJudgement judge(const History& history, SessionOptions options = {}) {
  auto result = judge_session_guarantees(history, options,
                                         [&](size_t position) { return locate_by_index(history, position); });
  EXPECT_TRUE(result) << (result ? "" : result.error().message);
  return std::move(result).value();
}

const GuaranteeJudgement& guarantee(const SessionJudgement& judgement, const std::string& name) {
  for (const auto& each : judgement.guarantees)
    if (each.guarantee == name) return each;
  ADD_FAILURE() << name << " not judged";
  return judgement.guarantees.front();
}

Json first_witness(const SessionJudgement& judgement, const std::string& name) {
  const auto& judged = guarantee(judgement, name);
  EXPECT_FALSE(judged.witnesses.empty()) << name << " has no violation";
  return judged.witnesses.empty() ? Json() : judged.witnesses.front();
}

std::vector<int64_t> indexes(std::initializer_list<int64_t> list) { return list; }

TEST(SessionReadYourWrites, AReadBelowTheProcesssOwnWriteViolates) {
  KvHistoryBuilder builder;
  builder.write(0, "k", 1).write(0, "k", 2).read(0, "k", 2, 1).read(0, "k", 1, 2, "replica");
  SessionJudgement judgement = judge(builder.history());
  EXPECT_EQ(judgement.result.verdict, Verdict::invalid);
  const auto& ryw = guarantee(judgement, "read-your-writes");
  EXPECT_EQ(ryw.checked_reads, indexes({5, 7}));
  EXPECT_EQ(ryw.violating_reads, indexes({7}));
  Json witness = first_witness(judgement, "read-your-writes");
  EXPECT_EQ(witness["ops"], Json({3, 7}));
  EXPECT_EQ(witness["expected"], "k >= 2");
  EXPECT_EQ(witness["seen"], "1");
  EXPECT_EQ(witness["steps"][1]["node"], 2);
  EXPECT_EQ(witness["steps"][1]["role"], "replica");
}

TEST(SessionReadYourWrites, AnotherProcesssWriteObligesNothing) {
  KvHistoryBuilder builder;
  builder.write(0, "k", 1).read(1, "k", nullptr);
  SessionJudgement judgement = judge(builder.history());
  EXPECT_TRUE(guarantee(judgement, "read-your-writes").checked_reads.empty());
  EXPECT_EQ(judgement.result.verdict, Verdict::unknown) << judgement.result.summary;
}

TEST(SessionReadYourWrites, AReadOfAFloatingWriteIsExplainedAfterRetirement) {
  // Process 0 retires after its info write of 2; process 3 takes over the key (slot).
  KvHistoryBuilder builder;
  builder.write(0, "k", 1).write(0, "k", 2, OpType::info).write(3, "k", 3)
      .read(3, "k", 2)    // #7: the info write may have landed after 3: explained
      .read(3, "k", 1);   // #9: below 3 and not floating: a violation
  SessionJudgement judgement = judge(builder.history());
  const auto& ryw = guarantee(judgement, "read-your-writes");
  EXPECT_EQ(ryw.checked_reads, indexes({9}));
  EXPECT_EQ(ryw.violating_reads, indexes({9}));
  EXPECT_EQ(judgement.result.evidence["reads"]["floating_reads"], 1);
}

TEST(SessionReadYourWrites, AnInfoWriteObligesNoLaterRead) {
  KvHistoryBuilder builder;
  builder.write(0, "k", 1, OpType::info).read(0, "k", nullptr);
  SessionJudgement judgement = judge(builder.history());
  EXPECT_TRUE(guarantee(judgement, "read-your-writes").checked_reads.empty());
}

TEST(SessionReadYourWrites, AppendReadsMustContainTheProcesssOwnAppends) {
  KvHistoryBuilder builder;
  builder.append(0, "k", 1).append(1, "k", 2).read(0, "k", Json::array({1})).read(1, "k", Json::array({1}));
  SessionJudgement judgement = judge(builder.history());
  const auto& ryw = guarantee(judgement, "read-your-writes");
  EXPECT_EQ(ryw.violating_reads, indexes({7}));
  EXPECT_EQ(first_witness(judgement, "read-your-writes")["expected"], "k containing 2");
}

TEST(SessionMonotonicReads, AValueGoingBackViolatesWithTheReadableStory) {
  KvHistoryBuilder builder;
  builder.write(0, "k1", 5).write(0, "k1", 7).read(4, "k1", 7, 2).read(4, "k1", 5, 0);
  SessionJudgement judgement = judge(builder.history());
  Json witness = first_witness(judgement, "monotonic-reads");
  EXPECT_EQ(witness["ops"], Json({5, 7}));
  EXPECT_EQ(witness["story"], "process 4 read k1 = 7 (#5, node 2) then k1 = 5 (#7, node 0)");
  const std::string text = render_session_text(judgement.result);
  EXPECT_NE(text.find("monotonic reads VIOLATED on 1 of 1 checked read: process 4 read k1 = 7 (#5, node 2)"),
            std::string::npos)
      << text;
}

TEST(SessionMonotonicReads, NullAfterAValueGoesBackAndNullFirstDoesNot) {
  KvHistoryBuilder builder;
  builder.read(1, "k", nullptr).write(0, "k", 1).read(1, "k", 1).read(1, "k", nullptr);
  SessionJudgement judgement = judge(builder.history());
  const auto& mr = guarantee(judgement, "monotonic-reads");
  EXPECT_EQ(mr.checked_reads, indexes({5, 7}));
  EXPECT_EQ(mr.violating_reads, indexes({7}));
}

TEST(SessionMonotonicReads, ReadsOfANeverWrittenKeyHold) {
  KvHistoryBuilder builder;
  builder.read(1, "never", nullptr, 0).read(1, "never", nullptr, 1);
  SessionJudgement judgement = judge(builder.history());
  EXPECT_EQ(judgement.result.verdict, Verdict::valid) << judgement.result.summary;
  EXPECT_EQ(guarantee(judgement, "monotonic-reads").checked_reads, indexes({3}));
}

TEST(SessionMonotonicReads, ComparisonsWithAFloatingValueAreNeverMade) {
  KvHistoryBuilder builder;
  builder.write(0, "k", 1).write(0, "k", 2, OpType::info).write(3, "k", 3)
      .read(1, "k", 3).read(1, "k", 2).read(1, "k", 3);
  SessionJudgement judgement = judge(builder.history());
  const auto& mr = guarantee(judgement, "monotonic-reads");
  EXPECT_EQ(mr.checked_reads, indexes({11}));
  EXPECT_TRUE(mr.violating_reads.empty());
}

TEST(SessionMonotonicReads, AShorterAppendListGoesBack) {
  KvHistoryBuilder builder;
  builder.append(0, "k", 1).append(0, "k", 2).read(1, "k", Json::array({1, 2})).read(1, "k", Json::array({1}));
  SessionJudgement judgement = judge(builder.history());
  EXPECT_EQ(guarantee(judgement, "monotonic-reads").violating_reads, indexes({7}));
  EXPECT_EQ(first_witness(judgement, "monotonic-reads")["expected"], "k extending [1,2]");
}

TEST(SessionVersionOrder, IncompatibleAppendReadsAreAViolationOfTheirOwn) {
  KvHistoryBuilder builder;
  builder.append(0, "k", 1).append(0, "k", 2).read(1, "k", Json::array({1, 2})).read(2, "k", Json::array({2}));
  SessionJudgement judgement = judge(builder.history());
  EXPECT_EQ(judgement.result.verdict, Verdict::invalid);
  ASSERT_EQ(judgement.result.evidence["anomalies"].size(), 1u);
  EXPECT_EQ(judgement.result.evidence["anomalies"][0]["kind"], "incompatible-order");
  EXPECT_EQ(judgement.result.evidence["anomalies"][0]["ops"], Json({5, 7}));
  EXPECT_EQ(judgement.result.evidence["reads"]["reads_without_order"], 2);
  EXPECT_NE(render_session_text(judgement.result).find("incompatible-order on k"), std::string::npos);
}

TEST(SessionMonotonicWrites, AnAppendSeenWithoutTheProcesssEarlierAppendViolates) {
  KvHistoryBuilder builder;
  builder.append(0, "k", 1).append(0, "k", 2).read(1, "k", Json::array({2, 1})).read(2, "k", Json::array({2}));
  SessionJudgement judgement = judge(builder.history());
  const auto& mw = guarantee(judgement, "monotonic-writes");
  EXPECT_EQ(mw.violating_reads, indexes({5, 7}));
  Json witness = first_witness(judgement, "monotonic-writes");
  EXPECT_EQ(witness["ops"], Json({1, 3, 5}));
  EXPECT_EQ(witness["expected"], "1 before 2 in k");
}

TEST(SessionMonotonicWrites, AcrossKeysTheReaderMustSeeTheEarlierWrite) {
  KvHistoryBuilder builder;
  builder.write(0, "x", 1).write(0, "y", 1)           // #1, #3
      .read(1, "y", 1, 0).read(1, "x", nullptr, 1)    // #5 reflects y=1, #7 misses x=1
      .read(2, "x", nullptr).read(2, "y", 1);         // the other order obliges nothing
  SessionJudgement judgement = judge(builder.history());
  const auto& mw = guarantee(judgement, "monotonic-writes");
  EXPECT_EQ(mw.checked_reads, indexes({7}));
  EXPECT_EQ(mw.violating_reads, indexes({7}));
  Json witness = first_witness(judgement, "monotonic-writes");
  EXPECT_EQ(witness["ops"], Json({1, 3, 5, 7}));
  EXPECT_EQ(witness["keys"], Json({"x", "y"}));
  EXPECT_NE(witness["story"].get<std::string>().find("process 0's monotonic writes with process 1's monotonic reads"),
            std::string::npos);
}

TEST(SessionMonotonicWrites, SameKeyIsInvisibleInSessionHistories) {
  KvHistoryBuilder builder;
  builder.write(0, "k", 1).write(0, "k", 2).read(1, "k", 2);
  SessionJudgement judgement = judge(builder.history());
  const auto& mw = guarantee(judgement, "monotonic-writes");
  EXPECT_TRUE(mw.checked_reads.empty());
  EXPECT_NE(mw.not_observable_why.find("invisible"), std::string::npos);
}

TEST(SessionWritesFollowReads, AcrossKeysTheReaderMustSeeWhatTheWriterHadRead) {
  KvHistoryBuilder builder;
  builder.write(2, "x", 1).read(0, "x", 1)            // #1, #3: process 0 sees x=1
      .write(0, "y", 1)                               // #5
      .read(1, "y", 1).read(1, "x", nullptr);         // #7, #9
  SessionJudgement judgement = judge(builder.history());
  const auto& wfr = guarantee(judgement, "writes-follow-reads");
  EXPECT_EQ(wfr.violating_reads, indexes({9}));
  EXPECT_EQ(first_witness(judgement, "writes-follow-reads")["ops"], Json({3, 5, 7, 9}));
  EXPECT_TRUE(guarantee(judgement, "monotonic-writes").violating_reads.empty());
}

TEST(SessionWritesFollowReads, SameKeySessionReadAboveTheWritersLaterWrite) {
  // Process 0 reads 5 before ever writing it, then writes 3: a read reflecting 3 must reach 5.
  KvHistoryBuilder builder;
  builder.read(0, "k", 5).write(0, "k", 3).read(1, "k", 3).read(1, "k", 5);
  SessionJudgement judgement = judge(builder.history());
  const auto& wfr = guarantee(judgement, "writes-follow-reads");
  EXPECT_EQ(wfr.checked_reads, indexes({1, 5, 7}));  // #1 itself reflects the write by integer order
  EXPECT_EQ(wfr.violating_reads, indexes({5}));
}

TEST(SessionWritesFollowReads, SameKeyAppendMustListWhatTheWriterReadBeforeIt) {
  KvHistoryBuilder builder;
  builder.append(2, "k", 1).read(0, "k", Json::array({1})).append(0, "k", 2)
      .read(1, "k", Json::array({1, 2}));
  SessionJudgement held = judge(builder.history());
  EXPECT_EQ(guarantee(held, "writes-follow-reads").checked_reads, indexes({7}));
  EXPECT_TRUE(guarantee(held, "writes-follow-reads").violating_reads.empty());
  // The writer read its element before appending it: no read can show what it read before it.
  KvHistoryBuilder early;
  early.read(0, "k", Json::array({2})).append(0, "k", 2).read(1, "k", Json::array({2}));
  SessionJudgement early_judgement = judge(early.history());
  EXPECT_EQ(guarantee(early_judgement, "writes-follow-reads").violating_reads, indexes({1, 5}));
}

TEST(SessionOptions, OnlyTheClaimedGuaranteesAreJudged) {
  KvHistoryBuilder builder;
  builder.write(0, "x", 1).write(0, "y", 1).read(1, "y", 1).read(1, "x", nullptr);
  SessionJudgement all = judge(builder.history());
  EXPECT_EQ(all.result.verdict, Verdict::invalid);
  SessionJudgement claimed = judge(builder.history(), {.guarantees = {"read-your-writes", "monotonic-reads"}});
  EXPECT_EQ(claimed.guarantees.size(), 2u);
  EXPECT_EQ(claimed.result.verdict, Verdict::unknown) << claimed.result.summary;
}

TEST(SessionOptions, BadOptionsAreErrors) {
  KvHistoryBuilder builder;
  builder.read(1, "k", nullptr);
  CheckerSpec spec = session_checker();
  auto locate = [&](size_t position) { return locate_by_index(builder.history(), position); };
  EXPECT_FALSE(run_checker(spec, builder.history(), {{"guarantees", {"bogus"}}}, locate));
  EXPECT_FALSE(run_checker(spec, builder.history(), {{"guarantees", Json::array()}}, locate));
  EXPECT_FALSE(run_checker(spec, builder.history(), {{"type", "register"}}, locate));
  auto result = run_checker(spec, builder.history(), {{"type", "append"}}, locate);
  ASSERT_TRUE(result);
  EXPECT_EQ(result.value().evidence["type"], "append");
}

TEST(SessionVerdict, NoOkReadsIsUnknownWithTheReason) {
  KvHistoryBuilder builder;
  builder.write(0, "k", 1).invoke(1, "read", "k").complete(1, OpType::info, "read", "k");
  SessionJudgement judgement = judge(builder.history());
  EXPECT_EQ(judgement.result.verdict, Verdict::unknown);
  EXPECT_NE(judgement.result.summary.find("no session guarantee could be observed"), std::string::npos);
}

TEST(SessionVerdict, NemesisLinesAreIgnored) {
  KvHistoryBuilder builder;
  builder.write(0, "k", 1).nemesis("start-partition").read(0, "k", 1).nemesis("heal");
  EXPECT_EQ(judge(builder.history()).result.verdict, Verdict::valid);
}

}  // namespace
}  // namespace faultline
