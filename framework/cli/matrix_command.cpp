// faultline matrix: what each configuration of a system promises and gives up, measured. Each
// of the system's configurations (SystemEntry::configurations: a workload and params) runs
// under each fault package for the same seeds (one campaign per cell), and the table shows,
// per configuration and claim: held, VIOLATED (the fault package and first seed), or for a
// claim the configuration does not make, "not claimed" with how often it was broken.
#include <chrono>
#include <filesystem>
#include <functional>
#include <iostream>
#include <map>
#include <thread>

#include "framework/campaign.h"
#include "framework/cli/commands.h"
#include "framework/cli/error_line.h"
#include "framework/cli/flag_checks.h"
#include "framework/cli/progress.h"
#include "framework/cli/scenario_flags.h"
#include "framework/cli/sha256.h"
#include "framework/cli/table.h"

namespace faultline::cli {

namespace {

struct MatrixFlags {
  ScenarioFlags scenario;  // the base: --system, timing, load; each configuration sets workload and params
  int seed_count = 20;
  std::string packages = "partition,kill,crash,pause,clock";
  int jobs = std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
  std::string out_dir = "out/matrix";
  bool quiet = false;
};

// One claim of one configuration, over every fault package.
struct ClaimCell {
  bool claimed = true;
  int seeds = 0;
  int violated = 0;
  int unknown = 0;
  std::string first_failure;  // "kill seed 7"
};

struct ConfigurationRow {
  std::string name;
  std::map<std::string, ClaimCell> claims;  // by claim name
  std::vector<std::string> order;           // claim names as the system lists them
  std::string error;                        // why a cell could not run
};

std::vector<std::string> split(const std::string& text) {
  std::vector<std::string> parts;
  for (size_t start = 0; start <= text.size();) {
    size_t end = std::min(text.find(',', start), text.size());
    parts.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return parts;
}

// The system's configurations, or its default when it declares none.
std::vector<SystemEntry::Configuration> configurations_of(const SystemEntry& entry) {
  if (!entry.configurations.empty()) return entry.configurations;
  return {{.name = "default", .workload = entry.workloads.front()}};
}

void tally(ConfigurationRow& row, const CampaignSummary& summary, const std::string& package) {
  for (const SeedRecord& record : summary.records) {
    for (const ClaimVerdict& verdict : record.claims) {
      auto [it, added] = row.claims.try_emplace(verdict.claim);
      if (added) row.order.push_back(verdict.claim);
      ClaimCell& cell = it->second;
      cell.claimed = verdict.claimed;
      ++cell.seeds;
      if (verdict.verdict == Verdict::unknown) ++cell.unknown;
      if (verdict.verdict != Verdict::invalid) continue;
      if (cell.violated++ == 0) cell.first_failure = package + " seed " + std::to_string(record.seed);
    }
  }
}

std::string cell_text(const ClaimCell& cell) {
  const std::string counts = std::to_string(cell.violated) + "/" + std::to_string(cell.seeds);
  if (!cell.claimed)
    return cell.violated > 0 ? "not claimed (broken " + counts + ")" : "not claimed (none seen)";
  if (cell.violated > 0) return "VIOLATED " + counts + " (" + cell.first_failure + ")";
  if (cell.unknown > 0) return "unknown " + std::to_string(cell.unknown) + "/" + std::to_string(cell.seeds);
  return "held " + std::to_string(cell.seeds);
}

Result<CampaignSummary> run_cell(const Scenario& scenario, const MatrixFlags& flags, const std::string& dir,
                                 const Registry& registry, const std::function<void(const SeedRecord&)>& on_seed) {
  CampaignOptions options{.scenario = scenario,
                          .seeds = {1, static_cast<uint64_t>(flags.seed_count)},
                          .jobs = flags.jobs,
                          .out_dir = dir,
                          .history_digest = sha256_hex,
                          .on_seed_finished = on_seed};
  std::error_code error;
  std::filesystem::remove_all(dir, error);  // the matrix's own directory: a rerun replaces it
  if (error) return fail(dir + ": cannot remove the previous matrix: " + error.message());
  BOOST_OUTCOME_TRY(outcome, run_campaign(options, registry));
  if (outcome.interrupted) return fail("interrupted");
  return outcome.summary;
}

// The configuration's scenario: the base flags with its workload and params.
Result<Scenario> configuration_scenario(const MatrixFlags& flags, const SystemEntry::Configuration& configuration,
                                        const std::string& package, const Registry& registry) {
  ScenarioFlags scenario_flags = flags.scenario;
  scenario_flags.workload = configuration.workload;
  if (package == "none")
    scenario_flags.nemesis.reset();  // the fault-free baseline
  else
    scenario_flags.nemesis = package;
  for (const auto& [key, value] : configuration.params.items())
    scenario_flags.params.push_back(key + "=" + (value.is_string() ? value.get<std::string>() : value.dump()));
  auto scenario = to_scenario(scenario_flags, registry);
  if (!scenario) return fail("configuration " + configuration.name + ": " + scenario.error().message);
  return scenario;
}

int print_matrix(const std::vector<ConfigurationRow>& rows, const MatrixFlags& flags) {
  std::vector<std::string> claims;  // every claim of any configuration, in first-seen order
  for (const auto& row : rows)
    for (const auto& claim : row.order)
      if (std::find(claims.begin(), claims.end(), claim) == claims.end()) claims.push_back(claim);
  TableRow header{"configuration"};
  header.insert(header.end(), claims.begin(), claims.end());
  std::vector<TableRow> table;
  bool violated = false, unknown = false;
  for (const auto& row : rows) {
    TableRow line{row.name};
    for (const auto& claim : claims) {
      auto it = row.claims.find(claim);
      line.push_back(it == row.claims.end() ? "-" : cell_text(it->second));
      if (it == row.claims.end() || !it->second.claimed) continue;
      violated = violated || it->second.violated > 0;
      unknown = unknown || it->second.unknown > 0;
    }
    table.push_back(std::move(line));
  }
  std::cout << render_table(header, table) << "seeds 1.." << flags.seed_count << " under each of: " << flags.packages
            << "; failing seeds are kept under " << flags.out_dir << "\n";
  return violated ? 1 : unknown ? 3 : 0;
}

// Every cell's scenario, checked before the first cell runs: a bad package or parameter is
// a usage error at once, not after an hour of cells.
Result<std::vector<std::vector<Scenario>>> matrix_scenarios(const SystemEntry& entry, const MatrixFlags& flags,
                                                            const Registry& registry) {
  for (const std::string& package : split(flags.packages)) {
    Scenario faults{.nemesis = {package}};
    if (package == "none") continue;
    auto made = registry.make_nemeses(faults);
    if (!made) return fail("--packages: " + made.error().message);
  }
  std::vector<std::vector<Scenario>> scenarios;
  for (const auto& configuration : configurations_of(entry)) {
    scenarios.emplace_back();
    for (const std::string& package : split(flags.packages)) {
      BOOST_OUTCOME_TRY(scenario, configuration_scenario(flags, configuration, package, registry));
      scenarios.back().push_back(std::move(scenario));
    }
  }
  return scenarios;
}

int matrix(const MatrixFlags& flags, const CommandContext& context) {
  const Registry& registry = context.registry;
  const SystemEntry* entry = registry.system(flags.scenario.system);
  if (entry == nullptr) return std::cerr << "faultline: --system: unknown system \"" << flags.scenario.system << "\"\n", 2;
  auto scenarios = matrix_scenarios(*entry, flags, registry);
  if (!scenarios) return error_line(scenarios.error().message);
  const std::vector<std::string> packages = split(flags.packages);
  const auto configurations = configurations_of(*entry);
  std::vector<ConfigurationRow> rows;
  const auto total = static_cast<int64_t>(configurations.size() * packages.size()) * flags.seed_count;
  Progress progress(Progress::mode_for(flags.quiet));
  int64_t done = 0, failed = 0;
  const auto start = std::chrono::steady_clock::now();
  for (size_t row_index = 0; row_index < configurations.size(); ++row_index) {
    ConfigurationRow row{.name = configurations[row_index].name};
    for (size_t package_index = 0; package_index < packages.size(); ++package_index) {
      std::string dir = flags.out_dir + "/" + row.name + "/" + packages[package_index];
      std::replace(dir.begin(), dir.end(), ':', '-');
      auto on_seed = [&](const SeedRecord& record) {
        ++done;
        failed += record.failed() ? 1 : 0;
        const double elapsed_s = seconds_since(start);
        progress.update("matrix: " + row.name + " under " + packages[package_index] + "; " +
                        seeds_progress(done, total, failed, elapsed_s));
      };
      auto summary = run_cell(scenarios.value()[row_index][package_index], flags, dir, registry, on_seed);
      if (!summary) return progress.finish(), error_line(dir + ": " + summary.error().message);
      tally(row, summary.value(), packages[package_index]);
    }
    rows.push_back(std::move(row));
  }
  progress.finish();
  return print_matrix(rows, flags);
}

}  // namespace

void register_matrix_command(CLI::App& app, CommandContext& context) {
  static MatrixFlags flags;
  auto* command = app.add_subcommand(
      "matrix", "each configuration of a system under each fault package: what it claims, what holds, what it gives up");
  add_scenario_flags(*command, flags.scenario, context.registry);
  for (const char* taken : {"--workload", "--nemesis", "--param", "--mix", "--seed"})
    command->remove_option(command->get_option(taken));  // set per configuration and cell
  command->add_option("--seeds", flags.seed_count, "seeds per cell (1..N)")
      ->check(integer_in(1, 100'000))
      ->capture_default_str();
  command->add_option("--packages", flags.packages, "fault packages, one cell each, comma-separated (none: no faults)")
      ->capture_default_str();
  command->add_option("--jobs", flags.jobs, "seeds run at once")->check(integer_in(1, 1024));
  command->add_option("--out", flags.out_dir, "where each cell's campaign is kept")->capture_default_str();
  command->add_flag("--quiet", flags.quiet, "no progress line");
  command->callback([&context] { context.exit_code = matrix(flags, context); });
}

}  // namespace faultline::cli
