#pragma once
// Reports from the files a run or a campaign leaves: DIR/report.html beside a run's
// history.jsonl (with results.json and messages.jsonl when they are there), and a campaign
// directory's index page. `faultline report`, `run`, `campaign` and `shrink` call these.
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "framework/registry.h"
#include "framework/run.h"

namespace faultline::report {

struct ReportOptions {
  std::string program = "faultline";  // the binary named in the commands the page shows
  // For a history with no results.json beside it: judged with the claims of the system its
  // header names, else with this checker (default: linearizable, model kv) and options.
  std::optional<std::string> checker;
  Json checker_options = Json::object();
};

// Writes the run report of history_path to out_path; returns the claims' verdicts line.
Result<void> write_run_report(const std::string& history_path, const std::string& out_path, const Registry& registry,
                              const ReportOptions& options);

// The index page of a campaign directory (its summary.json, or its seed records while it runs).
Result<void> write_campaign_report(const std::string& dir, const std::string& out_path, const std::string& program);

// Chooses the messages around the first violated claim's witness (or the whole run when it
// sent few) and writes them to messages_path (message_log.h).
Result<void> write_message_log(const std::string& messages_path, const RunResult& run,
                               const std::vector<MessageRecord>& log, int node_count);

// Where a report of `input` goes by default: DIR/report.html for a run or campaign
// directory (or DIR/history.jsonl); NAME.report.html beside any other NAME.jsonl.
std::string default_report_path(const std::string& input);

}  // namespace faultline::report
