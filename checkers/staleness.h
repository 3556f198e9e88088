#pragma once
// Staleness of reads on `session` and `append` histories (docs/workloads.md): for each ok
// read, how many acknowledged writes it missed and for how long the oldest of them had been
// acknowledged, per node role. A figure rather than a pass/fail judgement, unless a bound is
// given (docs/checkers/staleness.md has the exact definitions).
#include <optional>
#include <string>
#include <vector>

#include "checkers/checker.h"
#include "checkers/verdict.h"
#include "checkers/version_order.h"
#include "histories/history.h"

namespace faultline {

struct StalenessOptions {
  std::string type = "auto";              // auto | session | append
  std::optional<double> bound_ms;         // a read further behind (ms) makes the verdict invalid
  std::optional<int64_t> bound_versions;  // a read further behind (versions) makes it invalid
};

// One measured read R of key k. The acknowledged writes of R are the writes of k whose ok
// completion line comes before R's invoke line.
struct ReadStaleness {
  size_t read = 0;               // position in KvHistory::ops
  int64_t versions_behind = 0;   // acknowledged writes newer than what R returned
  double ms_behind = 0;          // R's invoke time minus the ack time of the oldest one R missed
  std::optional<size_t> newest_acknowledged;  // position of the newest acknowledged write
  std::optional<size_t> oldest_missed;        // position of the oldest acknowledged write R missed
};

struct StalenessMeasurement {
  KvHistory kv;
  std::vector<ReadStaleness> reads;  // every measured read, final reads included, by index
  CheckResult result;
};

// Bad input (see read_kv_history) is an error.
Result<StalenessMeasurement> measure_staleness(const History& history, const StalenessOptions& options,
                                               const OpLocator& locate);

// The registry entry "staleness": options type, bound_ms, bound_versions.
CheckerSpec staleness_checker();

// The figures per role, the worst reads and the reads beyond a bound, a few lines.
std::string render_staleness_text(const CheckResult& result);

}  // namespace faultline
