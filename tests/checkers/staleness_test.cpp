// The staleness checker (docs/checkers/staleness.md) on small histories whose figures can be
// worked out by hand: line i is at time i ms (kv_history_builder.h).
#include <gtest/gtest.h>

#include "checkers/staleness.h"
#include "kv_history_builder.h"

namespace faultline {
namespace {

using testing_support::KvHistoryBuilder;

StalenessMeasurement measure(const History& history, StalenessOptions options = {}) {
  auto result = measure_staleness(history, options, [&](size_t position) { return locate_by_index(history, position); });
  EXPECT_TRUE(result) << (result ? "" : result.error().message);
  return std::move(result).value();
}

const ReadStaleness& measured(const StalenessMeasurement& measurement, int64_t index) {
  for (const ReadStaleness& read : measurement.reads)
    if (measurement.kv.ops[read.read].index == index) return read;
  ADD_FAILURE() << "read #" << index << " not measured";
  return measurement.reads.front();
}

TEST(Staleness, CountsAcknowledgedWritesNewerThanTheReadAndTheOldestOnesAge) {
  KvHistoryBuilder builder;
  builder.write(0, "k", 1)      // acknowledged at line 1 (1 ms)
      .write(0, "k", 2)         // acknowledged at line 3 (3 ms)
      .read(1, "k", 1)          // invoked at 4 ms: misses 2, acknowledged 1 ms before
      .read(1, "k", nullptr)    // invoked at 6 ms: misses 1 and 2, the oldest acknowledged 5 ms before
      .read(1, "k", 2);         // fresh
  StalenessMeasurement measurement = measure(builder.history());
  EXPECT_EQ(measured(measurement, 5).versions_behind, 1);
  EXPECT_DOUBLE_EQ(measured(measurement, 5).ms_behind, 1.0);
  EXPECT_EQ(measured(measurement, 7).versions_behind, 2);
  EXPECT_DOUBLE_EQ(measured(measurement, 7).ms_behind, 5.0);
  EXPECT_EQ(measured(measurement, 9).versions_behind, 0);
  EXPECT_DOUBLE_EQ(measured(measurement, 9).ms_behind, 0.0);
  EXPECT_EQ(measurement.result.verdict, Verdict::valid);
  const Json& overall = measurement.result.evidence["main"]["overall"];
  EXPECT_EQ(overall["reads"], 3);
  EXPECT_EQ(overall["stale_reads"], 2);
  EXPECT_EQ(overall["versions_behind"]["max"], 2);
  const Json& worst = measurement.result.evidence["main"]["worst_reads"];
  ASSERT_EQ(worst.size(), 2u);
  EXPECT_EQ(worst[0]["index"], 7);
  EXPECT_EQ(worst[0]["newest_acknowledged"]["index"], 3);
  EXPECT_EQ(worst[0]["oldest_missed"]["index"], 1);
}

TEST(Staleness, AWriteAcknowledgedAfterTheReadBeganIsNotMissed) {
  KvHistoryBuilder builder;
  builder.invoke(1, "read", "k").write(0, "k", 1).complete(1, OpType::ok, "read", "k", nullptr);
  EXPECT_EQ(measured(measure(builder.history()), 3).versions_behind, 0);
}

TEST(Staleness, ReadsOfFloatingWritesAreNotMeasuredAndInfoWritesAreNotAcknowledged) {
  KvHistoryBuilder builder;
  builder.write(0, "k", 1).write(0, "k", 2, OpType::info).write(3, "k", 3)
      .read(1, "k", 2)           // floating: not measured
      .read(1, "k", 1);          // misses only 3: the info write was never acknowledged
  StalenessMeasurement measurement = measure(builder.history());
  ASSERT_EQ(measurement.reads.size(), 1u);
  EXPECT_EQ(measured(measurement, 9).versions_behind, 1);
  EXPECT_DOUBLE_EQ(measured(measurement, 9).ms_behind, 3.0);
  EXPECT_EQ(measurement.result.evidence["unmeasured_reads"]["floating"], 1);
}

TEST(Staleness, ReadsOfANeverWrittenKeyAreFresh) {
  KvHistoryBuilder builder;
  builder.read(1, "never", nullptr);
  StalenessMeasurement measurement = measure(builder.history());
  EXPECT_EQ(measured(measurement, 1).versions_behind, 0);
  EXPECT_EQ(measurement.result.verdict, Verdict::valid);
}

TEST(Staleness, GroupsByRoleThenNodeThenUnknown) {
  KvHistoryBuilder builder;
  builder.write(0, "k", 1).read(1, "k", nullptr, 2, "replica").read(1, "k", 1, 0, "leader").read(2, "k", 1, 1)
      .read(2, "k", 1);
  const Json groups = measure(builder.history()).result.evidence["main"]["by_role"];
  EXPECT_EQ(groups["replica"]["stale_fraction"], 1.0);
  EXPECT_EQ(groups["leader"]["reads"], 1);
  EXPECT_EQ(groups["node 1"]["reads"], 1);
  EXPECT_EQ(groups["unknown"]["reads"], 1);
}

TEST(Staleness, PercentilesAreNearestRank) {
  KvHistoryBuilder builder;
  for (int64_t value = 1; value <= 10; ++value) builder.write(0, "k", value);
  for (int64_t value = 1; value <= 10; ++value) builder.read(1, "k", value);  // 9, 8, ..., 0 behind
  const Json versions = measure(builder.history()).result.evidence["main"]["overall"]["versions_behind"];
  EXPECT_EQ(versions["p50"], 4);
  EXPECT_EQ(versions["p90"], 8);
  EXPECT_EQ(versions["p99"], 9);
  EXPECT_EQ(versions["max"], 9);
}

TEST(Staleness, BoundsMakeTheVerdict) {
  KvHistoryBuilder builder;
  builder.write(0, "k", 1).write(0, "k", 2).read(1, "k", 1).read(1, "k", nullptr);
  EXPECT_EQ(measure(builder.history(), {.bound_versions = 2}).result.verdict, Verdict::valid);
  StalenessMeasurement versions = measure(builder.history(), {.bound_versions = 1});
  EXPECT_EQ(versions.result.verdict, Verdict::invalid);
  EXPECT_EQ(versions.result.evidence["beyond_bounds"]["count"], 1);
  EXPECT_EQ(versions.result.evidence["beyond_bounds"]["first"][0]["index"], 7);
  StalenessMeasurement ms = measure(builder.history(), {.bound_ms = 0.5});
  EXPECT_EQ(ms.result.evidence["beyond_bounds"]["count"], 2);
  EXPECT_EQ(ms.result.evidence["beyond_bounds"]["first"][0]["index"], 5);
  EXPECT_NE(render_staleness_text(ms.result).find("beyond bound: process 1 read k = 1 (#5)"), std::string::npos)
      << render_staleness_text(ms.result);
}

TEST(Staleness, FinalReadsAreReportedSeparately) {
  KvHistoryBuilder builder;
  builder.write(0, "k", 1).read(1, "k", 1).nemesis("heal").final_read(1, "k", nullptr, 2);
  StalenessMeasurement measurement = measure(builder.history());
  EXPECT_EQ(measurement.result.evidence["main"]["overall"]["reads"], 1);
  EXPECT_EQ(measurement.result.evidence["final"]["overall"]["stale_reads"], 1);
  EXPECT_NE(render_staleness_text(measurement.result).find("final reads:"), std::string::npos);
}

TEST(Staleness, NothingMeasuredIsUnknown) {
  KvHistoryBuilder builder;
  builder.write(0, "k", 1);
  StalenessMeasurement measurement = measure(builder.history());
  EXPECT_EQ(measurement.result.verdict, Verdict::unknown);
  EXPECT_NE(measurement.result.summary.find("no read could be measured"), std::string::npos);
}

TEST(Staleness, AppendReadsMissAcknowledgedElementsTheyLack) {
  KvHistoryBuilder builder;
  builder.append(0, "k", 1).append(1, "k", 2).append(2, "k", 3)  // 3 is never read
      .read(3, "k", Json::array({1, 2})).read(3, "k", Json::array({1}));
  StalenessMeasurement measurement = measure(builder.history());
  EXPECT_EQ(measured(measurement, 7).versions_behind, 1);
  EXPECT_DOUBLE_EQ(measured(measurement, 7).ms_behind, 1.0);
  EXPECT_EQ(measured(measurement, 9).versions_behind, 2);
  EXPECT_DOUBLE_EQ(measured(measurement, 9).ms_behind, 5.0);
}

TEST(Staleness, IncompatibleAppendReadsAreInvalidAndTheirKeyUnmeasured) {
  KvHistoryBuilder builder;
  builder.append(0, "k", 1).append(0, "k", 2).read(1, "k", Json::array({1, 2})).read(2, "k", Json::array({2}));
  StalenessMeasurement measurement = measure(builder.history());
  EXPECT_EQ(measurement.result.verdict, Verdict::invalid);
  EXPECT_TRUE(measurement.reads.empty());
  EXPECT_EQ(measurement.result.evidence["unmeasured_reads"]["no_order"], 2);
  EXPECT_EQ(measurement.result.evidence["anomalies"][0]["kind"], "incompatible-order");
}

TEST(Staleness, OptionsAreReadByTheRegistryEntry) {
  KvHistoryBuilder builder;
  builder.write(0, "k", 1).write(0, "k", 2).read(1, "k", 1);
  auto locate = [&](size_t position) { return locate_by_index(builder.history(), position); };
  auto result = run_checker(staleness_checker(), builder.history(), {{"bound_versions", 0}}, locate);
  ASSERT_TRUE(result);
  EXPECT_EQ(result.value().verdict, Verdict::invalid);
  EXPECT_FALSE(run_checker(staleness_checker(), builder.history(), {{"bound_ms", -1}}, locate));
}

}  // namespace
}  // namespace faultline
