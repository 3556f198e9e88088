#pragma once
// How fast the clients were served, from a history alone: the throughput of completed ops
// and the latency (invoke to ok) of those that succeeded, so a simulated and a real run of
// one scenario compare on the same figures (docs/benchmarks.md, "Real runtime").
#include <cstdint>

#include "base/json.h"
#include "histories/history.h"

namespace faultline {

struct OpLatency {
  int64_t ok_ops = 0;            // client ops that completed ok, final reads excluded
  double ok_per_s = 0;           // over the time from the first invoke to the last completion
  int64_t latency_ns_p50 = 0;    // nearest-rank percentiles of the ok ops' latencies
  int64_t latency_ns_p99 = 0;
  int64_t latency_ns_max = 0;
};

OpLatency op_latency(const History& history);
Json to_json(const OpLatency& latency);

}  // namespace faultline
