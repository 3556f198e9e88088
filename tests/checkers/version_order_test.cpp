// The version orders shared by the session and staleness checkers (checkers/version_order.h):
// the workload's assumptions are errors naming the op, info writes float, append reads must
// be prefix-compatible.
#include <gtest/gtest.h>

#include "checkers/version_order.h"
#include "kv_history_builder.h"

namespace faultline {
namespace {

using testing_support::KvHistoryBuilder;

Result<KvHistory> read(const History& history, const std::string& type = "auto") {
  return read_kv_history(history, type, [&](size_t position) { return locate_by_index(history, position); });
}

std::string error_of(const History& history, const std::string& type = "auto") {
  auto result = read(history, type);
  EXPECT_FALSE(result) << "expected an error";
  return result ? "" : result.error().message;
}

TEST(VersionOrder, AutoTypeIsAppendWhenAnyOpAppends) {
  KvHistoryBuilder session;
  session.write(0, "k", 1).read(1, "k", 1);
  EXPECT_EQ(read(session.history()).value().shape, KvShape::session);
  KvHistoryBuilder append;
  append.read(1, "k", Json::array()).append(0, "k", 5);
  EXPECT_EQ(read(append.history()).value().shape, KvShape::append);
  KvHistoryBuilder reads_only;
  reads_only.read(1, "k", Json::array());
  EXPECT_EQ(read(reads_only.history()).value().shape, KvShape::append);
}

TEST(VersionOrder, NonIncreasingSessionWritesAreAnErrorNamingTheOp) {
  KvHistoryBuilder builder;
  builder.write(0, "k", 2).write(0, "k", 2);
  const std::string error = error_of(builder.history());
  EXPECT_NE(error.find("op #2"), std::string::npos) << error;
  EXPECT_NE(error.find("strictly increase"), std::string::npos) << error;
}

TEST(VersionOrder, OverlappingWritersOfASessionKeyAreAnError) {
  KvHistoryBuilder builder;
  builder.invoke(0, "write", "k", 1).write(1, "k", 2).complete(0, OpType::ok, "write", "k", 1);
  EXPECT_NE(error_of(builder.history()).find("one writer at a time"), std::string::npos);
}

TEST(VersionOrder, ARetiredWritersSuccessorContinuesTheKey) {
  KvHistoryBuilder builder;
  builder.write(0, "k", 1).write(0, "k", 2, OpType::info).write(3, "k", 3);
  EXPECT_TRUE(read(builder.history()));
}

TEST(VersionOrder, AnElementAppendedTwiceIsAnError) {
  KvHistoryBuilder builder;
  builder.append(0, "a", 5).append(1, "b", 5);
  const std::string error = error_of(builder.history());
  EXPECT_NE(error.find("op #2"), std::string::npos) << error;
  EXPECT_NE(error.find("appended twice"), std::string::npos) << error;
}

TEST(VersionOrder, UnreadableInputIsAnErrorNamingTheOp) {
  KvHistoryBuilder cas;
  cas.invoke(0, "cas", "k", Json::array({1, 2}));
  EXPECT_NE(error_of(cas.history()).find("op #0"), std::string::npos);
  KvHistoryBuilder list_in_session;
  list_in_session.read(0, "k", Json::array({1}));
  EXPECT_NE(error_of(list_in_session.history(), "session").find("op #1"), std::string::npos);
  KvHistoryBuilder number_in_append;
  number_in_append.read(0, "k", 3);
  EXPECT_NE(error_of(number_in_append.history(), "append").find("a list"), std::string::npos);
  KvHistoryBuilder orphan;
  orphan.complete(0, OpType::ok, "read", "k", 1);
  EXPECT_NE(error_of(orphan.history()).find("no open invoke"), std::string::npos);
  KvHistoryBuilder zero_write;
  zero_write.write(0, "k", 0);
  EXPECT_NE(error_of(zero_write.history()).find("from 1"), std::string::npos);
}

TEST(VersionOrder, InfoAndUnfinishedSessionWritesFloat) {
  KvHistoryBuilder builder;
  builder.write(0, "k", 1)              // ops 0-1
      .write(0, "k", 2, OpType::info)   // 2-3
      .invoke(3, "write", "k", 3)       // 4, never completes
      .read(1, "k", 2)                  // 5-6
      .read(1, "k", 3)                  // 7-8
      .read(1, "k", 1)                  // 9-10
      .read(1, "k", nullptr);           // 11-12
  KvHistory kv = read(builder.history()).value();
  ASSERT_EQ(kv.ops.size(), 7u);
  EXPECT_EQ(kv.ops[1].unversioned, Unversioned::floating);
  EXPECT_EQ(kv.ops[2].unversioned, Unversioned::floating);
  EXPECT_EQ(kv.ops[3].unversioned, Unversioned::floating);
  EXPECT_EQ(kv.ops[4].unversioned, Unversioned::floating);
  EXPECT_EQ(kv.ops[5].version, 1);
  EXPECT_EQ(kv.ops[6].version, 0);  // null: never written
}

TEST(VersionOrder, AppendVersionsArePositionsInTheLongestRead) {
  KvHistoryBuilder builder;
  builder.append(0, "k", 7).append(1, "k", 8).append(2, "k", 9).read(3, "k", Json::array({7, 8})).read(3, "k", nullptr);
  KvHistory kv = read(builder.history()).value();
  EXPECT_EQ(kv.ops[0].version, 1);
  EXPECT_EQ(kv.ops[1].version, 2);
  EXPECT_EQ(kv.ops[2].version, kUnobserved);
  EXPECT_EQ(kv.ops[3].version, 2);
  EXPECT_EQ(kv.ops[4].version, 0);  // null reads as []
  EXPECT_TRUE(kv.anomalies.empty());
}

TEST(VersionOrder, IncompatibleAppendReadsAreAnAnomalyAndLeaveTheKeyUnordered) {
  KvHistoryBuilder builder;
  builder.append(0, "k", 1).append(0, "k", 2).read(1, "k", Json::array({1, 2})).read(2, "k", Json::array({2}))
      .read(2, "j", Json::array());
  KvHistory kv = read(builder.history()).value();
  ASSERT_EQ(kv.anomalies.size(), 1u);
  EXPECT_EQ(kv.anomalies[0].kind, "incompatible-order");
  EXPECT_EQ(kv.anomalies[0].key, "k");
  EXPECT_EQ(kv.ops[kv.anomalies[0].ops[0]].index, 5);
  EXPECT_EQ(kv.ops[kv.anomalies[0].ops[1]].index, 7);
  EXPECT_EQ(kv.ops[2].unversioned, Unversioned::no_order);
  EXPECT_EQ(kv.ops[4].version, 0);  // another key keeps its order
  EXPECT_TRUE(kv.keys_without_order.contains("k"));
}

TEST(VersionOrder, AReadListingAnElementTwiceIsAnAnomaly) {
  KvHistoryBuilder builder;
  builder.append(0, "k", 1).read(1, "k", Json::array({1, 1}));
  KvHistory kv = read(builder.history()).value();
  ASSERT_EQ(kv.anomalies.size(), 1u);
  EXPECT_EQ(kv.anomalies[0].kind, "duplicate-element");
}

}  // namespace
}  // namespace faultline
