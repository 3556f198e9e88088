#pragma once
// The data of a campaign's index page (html_page.h draws it): summary.json's totals, verdict
// counts per claim and per-seed records, and for each failing seed the links to its report
// and history and the commands that reproduce, shrink and rerun it.
#include <functional>
#include <string>

#include "framework/campaign_record.h"

namespace faultline::report {

// exists: whether a path relative to the campaign directory is there (a seed's report).
Json campaign_report_data(const CampaignSummary& summary, const std::string& dir, const std::string& program,
                          const std::function<bool(const std::string&)>& exists);

// Where a failing seed's files are kept, relative to the campaign directory.
std::string failure_dir(uint64_t seed);

}  // namespace faultline::report
