#include "framework/report/campaign_data.h"

#include "framework/abort_report.h"
#include "framework/scenario.h"
#include "framework/scenario_fields.h"

namespace faultline::report {

namespace {

// The assertion a dead seed's process printed (abort_report.h reads it from its stderr).
Json assertion_of(const SeedRecord& record) {
  if (!record.crash) return Json();
  CapturedExit ended{.exit = {.signal = record.crash->signal}, .stderr_text = record.crash->stderr_tail};
  auto abort = abort_report(ended);
  return abort && !abort->assertion.empty() ? Json(abort->assertion) : Json();
}

std::string run_line(const CampaignSummary& summary, uint64_t seed, const std::string& program, const std::string& dir) {
  Json header = summary.spec.scenario;
  header["seed"] = seed;
  auto scenario = scenario_from_header(header, "campaign.json");
  if (!scenario) return "";
  return program + " run " + scenario_flags_text(scenario.value()) + " --out " + dir + "/rerun/seed-" +
         std::to_string(seed);
}

Json seed_links(const CampaignSummary& summary, const SeedRecord& record, const std::string& dir,
                const std::string& program, const std::function<bool(const std::string&)>& exists) {
  const std::string history = failure_history_path(record.seed);
  const std::string report = failure_dir(record.seed) + "/report.html";
  return {{"seed", record.seed},
          {"history", exists(history) ? Json(history) : Json()},
          {"report", exists(report) ? Json(report) : Json()},
          {"assertion", assertion_of(record)},
          {"repro", program + " repro " + dir + "/" + history},
          {"shrink", program + " shrink " + dir + "/" + failure_dir(record.seed) + " --out " + dir + "/shrunk/seed-" +
                         std::to_string(record.seed)},
          {"run", run_line(summary, record.seed, program, dir)}};
}

}  // namespace

std::string failure_dir(uint64_t seed) { return "failures/seed-" + std::to_string(seed); }

Json campaign_report_data(const CampaignSummary& summary, const std::string& dir, const std::string& program,
                          const std::function<bool(const std::string&)>& exists) {
  Json data = summary_json(summary);
  Json links = Json::array();
  for (const SeedRecord& record : summary.records)
    if (record.failed()) links.push_back(seed_links(summary, record, dir, program, exists));
  const Json& scenario = summary.spec.scenario;
  std::string title = "campaign: " + scenario.value("system", std::string("?")) + " / " +
                      scenario.value("workload", std::string("?")) + ", seeds " +
                      std::to_string(summary.spec.seeds.first) + ".." + std::to_string(summary.spec.seeds.last);
  data["kind"] = "campaign";
  data["title"] = title + (summary.seeds_failed > 0 ? ": " + std::to_string(summary.seeds_failed) + " failed" : ": all held");
  data["dir"] = dir;
  data["version"] = kFaultlineVersion;
  data["failing"] = links;
  return data;
}

}  // namespace faultline::report
