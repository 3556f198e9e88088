#include "histories/latency.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <vector>

namespace faultline {

namespace {

int64_t nearest_rank(const std::vector<int64_t>& sorted, double percent) {
  const auto rank = static_cast<size_t>(std::ceil(percent / 100.0 * static_cast<double>(sorted.size())));
  return sorted[std::clamp<size_t>(rank, 1, sorted.size()) - 1];
}

}  // namespace

OpLatency op_latency(const History& history) {
  std::map<int64_t, int64_t> invoked_at_ns;  // by process: one op at a time each
  std::vector<int64_t> latencies_ns;
  int64_t first_ns = -1, last_ns = -1;
  for (const Op& op : history.ops) {
    if (op.is_nemesis() || op.final) continue;
    if (op.type == OpType::invoke) {
      invoked_at_ns[op.process] = op.time_ns;
      if (first_ns < 0) first_ns = op.time_ns;
      continue;
    }
    auto invoked = invoked_at_ns.find(op.process);
    if (invoked == invoked_at_ns.end()) continue;
    last_ns = op.time_ns;
    if (op.type == OpType::ok) latencies_ns.push_back(op.time_ns - invoked->second);
    invoked_at_ns.erase(invoked);
  }
  OpLatency latency;
  latency.ok_ops = static_cast<int64_t>(latencies_ns.size());
  if (latencies_ns.empty()) return latency;
  std::sort(latencies_ns.begin(), latencies_ns.end());
  if (last_ns > first_ns) latency.ok_per_s = static_cast<double>(latency.ok_ops) * 1e9 / static_cast<double>(last_ns - first_ns);
  latency.latency_ns_p50 = nearest_rank(latencies_ns, 50);
  latency.latency_ns_p99 = nearest_rank(latencies_ns, 99);
  latency.latency_ns_max = latencies_ns.back();
  return latency;
}

Json to_json(const OpLatency& latency) {
  return {{"ok_ops", latency.ok_ops},
          {"ok_per_s", latency.ok_per_s},
          {"latency_ns_p50", latency.latency_ns_p50},
          {"latency_ns_p99", latency.latency_ns_p99},
          {"latency_ns_max", latency.latency_ns_max}};
}

}  // namespace faultline
