// Client throughput and latency from a history (histories/latency.h): only ok ops count
// toward the latencies, final reads and the nemesis never count, and percentiles are
// nearest-rank.
#include <gtest/gtest.h>

#include "histories/latency.h"

namespace faultline {
namespace {

Op line(int64_t time_ms, int64_t process, OpType type, bool final = false) {
  return Op{.time_ns = time_ms * 1'000'000, .process = process, .type = type, .f = "read", .final = final};
}

TEST(OpLatency, OkOpsGiveThePercentilesAndTheRate) {
  History history;
  // Process 0: ok ops of 1, 2, ..., 100 ms, one after another.
  int64_t now_ms = 0;
  for (int64_t latency_ms = 1; latency_ms <= 100; ++latency_ms) {
    history.ops.push_back(line(now_ms, 0, OpType::invoke));
    now_ms += latency_ms;
    history.ops.push_back(line(now_ms, 0, OpType::ok));
  }
  history.ops.push_back(line(now_ms, 1, OpType::invoke));  // a fail and an info are no latencies
  history.ops.push_back(line(now_ms + 1000, 1, OpType::fail));
  history.ops.push_back(line(now_ms + 1000, kNemesisProcess, OpType::info));
  history.ops.push_back(line(now_ms + 1000, 2, OpType::invoke, true));  // a final read is not the workload's
  history.ops.push_back(line(now_ms + 9000, 2, OpType::ok, true));
  const OpLatency latency = op_latency(history);
  EXPECT_EQ(latency.ok_ops, 100);
  EXPECT_EQ(latency.latency_ns_p50, 50'000'000);
  EXPECT_EQ(latency.latency_ns_p99, 99'000'000);
  EXPECT_EQ(latency.latency_ns_max, 100'000'000);
  EXPECT_DOUBLE_EQ(latency.ok_per_s, 100.0 / ((static_cast<double>(now_ms) + 1000) / 1000));
}

TEST(OpLatency, AHistoryWithoutOkOpsHasNone) {
  History history;
  history.ops.push_back(line(0, 0, OpType::invoke));
  history.ops.push_back(line(5, 0, OpType::info));
  const OpLatency latency = op_latency(history);
  EXPECT_EQ(latency.ok_ops, 0);
  EXPECT_EQ(latency.latency_ns_max, 0);
  EXPECT_EQ(to_json(latency)["ok_per_s"], 0.0);
}

}  // namespace
}  // namespace faultline
