#include "framework/cli/run_report.h"

#include <cstdio>
#include <sstream>

#include "framework/campaign_record.h"
#include "framework/scenario_fields.h"

namespace faultline::cli {

Json results_json(const RunResult& result, const std::string& history_sha256) {
  Json claims = Json::array();
  for (const auto& outcome : result.claims) {
    claims.push_back({{"claim", outcome.claim.name},
                      {"description", outcome.claim.description},
                      {"checker", outcome.result.checker},
                      {"checker_options", outcome.claim.checker_options},
                      {"claimed", outcome.claim.claimed},
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

Json aborted_results_json(const Scenario& scenario, const std::vector<ClaimSpec>& claims, const AbortReport& abort,
                          const std::string& history_sha256) {
  Json claims_json = Json::array();
  for (const auto& claim : claims) {
    claims_json.push_back({{"claim", claim.name},
                           {"description", claim.description},
                           {"checker", claim.checker},
                           {"verdict", std::string(to_string(Verdict::unknown))},
                           {"summary", "not judged: the run aborted"},
                           {"evidence", Json()}});
  }
  std::string broken = abort.assertion.empty() ? "the run's process died of " + signal_name(abort.signal) : abort.assertion;
  return {{"scenario", scenario_to_header(scenario)},
          {"claims", claims_json},
          {"invariant_violation", broken},
          {"aborted", abort_json(abort)},
          {"history_sha256", history_sha256},
          {"client_ops", Json()},
          {"faults", Json()},
          {"simulated_ns", Json()},
          {"stats", Json()}};
}

std::string aborted_summary(const AbortReport& abort, const std::string& history_sha256) {
  return "ABORTED: " + abort.describe() + "\nhistory sha256 " + history_sha256 + "\n";
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
    if (!outcome.claim.claimed)
      word = outcome.result.verdict == Verdict::invalid ? "not claimed (anomalies seen)"
             : outcome.result.verdict == Verdict::valid ? "not claimed (none seen)"
                                                        : "not claimed (undecided)";
    out << "claim " << outcome.claim.name << " (" << outcome.result.checker << "): " << word << "\n";
    if (outcome.result.verdict == Verdict::valid || !outcome.claim.claimed) continue;
    // The checker's own witness, indented under the claim.
    std::istringstream witness(outcome.witness.empty() ? outcome.result.summary : outcome.witness);
    for (std::string line; std::getline(witness, line);) out << "  " << line << "\n";
  }
  out << "history sha256 " << history_sha256 << "\n";
  return out.str();
}

int run_exit_code(const RunResult& result) {
  if (result.any_claim_violated()) return 1;
  return result.all_claims_held() ? 0 : 3;
}

std::string run_command_line(const Scenario& s, const std::string& out_dir, const std::string& program) {
  return program + " run " + scenario_flags_text(s) + " --out " + out_dir;
}

}  // namespace faultline::cli
