// faultline report: one self-contained HTML file for a run (its history, results and
// messages) or a campaign directory (its index page, and a report for each failing seed that
// has none yet).
#include <filesystem>
#include <iostream>

#include "framework/campaign_record.h"
#include "framework/campaign_store.h"
#include "framework/cli/commands.h"
#include "framework/cli/error_line.h"
#include "framework/report/campaign_data.h"
#include "framework/report/report_files.h"

namespace faultline::cli {

namespace {

namespace fs = std::filesystem;

struct ReportFlags {
  std::string input;
  std::string out_path;
  std::optional<std::string> checker;
  std::vector<std::string> assignments;  // --option key=value
};

// Every failing seed whose report is missing gets one (a campaign run with --no-report).
Result<int> write_missing_seed_reports(const std::string& dir, const Registry& registry, const report::ReportOptions& options) {
  BOOST_OUTCOME_TRY(records, read_seed_records(dir));
  int written = 0;
  for (const auto& [seed, record] : records) {
    const fs::path seed_dir = fs::path(dir) / report::failure_dir(seed);
    if (!record.failed() || !fs::is_regular_file(seed_dir / "history.jsonl") || fs::exists(seed_dir / "report.html"))
      continue;
    BOOST_OUTCOME_TRYV(report::write_run_report((seed_dir / "history.jsonl").string(), (seed_dir / "report.html").string(),
                                                registry, options));
    ++written;
  }
  return written;
}

int report(const ReportFlags& flags, const CommandContext& context) {
  if (flags.checker && context.registry.checker(*flags.checker) == nullptr)
    return error_line("--checker: unknown checker \"" + *flags.checker + "\"");
  report::ReportOptions options{.program = context.program, .checker = flags.checker};
  for (const std::string& text : flags.assignments) {
    auto assignment = parse_assignment(text);
    if (!assignment) return error_line("--option " + assignment.error().message);
    options.checker_options[assignment.value().first] = assignment.value().second;
  }
  if (!fs::exists(flags.input)) return error_line(flags.input + ": no such file or directory");
  const std::string out_path = flags.out_path.empty() ? report::default_report_path(flags.input) : flags.out_path;
  const bool campaign = fs::is_directory(flags.input) && fs::is_regular_file(fs::path(flags.input) / "campaign.json");
  if (campaign) {
    auto seeds = write_missing_seed_reports(flags.input, context.registry, options);
    if (!seeds) return error_line(seeds.error().message);
    if (seeds.value() > 0) std::cout << "wrote the reports of " << seeds.value() << " failing seeds\n";
    auto written = report::write_campaign_report(flags.input, out_path, context.program);
    if (!written) return error_line(written.error().message);
  } else {
    std::string history = fs::is_directory(flags.input) ? (fs::path(flags.input) / "history.jsonl").string() : flags.input;
    if (!fs::is_regular_file(history))
      return error_line(flags.input + ": holds no history.jsonl and no campaign.json");
    auto written = report::write_run_report(history, out_path, context.registry, options);
    if (!written) return error_line(written.error().message);
  }
  std::cout << "wrote " << out_path << "\n";
  return 0;
}

}  // namespace

void register_report_command(CLI::App& app, CommandContext& context) {
  static ReportFlags flags;
  auto* command = app.add_subcommand(
      "report", "write one self-contained HTML report of a run (DIR or HISTORY) or a campaign directory");
  command->add_option("input", flags.input, "a run directory, a history.jsonl or a campaign directory")->required();
  command->add_option("-o,--out", flags.out_path, "the HTML file (default: DIR/report.html)");
  command->add_option("--checker", flags.checker,
                      "judge a history that has no results.json with this checker (default: its system's claims, "
                      "else linearizable)");
  command->add_option("--option", flags.assignments, "a checker option, key=value (repeatable)")->allow_extra_args(false);
  command->callback([&context] { context.exit_code = report(flags, context); });
}

}  // namespace faultline::cli
