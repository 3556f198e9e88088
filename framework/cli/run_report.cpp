#include "framework/cli/run_report.h"

#include <cstdio>
#include <sstream>

#include "base/assert.h"
#include "base/files.h"
#include "checkers/availability.h"
#include "framework/campaign_record.h"
#include "framework/cli/sha256.h"
#include "framework/report/context.h"
#include "framework/report/report_files.h"
#include "framework/scenario_fields.h"
#include "histories/latency.h"

namespace faultline::cli {

Json results_json(const RunResult& result, const std::string& history_sha256) {
  Json claims = Json::array();
  for (const auto& outcome : result.claims) {
    Json claim = {{"claim", outcome.claim.name},
                  {"description", outcome.claim.description},
                  {"checker", outcome.result.checker},
                  {"checker_options", outcome.claim.checker_options},
                  {"claimed", outcome.claim.claimed},
                  {"verdict", std::string(to_string(outcome.result.verdict))},
                  {"summary", outcome.result.summary},
                  {"evidence", outcome.result.evidence}};
    // Who served the witness's ops and which faults were active then (report/context.h).
    if (outcome.result.verdict != Verdict::valid)
      claim["context"] = report::witness_context(result.history, outcome.result.checker, outcome.result.evidence);
    claims.push_back(std::move(claim));
  }
  const auto& s = result.stats;
  // A real-mode run's time is the wall clock, and its counts are what the runner saw (the
  // clients' messages); the nodes' own messages never pass through it.
  const bool real = result.runtime == kRuntimeReal;
  return {{"scenario", result.history.header.value_or(Json())},
          {"claims", claims},
          {"invariant_violation", result.invariant_violation ? Json(*result.invariant_violation) : Json()},
          {"history_sha256", history_sha256},
          {"client_ops", result.client_op_count},
          {"faults", result.fault_count},
          {real ? "wall_ns" : "simulated_ns", result.end_time_ns},
          {"stats",
           {{"events", s.events}, {"deliveries", s.deliveries}, {"dropped_cut", s.dropped_cut},
            {"dropped_loss", s.dropped_loss}, {"dropped_down", s.dropped_down},
            {"duplicated", s.duplicated}, {"timers_fired", s.timers_fired}}},
          {"metrics", result.metrics},
          {"client_latency", to_json(op_latency(result.history))}};
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
          {"stats", Json()},
          {"metrics", Json()}};
}

std::string aborted_summary(const AbortReport& abort, const std::string& history_sha256) {
  return "ABORTED: " + abort.describe() + "\nhistory sha256 " + history_sha256 + "\n";
}

namespace {

void indented(std::ostream& out, const std::string& text) {
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) out << "  " << line << "\n";
}

}  // namespace

std::string run_summary(const RunResult& result, const std::string& history_sha256) {
  std::ostringstream out;
  char simulated[32];
  std::snprintf(simulated, sizeof simulated, "%.3fs", static_cast<double>(result.end_time_ns) / 1e9);
  const bool real = result.runtime == kRuntimeReal;
  out << "ops " << result.client_op_count << ", faults " << result.fault_count << (real ? ", wall " : ", simulated ")
      << simulated << (real ? ", client messages " : ", messages ") << result.stats.deliveries << "\n";
  const OpLatency latency = op_latency(result.history);
  if (latency.ok_ops > 0) {
    char line[160];
    std::snprintf(line, sizeof line, "clients: %lld ops ok (%.1f/s), latency p50 %.2f ms, p99 %.2f ms, max %.2f ms\n",
                  static_cast<long long>(latency.ok_ops), latency.ok_per_s, static_cast<double>(latency.latency_ns_p50) / 1e6,
                  static_cast<double>(latency.latency_ns_p99) / 1e6, static_cast<double>(latency.latency_ns_max) / 1e6);
    out << line;
  }
  if (!result.metrics.empty()) {
    out << "metrics";
    const char* separator = ": ";
    for (const auto& [name, value] : result.metrics.items()) {
      out << separator << name << " " << value.dump();
      separator = ", ";
    }
    out << "\n";
  }
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
    if (outcome.result.verdict == Verdict::valid || !outcome.claim.claimed) {
      // Availability is a figure as much as a verdict: its table per fault window and
      // partition side is printed for every run that judges it.
      if (outcome.result.checker == "availability") indented(out, render_availability_text(outcome.result));
      continue;
    }
    // The checker's own witness, indented under the claim.
    indented(out, outcome.witness.empty() ? outcome.result.summary : outcome.witness);
    // Who served the witness's ops and which faults were active then (report/context.h).
    indented(out, report::render_context(
                      report::witness_context(result.history, outcome.result.checker, outcome.result.evidence)));
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

Result<void> write_inspection_files(const std::string& dir, const RunResult& run,
                                    const std::vector<MessageRecord>& messages, int node_count,
                                    const Registry& registry, const std::string& program) {
  BOOST_OUTCOME_TRY(history, read_whole_file(dir + "/history.jsonl"));
  BOOST_OUTCOME_TRYV(write_file_atomically(dir + "/results.json", results_json(run, sha256_hex(history)).dump(2) + "\n"));
  BOOST_OUTCOME_TRYV(report::write_message_log(dir + "/messages.jsonl", run, messages, node_count));
  return report::write_run_report(dir + "/history.jsonl", dir + "/report.html", registry, {.program = program});
}

namespace {

AbortReport abort_of(const SeedRecord& record) {
  FAULTLINE_ASSERT(record.crash.has_value(), "a dead seed has its crash recorded");
  CapturedExit ended{.exit = {.exit_code = record.crash->exit_code, .signal = record.crash->signal},
                     .stderr_text = record.crash->stderr_tail};
  auto abort = abort_report(ended);
  return abort ? *abort : AbortReport{.signal = record.crash->signal, .stderr_tail = record.crash->stderr_tail};
}

}  // namespace

std::string dead_seed_assertion(const SeedRecord& record) {
  return record.crash ? abort_of(record).assertion : "";
}

Result<void> write_dead_seed_files(const std::string& dir, const SeedRecord& record, const Scenario& scenario,
                                   const Registry& registry, const std::string& program) {
  BOOST_OUTCOME_TRY(system, registry.make_system(scenario));
  BOOST_OUTCOME_TRY(history, read_whole_file(dir + "/history.jsonl"));
  Json results = aborted_results_json(scenario, system->claims(), abort_of(record), sha256_hex(history));
  BOOST_OUTCOME_TRYV(write_file_atomically(dir + "/results.json", results.dump(2) + "\n"));
  return report::write_run_report(dir + "/history.jsonl", dir + "/report.html", registry, {.program = program});
}

}  // namespace faultline::cli
