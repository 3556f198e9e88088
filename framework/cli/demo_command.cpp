// faultline demo: a short campaign on defaults over every built-in system and fault, and
// the planted bugs each system showcases; prints a table of claims held or violated.
// Each table row is one campaign (framework/campaign.h) using every core.
#include <algorithm>
#include <chrono>
#include <filesystem>
#include <functional>
#include <iostream>
#include <thread>

#include "base/text.h"
#include "framework/campaign.h"
#include "framework/cli/commands.h"
#include "framework/cli/demo_cap.h"
#include "framework/cli/error_line.h"
#include "framework/cli/flag_checks.h"
#include "framework/cli/progress.h"
#include "framework/cli/run_report.h"
#include "framework/cli/sha256.h"
#include "framework/cli/table.h"
#include "framework/scenario_fields.h"

namespace faultline::cli {

namespace {

struct DemoCell {
  std::string system;
  std::vector<std::string> nemesis;
  std::optional<std::string> bug;
};

struct CellOutcome {
  int seeds_run = 0;
  int seeds_violated = 0;
  int seeds_unknown = 0;
  std::optional<uint64_t> first_failing_seed;
  std::string failed_claims;
  std::string repro;  // commands for the first failing seed
  bool interrupted = false;  // Ctrl-C: the demo stops
  std::optional<std::string> error;  // why the row's campaign could not run at all
};

std::vector<DemoCell> demo_cells(const Registry& registry) {
  const std::vector<std::vector<std::string>> faults = {
      {}, {"partition"}, {"kill"}, {"crash"}, {"pause"}, {"clock"}, {"flaky"}, {"partition", "kill", "clock"}};
  std::vector<DemoCell> cells;
  for (const auto& [name, entry] : registry.systems()) {
    for (const auto& nemesis : faults) cells.push_back({name, nemesis, std::nullopt});
    for (const auto& [bug, nemesis] : entry.showcase_bugs) cells.push_back({name, nemesis, bug});
  }
  return cells;
}

// Also a directory name, so a fault option's ':' (crash:all) becomes '-'.
std::string cell_name(const DemoCell& cell) {
  std::string name = cell.system + "-" + (cell.nemesis.empty() ? "none" : joined(cell.nemesis, "+"));
  if (cell.bug) name += "-" + *cell.bug;
  std::replace(name.begin(), name.end(), ':', '-');
  return name;
}

// Each cell is a campaign over seeds 1..seed_count, run by the campaign engine in
// parallel processes; its directory is the demo's own, so an old one is replaced.
CellOutcome run_cell(const DemoCell& cell, int seed_count, int64_t time_ns, const std::string& out_root,
                     const CommandContext& context, const std::function<void(const SeedRecord&)>& on_seed) {
  const Registry& registry = context.registry;
  CampaignOptions options;
  options.scenario.system = cell.system;
  options.scenario.node_count = registry.system(cell.system)->default_nodes;
  options.scenario.workload = registry.system(cell.system)->workloads.front();  // the system's own first choice
  options.scenario.nemesis = cell.nemesis;
  options.scenario.bug = cell.bug;
  options.scenario.time_ns = time_ns;
  options.seeds = {1, static_cast<uint64_t>(seed_count)};
  options.jobs = std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
  options.out_dir = out_root + "/" + cell_name(cell);
  options.history_digest = sha256_hex;
  options.on_seed_finished = on_seed;
  CellOutcome outcome;
  std::error_code error;
  std::filesystem::remove_all(options.out_dir, error);
  if (error) {
    outcome.error = options.out_dir + ": cannot remove the previous demo: " + error.message();
    return outcome;
  }
  auto campaign = run_campaign(options, registry);
  if (!campaign) {
    outcome.error = campaign.error().message;
    return outcome;
  }
  const CampaignSummary& summary = campaign.value().summary;
  outcome.interrupted = campaign.value().interrupted;
  outcome.seeds_run = static_cast<int>(summary.records.size());
  outcome.seeds_violated = summary.seeds_failed;
  outcome.seeds_unknown = summary.seeds_unknown;
  for (const auto& record : summary.records) {
    if (!record.failed()) continue;
    Scenario scenario = options.scenario;
    scenario.seed = record.seed;
    std::string history = options.out_dir + "/" + failure_history_path(record.seed);
    outcome.first_failing_seed = record.seed;
    outcome.failed_claims = joined(record.failure_reasons(), ",");
    outcome.repro = context.program + " repro " + history + "\n    " +
                    run_command_line(scenario, std::filesystem::path(history).parent_path().string(), context.program);
    break;
  }
  return outcome;
}

TableRow table_row(const DemoCell& cell, const CellOutcome& outcome) {
  std::string verdict;
  if (outcome.error)
    verdict = "could not run";
  else if (outcome.seeds_violated > 0)
    verdict = "VIOLATED " + std::to_string(outcome.seeds_violated) + "/" +
              std::to_string(outcome.seeds_run) + " (" + outcome.failed_claims + ")";
  else if (outcome.seeds_unknown > 0)
    verdict = "unknown " + std::to_string(outcome.seeds_unknown) + "/" + std::to_string(outcome.seeds_run);
  else
    verdict = "held " + std::to_string(outcome.seeds_run) + "/" + std::to_string(outcome.seeds_run);
  return {cell.system, cell.bug.value_or("-"), cell.nemesis.empty() ? "none" : joined(cell.nemesis, ","),
          verdict, outcome.first_failing_seed ? std::to_string(*outcome.first_failing_seed) : "-"};
}

// The run length as --time of `run` takes it (same units and bounds), and an output folder
// that is one or can be made.
Result<int64_t> check_demo_flags(const std::string& time, const std::string& out_root) {
  Scenario scenario;
  for (const ScenarioField& field : scenario_fields())
    if (field.flag == "--time") {
      BOOST_OUTCOME_TRYV(set_field_from_text(field, scenario, time));
    }
  std::error_code error;
  std::filesystem::create_directories(out_root, error);
  if (error || !std::filesystem::is_directory(out_root))
    return fail("--out " + out_root + ": not a directory that can be made (" +
                (error ? error.message() : "a file is in the way") + ")");
  return scenario.time_ns;
}

int demo(int seed_count, const std::string& time, const std::string& out_root, bool quiet,
         const CommandContext& context) {
  const Registry& registry = context.registry;
  auto time_ns = check_demo_flags(time, out_root);
  if (!time_ns) {
    return error_line(time_ns.error().message);
  }
  std::vector<TableRow> rows;
  std::vector<std::string> repros;
  int rows_not_run = 0;
  const std::vector<DemoCell> cells = demo_cells(registry);
  const auto total = static_cast<int64_t>(cells.size()) * seed_count;
  Progress progress(Progress::mode_for(quiet));
  int64_t done = 0, failed = 0;
  const auto start = std::chrono::steady_clock::now();
  for (size_t row = 0; row < cells.size(); ++row) {
    const DemoCell& cell = cells[row];
    auto on_seed = [&](const SeedRecord& record) {
      ++done;
      failed += record.failed() ? 1 : 0;
      const double elapsed_s = seconds_since(start);
      progress.update("demo: row " + std::to_string(row + 1) + "/" + std::to_string(cells.size()) + " (" +
                      cell_name(cell) + "); " + seeds_progress(done, total, failed, elapsed_s));
    };
    CellOutcome outcome = run_cell(cell, seed_count, time_ns.value(), out_root, context, on_seed);
    if (outcome.interrupted) {
      progress.finish();
      std::cerr << "faultline: interrupted\n";
      return 130;
    }
    if (outcome.error) {
      ++rows_not_run;
      progress.note("faultline: " + cell_name(cell) + ": could not run: " + *outcome.error);
    }
    rows.push_back(table_row(cell, outcome));
    if (outcome.first_failing_seed) repros.push_back(cell_name(cell) + ":\n    " + outcome.repro);
  }
  progress.update("demo: the CAP rows (raft and dynamo under one partition, " + std::to_string(seed_count) + " seeds)");
  auto cap = cap_table(seed_count, time_ns.value(), registry, context.program);
  progress.finish();
  std::cout << render_table({"system", "planted bug", "faults", "claims over seeds", "first failing seed"}, rows);
  if (!repros.empty()) {
    std::cout << "\nReproduce a failure (byte-identical history), or rerun it from its flags:\n";
    for (const auto& repro : repros) std::cout << "  " << repro << "\n";
  }
  if (!cap) {
    ++rows_not_run;
    std::cerr << "faultline: the CAP rows could not run: " << cap.error().message << "\n";
  } else if (!cap.value().empty()) {
    std::cout << "\nCAP: raft (CP) and dynamo (AP) on the same seeds and faults. Runs twice as long as the rows above;\n"
                 "one partition of the 5 nodes into 2 and 3 for the second half, ended by the heal; 2 clients bound to\n"
                 "each node. A side's figure: the ops its clients invoked while partitioned that ended ok (raft's\n"
                 "minority gets a few answers only after the heal). Availability: dynamo's claim (>= 90% ok on every\n"
                 "side of every partition), judged on both stores' histories.\n"
              << cap.value();
  }
  if (rows_not_run > 0) {
    std::cerr << "faultline: " << rows_not_run << " of " << rows.size() << " rows could not run (see above)\n";
    return 2;
  }
  return 0;
}

}  // namespace

void register_demo_command(CLI::App& app, CommandContext& context) {
  static int seed_count = 10;
  static std::string time = "5s";
  static std::string out_root = "out/demo";
  auto* command = app.add_subcommand("demo", "a short fault campaign over every built-in system, as a table");
  command->add_option("--seeds", seed_count, "seeds per table row")->check(integer_in(1, 100'000));
  command->add_option("--time", time, "main phase per run (simulated)");
  command->add_option("--out", out_root, "where failing seeds' histories are kept");
  static bool quiet = false;
  command->add_flag("--quiet", quiet, "no progress line");
  command->callback([&context] { context.exit_code = demo(seed_count, time, out_root, quiet, context); });
}

}  // namespace faultline::cli
