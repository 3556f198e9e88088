// faultline run, repro and bugs.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "framework/cli/commands.h"
#include "framework/cli/run_report.h"
#include "framework/cli/scenario_flags.h"
#include "framework/cli/sha256.h"
#include "histories/json_input.h"

namespace faultline::cli {

namespace {

int report_error(const std::string& message, int exit_code = 2) {
  std::cerr << "faultline: " << message << "\n";
  return exit_code;
}

int run(const ScenarioFlags& flags, const std::string& out_dir, const Registry& registry) {
  auto scenario = to_scenario(flags, registry);
  if (!scenario) return report_error(scenario.error().message);
  std::error_code error;
  std::filesystem::create_directories(out_dir, error);
  if (error) return report_error(out_dir + ": cannot create directory: " + error.message());
  auto file = FileSink::open(out_dir + "/history.jsonl");
  if (!file) return report_error(file.error().message);
  MemorySink copy;
  TeeSink sink(*file.value(), copy);
  auto result = run_scenario(scenario.value(), registry, sink);
  if (!result) return report_error(result.error().message);
  std::string hash = sha256_hex(copy.text());
  std::ofstream(out_dir + "/results.json") << results_json(result.value(), hash).dump(2) << "\n";
  std::cout << run_summary(result.value(), hash);
  std::cout << "wrote " << out_dir << "/history.jsonl and " << out_dir << "/results.json\n";
  return run_exit_code(result.value());
}

// Shows the first line where two histories differ (1-based), for a failed replay.
void show_first_difference(const std::string& expected, const std::string& actual) {
  std::istringstream a(expected), b(actual);
  std::string line_a, line_b;
  for (int line = 1;; ++line) {
    bool more_a = static_cast<bool>(std::getline(a, line_a));
    bool more_b = static_cast<bool>(std::getline(b, line_b));
    if (!more_a && !more_b) return;
    if (more_a != more_b || line_a != line_b) {
      std::cout << "first difference at line " << line << ":\n  recorded: "
                << (more_a ? line_a : "(end of file)") << "\n  replayed: "
                << (more_b ? line_b : "(end of history)") << "\n";
      return;
    }
  }
}

int repro(const std::string& path, const Registry& registry) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return report_error(path + ": cannot open");
  std::string recorded((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::string first_line = recorded.substr(0, recorded.find('\n'));
  auto header = parse_json_input(first_line);  // bounded: a deep value would overflow the stack
  if (!header) return report_error(path + ":1: " + header.error().message);
  auto scenario = scenario_from_header(header.value(), path + ":1");
  if (!scenario) return report_error(scenario.error().message);
  MemorySink replayed;
  auto result = run_scenario(scenario.value(), registry, replayed);
  if (!result) return report_error(path + ":1: " + result.error().message);
  if (replayed.text() == recorded) {
    std::cout << "identical " << sha256_hex(recorded) << "\n";
    return 0;
  }
  std::cout << "DIFFERENT: recorded " << sha256_hex(recorded) << ", replayed "
            << sha256_hex(replayed.text()) << "\n";
  show_first_difference(recorded, replayed.text());
  return 1;
}

}  // namespace

void register_run_commands(CLI::App& app, CommandContext& context) {
  static ScenarioFlags flags;
  static std::string out_dir = "out";
  auto* run_command = app.add_subcommand("run", "run one scenario; writes DIR/history.jsonl and DIR/results.json");
  add_scenario_flags(*run_command, flags, context.registry);
  run_command->add_option("--out", out_dir, "output directory");
  run_command->callback([&context] { context.exit_code = run(flags, out_dir, context.registry); });

  static std::string history_path;
  auto* repro_command = app.add_subcommand("repro", "rerun a history's scenario and compare byte for byte");
  repro_command->add_option("history", history_path, "a history.jsonl with its header")->required();
  repro_command->callback([&context] { context.exit_code = repro(history_path, context.registry); });
}

}  // namespace faultline::cli
