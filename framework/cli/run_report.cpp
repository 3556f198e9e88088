#include "framework/cli/run_report.h"

#include <cstdio>
#include <sstream>

namespace faultline::cli {

Json results_json(const RunResult& result, const std::string& history_sha256) {
  Json claims = Json::array();
  for (const auto& outcome : result.claims) {
    claims.push_back({{"claim", outcome.claim.name},
                      {"description", outcome.claim.description},
                      {"checker", outcome.result.checker},
                      {"verdict", std::string(to_string(outcome.result.verdict))},
                      {"summary", outcome.result.summary},
                      {"evidence", outcome.result.evidence}});
  }
  const auto& s = result.stats;
  return {{"scenario", result.history.header.value_or(Json())},
          {"claims", claims},
          {"invariant_violation", result.invariant_violation ? Json(*result.invariant_violation) : Json()},
          {"history_sha256", history_sha256},
          {"client_ops", result.client_op_count},
          {"faults", result.fault_count},
          {"simulated_ns", result.end_time_ns},
          {"stats",
           {{"events", s.events}, {"deliveries", s.deliveries}, {"dropped_cut", s.dropped_cut},
            {"dropped_loss", s.dropped_loss}, {"dropped_down", s.dropped_down},
            {"duplicated", s.duplicated}, {"timers_fired", s.timers_fired}}}};
}

std::string run_summary(const RunResult& result, const std::string& history_sha256) {
  std::ostringstream out;
  char simulated[32];
  std::snprintf(simulated, sizeof simulated, "%.3fs", static_cast<double>(result.end_time_ns) / 1e9);
  out << "ops " << result.client_op_count << ", faults " << result.fault_count << ", simulated "
      << simulated << ", messages " << result.stats.deliveries << "\n";
  if (result.invariant_violation)
    out << "INVARIANT BROKEN: " << *result.invariant_violation << "\n";
  for (const auto& outcome : result.claims) {
    const char* word = outcome.result.verdict == Verdict::valid     ? "held"
                       : outcome.result.verdict == Verdict::invalid ? "VIOLATED"
                                                                    : "UNKNOWN";
    out << "claim " << outcome.claim.name << " (" << outcome.result.checker << "): " << word << "\n";
    if (outcome.result.verdict != Verdict::valid && !outcome.result.summary.empty())
      out << "  " << outcome.result.summary << "\n";
  }
  out << "history sha256 " << history_sha256 << "\n";
  return out.str();
}

int run_exit_code(const RunResult& result) {
  if (result.any_claim_violated()) return 1;
  return result.all_claims_held() ? 0 : 3;
}

std::string run_command_line(const Scenario& s, const std::string& out_dir) {
  const Scenario defaults;
  std::ostringstream out;
  out << "faultline run --system " << s.system << " --nodes " << s.node_count;
  if (s.workload != defaults.workload) out << " --workload " << s.workload;
  if (!s.nemesis.empty()) {
    out << " --nemesis ";
    for (size_t i = 0; i < s.nemesis.size(); ++i) out << (i ? "," : "") << s.nemesis[i];
  }
  if (s.bug) out << " --bug " << *s.bug;
  out << " --seed " << s.seed;
  auto duration = [&](const char* flag, int64_t value, int64_t fallback) {
    if (value != fallback) out << " " << flag << " " << format_duration(value);
  };
  duration("--time", s.time_ns, defaults.time_ns);
  duration("--nemesis-interval", s.nemesis_interval_ns, defaults.nemesis_interval_ns);
  duration("--quiesce", s.quiesce_ns, defaults.quiesce_ns);
  duration("--op-timeout", s.op_timeout_ns, defaults.op_timeout_ns);
  duration("--latency", s.link.latency_ns_base, defaults.link.latency_ns_base);
  duration("--jitter", s.link.latency_ns_jitter, defaults.link.latency_ns_jitter);
  auto number = [&](const char* flag, auto value, auto fallback) {
    // Json prints the shortest text that reads back as the same number.
    if (value != fallback) out << " " << flag << " " << Json(value).dump();
  };
  number("--concurrency", s.concurrency, defaults.concurrency);
  number("--keys", s.key_count, defaults.key_count);
  number("--value-range", s.value_range, defaults.value_range);
  number("--rate", s.rate_hz, defaults.rate_hz);
  number("--loss", s.link.loss_probability, defaults.link.loss_probability);
  number("--duplicate", s.link.duplicate_probability, defaults.link.duplicate_probability);
  if (s.mix.read != defaults.mix.read || s.mix.write != defaults.mix.write || s.mix.cas != defaults.mix.cas)
    out << " --mix " << s.mix.read << ":" << s.mix.write << ":" << s.mix.cas;
  if (!s.final_reads) out << " --no-final-reads";
  if (s.codec_roundtrip) out << " --codec-roundtrip";
  if (s.torn_writes) out << " --torn-writes";
  if (s.check_invariants) out << " --check-invariants";
  out << " --out " << out_dir;
  return out.str();
}

}  // namespace faultline::cli
