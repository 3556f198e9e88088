// faultline run, repro and bugs.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>

#include "framework/cli/commands.h"
#include "framework/cli/run_report.h"
#include "framework/cli/scenario_flags.h"
#include "framework/cli/sha256.h"

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

// A copy that differs only in its line ends (CRLF from an editor or a Windows checkout, or
// a lost final newline) says so, instead of showing two lines that look the same.
std::optional<std::string> line_end_difference(const std::string& recorded, const std::string& replayed) {
  std::string normalized;
  for (size_t i = 0; i < recorded.size(); ++i)
    if (!(recorded[i] == '\r' && i + 1 < recorded.size() && recorded[i + 1] == '\n')) normalized += recorded[i];
  const bool crlf = normalized.size() != recorded.size();
  const bool no_final_newline = !normalized.empty() && normalized.back() != '\n';
  if (no_final_newline) normalized += '\n';
  if (normalized != replayed) return std::nullopt;
  std::string what = crlf ? "has CRLF line ends where the replay has LF" : "";
  if (no_final_newline) what += std::string(crlf ? " and " : "") + "lacks the final newline";
  return "identical except line ends: the recorded file " + what;
}

// Shows the first line where two histories differ (1-based), for a failed replay.
void show_first_difference(const std::string& expected, const std::string& actual) {
  if (auto line_ends = line_end_difference(expected, actual)) {
    std::cout << *line_ends << "\n";
    return;
  }
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
  if (std::filesystem::is_directory(path))
    return report_error(path + ": is a directory; repro takes a history file (e.g. " + path + "/history.jsonl)");
  std::ifstream in(path, std::ios::binary);
  if (!in) return report_error(path + ": cannot open");
  std::string recorded((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::string first_line = recorded.substr(0, recorded.find('\n'));
  Json header = Json::parse(first_line, nullptr, false);
  auto scenario = scenario_from_header(header, path + ":1");
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
