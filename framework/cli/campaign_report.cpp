#include "framework/cli/campaign_report.h"

#include <cstdio>

#include "base/assert.h"
#include "base/text.h"
#include "framework/cli/table.h"
#include "framework/scenario.h"
#include "framework/scenario_fields.h"

namespace faultline::cli {

namespace {

constexpr size_t kFailingSeedsShown = 5;

std::string first_seeds(const std::vector<uint64_t>& seeds) {
  if (seeds.empty()) return "-";
  std::string out;
  for (size_t i = 0; i < seeds.size() && i < kFailingSeedsShown; ++i) out += (i ? " " : "") + std::to_string(seeds[i]);
  if (seeds.size() > kFailingSeedsShown) out += " ...";
  return out;
}

// What the protocol did, in how many seeds; what it never did is a warning: the campaign
// was blind to that part of the protocol (a fault, workload or setting that reaches it is
// missing).
std::string coverage_lines(const std::vector<CoverageTally>& coverage) {
  if (coverage.empty()) return "";
  std::string reached, never;
  for (const auto& c : coverage) {
    reached += (reached.empty() ? "" : ", ") + c.count + " " + std::to_string(c.seeds_reached) + "/" +
               std::to_string(c.seeds_counted);
    if (c.seeds_reached == 0) never += (never.empty() ? "" : ", ") + c.count;
  }
  std::string out = "protocol coverage (seeds where it happened): " + reached + "\n";
  if (!never.empty()) out += "warning: no seed reached " + never + ": this campaign cannot find bugs there\n";
  return out;
}

// Features at each power of ten seeds, and where the last new one came: a campaign whose
// coverage stopped growing early explores little that more of the same seeds would add.
std::string coverage_growth_line(const CampaignSummary& summary) {
  if (summary.coverage_features == 0) return "";
  std::string milestones;
  const auto run = static_cast<int64_t>(summary.records.size());
  for (int64_t at = 1; at <= run; at *= 10) {
    int64_t features = 0;
    for (const auto& [seeds_so_far, features_so_far] : summary.coverage_steps)
      if (seeds_so_far <= at) features = features_so_far;
    milestones += (milestones.empty() ? "" : ", ") + std::to_string(features) + " after " + std::to_string(at);
  }
  return "coverage growth: " + std::to_string(summary.coverage_features) +
         " features (each count's log2 bucket, each pair reached together); " + milestones +
         " seeds; the last new one at seed " + std::to_string(summary.coverage_last_new_at) + " of " +
         std::to_string(run) + "\n";
}

}  // namespace

std::string campaign_table(const CampaignSummary& summary) {
  std::vector<TableRow> rows;
  const bool real = summary.spec.scenario.value("runtime", kRuntimeSim) == kRuntimeReal;
  for (const auto& t : summary.tallies) {
    std::string name = t.claimed ? t.claim : t.claim + " (not claimed)";
    if (t.claim == "invariants" && real) name = "no node died (no invariants in real mode)";
    rows.push_back({name, std::to_string(t.held), std::to_string(t.violated),
                    t.claim == "invariants" ? "-" : std::to_string(t.unknown), first_seeds(t.failing_seeds)});
  }
  std::string out = render_table({"claim", "held", "violated", "unknown", "first failing seeds"}, rows);
  out += std::to_string(summary.records.size()) + " of " + std::to_string(summary.seeds_planned) + " seeds run: " +
         std::to_string(summary.seeds_failed) + " failed, " + std::to_string(summary.seeds_unknown) + " undecided\n";
  return out + coverage_lines(summary.coverage) + coverage_growth_line(summary);
}

namespace {

// Real mode replays nothing byte for byte: a failing seed is rerun with the same draws.
std::string rerun_commands(const CampaignSummary& summary, const std::string& program) {
  std::string out;
  for (const auto& record : summary.records) {
    if (!record.failed()) continue;
    Json header = summary.spec.scenario;
    header["seed"] = record.seed;
    auto scenario = scenario_from_header(header, "campaign.json");
    FAULTLINE_ASSERT(scenario.has_value(), "a campaign's own scenario reads back");
    out += "  seed " + std::to_string(record.seed) + " (" + joined(record.failure_reasons()) + "): " + program +
           " run " + scenario_flags_text(scenario.value()) + "\n";
  }
  if (out.empty()) return out;
  return "Rerun each failing seed (real mode: the same ops and faults, not the same interleaving):\n" + out;
}

}  // namespace

std::string repro_commands(const CampaignSummary& summary, const std::string& dir, const std::string& program) {
  if (summary.spec.scenario.value("runtime", kRuntimeSim) == kRuntimeReal) return rerun_commands(summary, program);
  std::string out;
  for (const auto& record : summary.records) {
    if (!record.failed()) continue;
    const std::string parent =
        record.swarm_seed ? ", guided: seed " + std::to_string(*record.swarm_seed) + "'s configuration" : "";
    out += "  seed " + std::to_string(record.seed) + " (" + joined(record.failure_reasons()) + parent + "): " + program +
           " repro " + dir + "/" + failure_history_path(record.seed) + "\n";
  }
  if (out.empty()) return out;
  return "Reproduce each failing seed (replays its history byte for byte):\n" + out;
}

std::string detection_rate_line(const CampaignSummary& summary) {
  double cpu_s = 0;
  for (const auto& record : summary.records) cpu_s += record.wall_time_ms / 1000;
  char line[160];
  std::snprintf(line, sizeof line, "seed CPU time %.1f s: %d failing seeds, %.2f per CPU minute\n", cpu_s,
                summary.seeds_failed, cpu_s > 0 ? summary.seeds_failed / (cpu_s / 60) : 0.0);
  return line;
}

int campaign_exit_code(const CampaignSummary& summary) {
  if (summary.seeds_failed > 0) return 1;
  return summary.seeds_unknown > 0 ? 3 : 0;
}

}  // namespace faultline::cli
