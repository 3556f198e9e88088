// faultline shrink: reduce a failing scenario to a small counterexample.
#include <filesystem>
#include <fstream>
#include <iostream>

#include "framework/cli/commands.h"
#include "framework/cli/run_report.h"
#include "framework/cli/sha256.h"
#include "framework/shrink.h"
#include "histories/json_input.h"

namespace faultline::cli {

namespace {

namespace fs = std::filesystem;

// A history file; a run directory (DIR/history.jsonl); or a campaign directory, whose
// first failing seed (DIR/failures/seed-N/history.jsonl, lowest N) is taken.
Result<std::string> find_history(const std::string& input) {
  if (fs::is_regular_file(input)) return input;
  if (!fs::is_directory(input)) return fail(input + ": no such file or directory");
  if (fs::is_regular_file(fs::path(input) / "history.jsonl")) return (fs::path(input) / "history.jsonl").string();
  std::optional<std::pair<long, std::string>> first;
  fs::path failures = fs::path(input) / "failures";
  if (fs::is_directory(failures)) {
    for (const auto& entry : fs::directory_iterator(failures)) {
      std::string name = entry.path().filename().string();
      if (name.rfind("seed-", 0) != 0 || !fs::is_regular_file(entry.path() / "history.jsonl")) continue;
      long seed = std::strtol(name.c_str() + 5, nullptr, 10);
      if (!first || seed < first->first) first = {{seed, (entry.path() / "history.jsonl").string()}};
    }
  }
  if (!first) return fail(input + ": holds no history.jsonl and no failures/seed-N/history.jsonl");
  return first->second;
}

Result<Scenario> scenario_of(const std::string& path) {
  std::ifstream in(path);
  std::string first_line;
  std::getline(in, first_line);
  auto header = parse_json_input(first_line);  // bounded: a deep value would overflow the stack
  if (!header) return fail(path + ":1: " + header.error().message);
  return scenario_from_header(header.value(), path + ":1");
}

int shrink_command(const std::string& input, const std::string& out_dir, int max_runs, const Registry& registry) {
  auto path = find_history(input);
  if (!path) return std::cerr << "faultline: " << path.error().message << "\n", 2;
  auto scenario = scenario_of(path.value());
  if (!scenario) return std::cerr << "faultline: " << scenario.error().message << "\n", 2;
  auto shrunk = shrink(scenario.value(), registry, ShrinkOptions{max_runs});
  if (!shrunk) return std::cerr << "faultline: " << path.value() << ": " << shrunk.error().message << "\n", 1;
  const ShrinkResult& result = shrunk.value();
  std::error_code error;
  fs::create_directories(out_dir, error);
  if (error) return std::cerr << "faultline: " << out_dir << ": cannot create directory\n", 2;
  std::ofstream(out_dir + "/history.jsonl", std::ios::binary) << result.minimal_history;
  std::string hash = sha256_hex(result.minimal_history);
  std::ofstream(out_dir + "/results.json") << results_json(result.minimal_run, hash).dump(2) << "\n";
  std::cout << "shrunk " << path.value() << " in " << result.runs << " runs"
            << (result.budget_exhausted ? " (run budget reached: smaller may exist)" : "") << "\n"
            << "  before: " << describe(result.before) << "\n"
            << "  after:  " << describe(result.after) << "\n"
            << run_summary(result.minimal_run, hash)
            << "wrote " << out_dir << "/history.jsonl; replay it with: faultline repro " << out_dir
            << "/history.jsonl\n";
  return 0;
}

}  // namespace

void register_shrink_command(CLI::App& app, CommandContext& context) {
  static std::string input;
  static std::string out_dir = "out/shrunk";
  static int max_runs = ShrinkOptions{}.max_runs;
  auto* command = app.add_subcommand("shrink", "reduce a failing run to a small counterexample");
  command->add_option("input", input, "a history.jsonl, a run directory or a campaign directory")->required();
  command->add_option("--out", out_dir, "where the minimal history and results go");
  command->add_option("--max-runs", max_runs, "candidate runs at most")->check(CLI::PositiveNumber);
  command->callback([&context] { context.exit_code = shrink_command(input, out_dir, max_runs, context.registry); });
}

}  // namespace faultline::cli
