#pragma once
// The linearizability checker (issue 5): P-compositional Wing & Gong / Lowe search with
// memoization, over the Jepsen history semantics of DESIGN.md: line order is real-time order,
// `fail` certainly did not happen, `info` (or no completion) may take effect at any point
// after its invoke or never, nemesis ops are ignored. Ops with a key are split by key and
// each key is checked alone (locality of linearizability, P-compositionality).
#include <functional>
#include <string>

#include "base/result.h"
#include "checkers/checker.h"
#include "checkers/verdict.h"
#include "histories/history.h"

namespace faultline {

struct LinearizabilityOptions {
  std::string model = "kv";  // register, cas-register, kv, append-kv, multi-register, set,
                             // counter, queue, mutex
  Json initial = nullptr;    // initial model state
  double time_limit_s = 0;   // 0 = none; covers the whole check
  double time_used_s = 0;    // of the time limit, already used before the check (reading)
  size_t memory_limit_bytes = 2ull << 30;
  int threads = 1;           // per-key parallelism; the verdict and witness do not depend on it
};

// Bad input (unknown model, malformed op, completion without invoke, ...) is an error naming
// the op through `locate`.
Result<CheckResult> check_linearizable_or_error(const History& history,
                                                const LinearizabilityOptions& options,
                                                const OpLocator& locate);

// Bad input yields verdict unknown with the error as summary (never a guess).
CheckResult check_linearizable(const History& history, const LinearizabilityOptions& options);

// The registry entry: options model, initial, time_limit_s, time_used_s, memory_limit_mib,
// threads.
CheckerSpec linearizable_checker();

// The readable text of a result: the summary, and for invalid the witness (the failing op,
// the states possible just before it and the window of concurrent ops).
std::string render_linearizability_text(const CheckResult& result);

}  // namespace faultline
