#pragma once
// `faultline merge`: joins the output directories of a campaign's shards into one campaign
// directory whose summary equals that of one unsharded run (except wall times).
#include <string>
#include <vector>

#include "base/result.h"
#include "framework/campaign_record.h"

namespace faultline {

// Every shard 0..N-1 of one campaign (same scenario and seed range) must be given once,
// finished: a merge is complete and in range or it fails, naming the missing or stray seeds,
// before anything is written. Copies their seed records and kept histories into out_dir and
// writes its campaign.json (as shard 0/1) and summary.json.
Result<CampaignSummary> merge_campaigns(const std::string& out_dir, const std::vector<std::string>& shard_dirs);

}  // namespace faultline
