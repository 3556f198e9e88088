#include <gtest/gtest.h>

#include "checkers/liveness.h"

namespace faultline {
namespace {

Op op(int64_t time_ns, int64_t process, OpType type, std::string f, std::optional<std::string> error = std::nullopt) {
  Op result;
  result.time_ns = time_ns;
  result.process = process;
  result.type = type;
  result.f = std::move(f);
  result.key = "k";
  result.error = std::move(error);
  return result;
}

History numbered(std::vector<Op> ops) {
  History history;
  for (size_t i = 0; i < ops.size(); ++i) ops[i].index = static_cast<int64_t>(i);
  history.ops = std::move(ops);
  return history;
}

Op heal_at(int64_t time_ns) {
  Op heal = op(time_ns, kNemesisProcess, OpType::info, "heal");
  heal.key.reset();
  return heal;
}

const LivenessOptions kGrace{1000};

TEST(Liveness, AnswersAfterHealingHold) {
  auto history = numbered({heal_at(100), op(1200, 0, OpType::invoke, "read"), op(1300, 0, OpType::ok, "read"),
                           op(1400, 1, OpType::invoke, "cas"), op(1500, 1, OpType::fail, "cas", "precondition failed")});
  CheckResult result = check_liveness(history, kGrace);
  EXPECT_EQ(result.verdict, Verdict::valid) << result.summary;
  EXPECT_EQ(result.evidence["checked_ops"], 2);
}

TEST(Liveness, TimeoutsBeforeTheGraceEndsAreAllowed) {
  auto history = numbered({heal_at(100), op(500, 0, OpType::invoke, "write"), op(1500, 0, OpType::info, "write", "timeout")});
  EXPECT_EQ(check_liveness(history, kGrace).verdict, Verdict::valid);
}

TEST(Liveness, AnUnansweredOpAfterTheGraceIsAViolation) {
  for (auto completion : {op(3000, 0, OpType::info, "write", "timeout"), op(3000, 0, OpType::fail, "write", "timeout")}) {
    auto history = numbered({heal_at(100), op(2000, 0, OpType::invoke, "write"), completion});
    CheckResult result = check_liveness(history, kGrace);
    EXPECT_EQ(result.verdict, Verdict::invalid);
    EXPECT_EQ(result.evidence["unanswered"][0]["invoke"], 1);
  }
}

// The claim assumes the heal restores a loss-free network (issue 9, defect 20): a header
// stating permanent link loss means the history is not judged, whatever it holds.
TEST(Liveness, PermanentLinkLossIsNotJudged) {
  auto history = numbered({heal_at(100), op(2000, 0, OpType::invoke, "write"), op(3000, 0, OpType::info, "write", "timeout")});
  history.header = Json{{"faultline", 1}, {"params", {{"link", {{"loss_probability", 0.2}}}}}};
  CheckResult result = check_liveness(history, kGrace);
  EXPECT_EQ(result.verdict, Verdict::unknown);
  EXPECT_EQ(result.evidence["not_judged"], "permanent message loss");
  EXPECT_EQ(result.evidence["loss_probability"], 0.2);
  EXPECT_NE(result.summary.find("not judged"), std::string::npos) << result.summary;
}

TEST(Liveness, ALossFreeHeaderOrNoHeaderIsJudged) {
  auto history = numbered({heal_at(100), op(2000, 0, OpType::invoke, "write"), op(3000, 0, OpType::info, "write", "timeout")});
  EXPECT_EQ(check_liveness(history, kGrace).verdict, Verdict::invalid);
  history.header = Json{{"faultline", 1}, {"params", {{"link", {{"loss_probability", 0.0}, {"duplicate_probability", 0.5}}}}}};
  EXPECT_EQ(check_liveness(history, kGrace).verdict, Verdict::invalid);
}

TEST(Liveness, AnOpThatNeverCompletesIsAViolation) {
  auto history = numbered({op(5000, 3, OpType::invoke, "read")});
  CheckResult result = check_liveness(history, kGrace);
  EXPECT_EQ(result.verdict, Verdict::invalid);
  EXPECT_TRUE(result.evidence["unanswered"][0]["completion"].is_null());
}

}  // namespace
}  // namespace faultline
