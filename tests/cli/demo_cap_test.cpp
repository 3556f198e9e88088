// The CAP rows of `faultline demo` (issue 12's "done when"): on the same seeds and the same
// partition, raft fails dynamo's availability claim on its minority side while dynamo's
// always-writeable store holds it and every claim of its own, and both report how long
// their replicas took to agree after the heal.
#include <gtest/gtest.h>

#include <sstream>

#include "framework/cli/builtins.h"
#include "framework/cli/demo_cap.h"

namespace faultline::cli {
namespace {

// The table's line for a system (its first column).
std::string row_of(const std::string& table, const std::string& system) {
  std::istringstream lines(table);
  for (std::string line; std::getline(lines, line);)
    if (line.rfind(system + " ", 0) == 0) return line;
  return "";
}

TEST(DemoCap, RaftLosesTheMinoritySideWhereDynamoStaysAvailable) {
  auto table = cap_table(3, 5'000'000'000, builtin_registry(), "faultline");
  ASSERT_TRUE(table) << table.error().message;
  const std::string raft = row_of(table.value(), "raft");
  const std::string dynamo = row_of(table.value(), "dynamo");
  EXPECT_NE(raft.find("VIOLATED 3/3"), std::string::npos) << table.value();
  EXPECT_NE(raft.find("linearizable 3/3"), std::string::npos) << table.value();
  EXPECT_NE(dynamo.find("100%)  "), std::string::npos) << table.value();  // both sides answered
  EXPECT_NE(dynamo.find("held 3/3"), std::string::npos) << table.value();
  EXPECT_NE(dynamo.find("convergence 3/3"), std::string::npos) << table.value();
  EXPECT_NE(dynamo.find("within "), std::string::npos) << table.value();
  EXPECT_NE(table.value().find("faultline run --system dynamo"), std::string::npos) << table.value();
}

// The partition's length is the demo's --time, and a nemesis interval is at least 1 ms: a
// shorter --time is a clear error naming the flag, not one about a flag the user never gave.
TEST(DemoCap, ATooShortTimeNamesTheFlag) {
  auto table = cap_table(1, 500'000, builtin_registry(), "faultline");
  ASSERT_FALSE(table);
  EXPECT_EQ(table.error().message.rfind("--time: the CAP rows need at least 1ms", 0), 0u) << table.error().message;
}

}  // namespace
}  // namespace faultline::cli
