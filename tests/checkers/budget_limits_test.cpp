// The linearizability checker's budget covers the whole check (issue 9, defect 14): the time
// already spent reading counts against the time limit, the parsed history against the memory
// cap, and a cap too large to shift into bytes is no cap rather than a cap of 0.
#include <gtest/gtest.h>

#include "checkers/linearizable.h"
#include "checkers/synthetic_history.h"

namespace faultline {
namespace {

History easy_history() {
  SyntheticKvOptions options;
  options.op_count = 2000;
  options.keys = 4;
  options.clients = 4;
  return generate_linearizable_kv_history(options);
}

TEST(BudgetLimits, TimeUsedBeforeTheCheckCountsAgainstTheLimit) {
  LinearizabilityOptions options;
  options.time_limit_s = 1;
  options.time_used_s = 5;  // the command line spent 5 s reading the file
  CheckResult result = check_linearizable(easy_history(), options);
  EXPECT_EQ(result.verdict, Verdict::unknown);
  EXPECT_NE(result.summary.find("time limit of 1 s reached"), std::string::npos) << result.summary;
  options.time_used_s = 0;
  EXPECT_EQ(check_linearizable(easy_history(), options).verdict, Verdict::valid);
}

TEST(BudgetLimits, MemoryCapCountsTheParsedHistory) {
  const History history = easy_history();
  LinearizabilityOptions options;
  options.memory_limit_bytes = approximate_memory_bytes(history) - 1;
  CheckResult result = check_linearizable(history, options);
  EXPECT_EQ(result.verdict, Verdict::unknown);
  EXPECT_NE(result.summary.find("by the history itself"), std::string::npos) << result.summary;
  EXPECT_EQ(result.evidence["partitions_valid"], 0);
  options.memory_limit_bytes = approximate_memory_bytes(history) + (size_t{64} << 20);
  EXPECT_EQ(check_linearizable(history, options).verdict, Verdict::valid);
}

TEST(BudgetLimits, HugeMemoryCapIsNoCapNotZero) {
  // Issue 9, defect 9: 2^44 MiB shifted into bytes wrapped to a cap of 0 MiB.
  const CheckerSpec spec = linearizable_checker();
  auto result = run_checker(spec, easy_history(), Json{{"memory_limit_mib", uint64_t{1} << 44}},
                            [](size_t position) { return "#" + std::to_string(position); });
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_EQ(result.value().verdict, Verdict::valid) << result.value().summary;
}

TEST(BudgetLimits, ApproximateMemoryCountsValuesAndStrings) {
  Op small{.f = "write", .value = 1};
  Op large{.f = "write", .key = std::string(1000, 'k'), .value = Json::array({std::string(5000, 'v'), 2, 3})};
  EXPECT_GE(approximate_memory_bytes(small), sizeof(Op));
  EXPECT_GT(approximate_memory_bytes(large), approximate_memory_bytes(small) + 6000);
}

}  // namespace
}  // namespace faultline
