#pragma once
// A campaign runs one scenario over many seeds, each in its own forked process, J at a
// time, and keeps every finished seed's result in a directory (see campaign_store.h). A
// seed whose process dies is a failing seed; Ctrl-C, kill or a hangup stops the campaign without
// losing finished results, and resume runs only the seeds still missing.
#include <functional>
#include <string>
#include <string_view>

#include "base/result.h"
#include "framework/campaign_record.h"
#include "framework/registry.h"
#include "framework/run.h"
#include "framework/scenario.h"

namespace faultline {

struct CampaignOptions {
  Scenario scenario;  // each seed replaces scenario.seed
  SeedRange seeds;
  Shard shard;
  int jobs = 1;
  std::string out_dir;
  bool resume = false;
  bool stop_on_first = false;  // start no seed after one failed; running ones finish
  bool keep_all_histories = false;
  // Coverage-guided seeds (campaign_guide.h): a swarm campaign only, unsharded.
  bool guided = false;
  // Hashes a history's bytes; the CLI passes SHA-256 (the framework links no crypto library).
  std::function<std::string(std::string_view)> history_digest;
  // Called in the parent as each seed's record is stored, for progress reports.
  std::function<void(const SeedRecord&)> on_seed_finished;
  // Called in a failing seed's process once its history is kept in DIR/failures/seed-N (the
  // first argument), with its run and every message it sent (recorded only when this is
  // set), to write what a person inspects next: results, messages, a report.
  std::function<Result<void>(const std::string& failure_dir, const RunResult& run,
                             const std::vector<MessageRecord>& messages)>
      on_failure_kept;
};

struct CampaignOutcome {
  CampaignSummary summary;  // of every record in the directory, also written to summary.json
  int seeds_skipped = 0;    // already finished in the directory (resume)
  bool interrupted = false; // SIGINT, SIGTERM or SIGHUP arrived; rerun with resume to finish
};

Result<CampaignOutcome> run_campaign(const CampaignOptions& options, const Registry& registry);

// The scenario as a campaign describes it: the history header without the seed.
Json campaign_scenario_json(const Scenario& scenario);

}  // namespace faultline
