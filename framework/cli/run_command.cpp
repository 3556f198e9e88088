// faultline run, repro and bugs. Runs and replays happen in a child process
// (framework/worker_processes.h): a seed that aborts is a failing run, not a crashed command.
#include <filesystem>
#include <iostream>
#include <optional>
#include <sstream>

#include "base/files.h"
#include "framework/abort_report.h"
#include "framework/campaign_record.h"
#include "framework/worker_processes.h"

#include "framework/cli/commands.h"
#include "framework/cli/error_line.h"
#include "framework/cli/run_report.h"
#include "framework/cli/scenario_flags.h"
#include "framework/cli/sha256.h"
#include "framework/report/report_files.h"
#include "histories/json_input.h"

namespace faultline::cli {

namespace {

// Where `run` writes. The history streams to a name that says it is incomplete and takes
// its real name only once every line reached the disk (or the run aborted, which
// results.json then records).
struct RunFiles {
  explicit RunFiles(const std::string& dir)
      : history(dir + "/history.jsonl"),
        partial(dir + "/history.jsonl.partial"),
        results(dir + "/results.json"),
        messages(dir + "/messages.jsonl"),
        report(dir + "/report.html"),
        work(dir + "/work") {}
  std::string history;
  std::string partial;
  std::string results;
  std::string messages;  // the messages around the witness (or all), on failure or when asked
  std::string report;    // report.html, on failure
  std::string work;      // a real-mode run's node processes keep their data and logs here
};

// What `run` writes besides the history and results.json.
struct InspectionFlags {
  bool record_messages = false;  // messages.jsonl even when every claim held
  bool no_report = false;        // no report.html for a failing run
};

// report.html for a run that failed (issue 14): the history, results.json and messages.jsonl drawn.
void write_report(const RunFiles& files, const Registry& registry, const std::string& program) {
  auto written = report::write_run_report(files.history, files.report, registry, {.program = program});
  if (!written) {
    std::cerr << "faultline: the report could not be written: " << written.error().message << "\n";
    return;
  }
  std::cout << "wrote " << files.report << " (open it in a browser)\n";
}

Result<void> rename_file(const std::string& from, const std::string& to) {
  std::error_code error;
  std::filesystem::rename(from, to, error);
  if (error) return fail(to + ": cannot rename into place: " + error.message());
  return outcome::success();
}

// The body of the run's child process: the run, its history and results.json; on failure
// (or when asked) its messages.jsonl, and on failure report.html.
int run_and_write(const Scenario& scenario, const RunFiles& files, const InspectionFlags& inspection,
                  const CommandContext& context) {
  const Registry& registry = context.registry;
  auto file = FileSink::open(files.partial);
  if (!file) return error_line(file.error().message);
  MemorySink copy;
  TeeSink sink(*file.value(), copy);
  std::vector<MessageRecord> messages;
  const bool real = scenario.runtime == kRuntimeReal;  // no message log: the nodes talk directly
  auto result = run_scenario(scenario, registry, sink, real ? nullptr : &messages, files.work);
  if (!result) return error_line(result.error().message);
  auto closed = file.value()->close(Durability::survives_power_loss);
  if (!closed) return error_line(closed.error().message + " (the history is incomplete)");
  auto renamed = rename_file(files.partial, files.history);
  if (!renamed) return error_line(renamed.error().message);
  std::string hash = sha256_hex(copy.text());
  auto written = write_file_atomically(files.results, results_json(result.value(), hash).dump(2) + "\n");
  if (!written) return error_line(written.error().message);
  std::cout << run_summary(result.value(), hash);
  std::cout << "wrote " << files.history << " and " << files.results << "\n";
  const int exit_code = run_exit_code(result.value());
  if (!real && (exit_code != 0 || inspection.record_messages)) {
    auto logged = report::write_message_log(files.messages, result.value(), messages, scenario.node_count);
    if (!logged) return error_line(logged.error().message);
    std::cout << "wrote " << files.messages << "\n";
  }
  if (exit_code != 0 && !inspection.no_report) write_report(files, registry, context.program);
  return exit_code;
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

// A run whose process aborted (FAULTLINE_ASSERT in a protocol core, a crash) is a failing
// run: its history up to the abort is kept and results.json records the abort.
int report_abort(const AbortReport& abort, const Scenario& scenario, const std::vector<ClaimSpec>& claims,
                 const RunFiles& files) {
  auto history = read_whole_file(files.partial);
  if (!history) return error_line(history.error().message);
  auto renamed = rename_file(files.partial, files.history);
  if (!renamed) return error_line(renamed.error().message);
  std::string hash = sha256_hex(history.value());
  auto written = write_file_atomically(files.results,
                                       aborted_results_json(scenario, claims, abort, hash).dump(2) + "\n");
  if (!written) return error_line(written.error().message);
  std::cout << aborted_summary(abort, hash);
  std::cout << "wrote " << files.history << " (up to the abort) and " << files.results << "\n";
  return 1;
}

// The exit code of a child that ended by itself: its own (0, 1, 2, 3), or 2 for anything
// else (it could not even start).
int child_exit_code(const CapturedExit& ended) {
  std::cerr << ended.stderr_text;
  int code = ended.exit.exit_code;
  if (code >= 0 && code <= 3) return code;
  return error_line("the run's process ended with exit code " + std::to_string(code));
}

int stopped_from_outside(const AbortReport& abort, const std::string& what, const std::string& kept) {
  return error_line(what + " was stopped by " + signal_name(abort.signal) + (kept.empty() ? "" : "; " + kept),
                      128 + abort.signal);
}

// The run happens in a child process, so an abort ends the child, not this command.
int run(const ScenarioFlags& flags, const std::string& out_dir, const InspectionFlags& inspection,
        const CommandContext& context) {
  const Registry& registry = context.registry;
  auto scenario = to_scenario(flags, registry);
  if (!scenario) return error_line(scenario.error().message);
  if (inspection.record_messages && scenario.value().runtime == kRuntimeReal)
    return error_line("--record-messages: not in real mode (the nodes talk to each other directly)");
  auto system = registry.make_system(scenario.value());  // its claims name what an abort left unjudged
  if (!system) return error_line(system.error().message);
  std::error_code error;
  std::filesystem::create_directories(out_dir, error);
  if (error) return error_line(out_dir + ": cannot create directory: " + error.message());
  RunFiles files(out_dir);
  // A previous run's files would look like this run's results if this one fails.
  for (const auto& stale : {files.history, files.results, files.messages, files.report})
    std::filesystem::remove(stale, error);
  auto ended = run_in_child([&] { return run_and_write(scenario.value(), files, inspection, context); });
  if (!ended) return error_line(ended.error().message);
  auto abort = abort_report(ended.value());
  if (!abort) return child_exit_code(ended.value());
  std::cerr << ended.value().stderr_text;
  if (killed_from_outside(abort->signal))
    return stopped_from_outside(*abort, "the run", files.partial + " holds what it recorded");
  const int exit_code = report_abort(*abort, scenario.value(), system.value()->claims(), files);
  if (exit_code == 1 && !inspection.no_report) write_report(files, registry, context.program);
  return exit_code;
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

// The body of the replay's child process: the history streamed to replay_path.
int replay_into(const Scenario& scenario, const std::string& replay_path, const std::string& where,
                const Registry& registry) {
  auto file = FileSink::open(replay_path);
  if (!file) return error_line(file.error().message);
  auto result = run_scenario(scenario, registry, *file.value());
  if (!result) return error_line(where + ": " + result.error().message);
  auto closed = file.value()->close();
  if (!closed) return error_line(closed.error().message);
  return 0;
}

// The replay runs in a child process: a recorded run that aborted aborts again, and its
// history up to the abort is compared like any other.
int repro(const std::string& path, const Registry& registry) {
  auto recorded = read_whole_file(path);
  if (!recorded) return error_line(recorded.error().message);
  std::string first_line = recorded.value().substr(0, recorded.value().find('\n'));
  auto header = parse_json_input(first_line);  // bounded: a deep value would overflow the stack
  if (!header) return error_line(path + ":1: " + header.error().message);
  auto scenario = scenario_from_header(header.value(), path + ":1");
  if (!scenario) return error_line(scenario.error().message);
  if (auto replayable = check_replayable(scenario.value(), path + ":1"); !replayable)
    return error_line(replayable.error().message);
  auto scratch = ScratchDirectory::create("faultline-repro");
  if (!scratch) return error_line(scratch.error().message);
  const std::string replay_path = scratch.value().path() + "/history.jsonl";
  auto ended = run_in_child([&] { return replay_into(scenario.value(), replay_path, path + ":1", registry); });
  if (!ended) return error_line(ended.error().message);
  auto abort = abort_report(ended.value());
  if (!abort && ended.value().exit.exit_code != 0) return child_exit_code(ended.value());
  if (abort && killed_from_outside(abort->signal)) return stopped_from_outside(*abort, "the replay", "");
  auto replayed = read_whole_file(replay_path);
  if (!replayed) return error_line(replayed.error().message);
  if (replayed.value() == recorded.value()) {
    std::cout << "identical " << sha256_hex(recorded.value()) << "\n";
    // A recording that went on past this point would differ: it ended where the replay aborted.
    if (abort) std::cout << "the replay aborted where the recording ends, as it did: " << abort->describe() << "\n";
    return 0;
  }
  std::cout << "DIFFERENT: recorded " << sha256_hex(recorded.value()) << ", replayed "
            << sha256_hex(replayed.value()) << "\n";
  if (abort) std::cout << "the replay aborted: " << abort->describe() << "\n";
  show_first_difference(recorded.value(), replayed.value());
  return 1;
}

}  // namespace

void register_run_commands(CLI::App& app, CommandContext& context) {
  static ScenarioFlags flags;
  static std::string out_dir = "out";
  static InspectionFlags inspection;
  auto* run_command = app.add_subcommand(
      "run", "run one scenario; writes DIR/history.jsonl and DIR/results.json (and, on failure, "
             "DIR/messages.jsonl and DIR/report.html)");
  add_scenario_flags(*run_command, flags, context.registry);
  run_command->add_option("--out", out_dir, "output directory");
  run_command->add_flag("--record-messages", inspection.record_messages,
                        "write DIR/messages.jsonl even when every claim held");
  run_command->add_flag("--no-report", inspection.no_report, "no DIR/report.html for a failing run");
  run_command->callback([&context] { context.exit_code = run(flags, out_dir, inspection, context); });

  static std::string history_path;
  auto* repro_command = app.add_subcommand("repro", "rerun a history's scenario and compare byte for byte");
  repro_command->add_option("history", history_path, "a history.jsonl with its header")->required();
  repro_command->callback([&context] { context.exit_code = repro(history_path, context.registry); });
}

}  // namespace faultline::cli
