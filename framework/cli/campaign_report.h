#pragma once
// What `faultline campaign` and `faultline merge` print: per claim, seeds held, violated
// and undecided with the first failing seeds, then one repro command per failing seed.
#include <string>

#include "framework/campaign_record.h"

namespace faultline::cli {

std::string campaign_table(const CampaignSummary& summary);
// One `faultline repro DIR/failures/seed-N/history.jsonl` line per failing seed.
std::string repro_commands(const CampaignSummary& summary, const std::string& dir, const std::string& program);
// 0 every claim held on every seed, 1 a seed failed, 3 none failed but a verdict is unknown.
// The campaign's cost against what it found: the seeds' own run times summed (each seed runs
// on one core) and failing seeds per CPU minute of it.
std::string detection_rate_line(const CampaignSummary& summary);

int campaign_exit_code(const CampaignSummary& summary);

}  // namespace faultline::cli
