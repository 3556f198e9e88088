#pragma once
// Random kv histories that are linearizable by construction, for the scaling benchmark
// (issue 5: 10^4..10^6 ops, 100 keys, 20-100 clients, 1-5% info ops) and the property tests.
// Each op takes effect at one random moment between its invoke and its completion, applied to
// a true per-key register, so the history always has a legal order.
#include <cstdint>

#include "histories/history.h"

namespace faultline {

struct SyntheticKvOptions {
  size_t op_count = 10000;  // client ops (each an invoke and a completion)
  int keys = 100;
  int clients = 20;
  double info_fraction = 0.02;  // ops completed as info (half of them took effect)
  int values_per_key = 0;       // 0: every write is a fresh value; else values 0..n-1
  uint64_t seed = 1;
};

History generate_linearizable_kv_history(const SyntheticKvOptions& options);

}  // namespace faultline
