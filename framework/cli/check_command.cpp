// faultline check (any registered checker on history files; the linearizability checker by
// default) and faultline import (public Jepsen / Porcupine histories into our JSONL format).
#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <mutex>
#include <new>
#include <thread>
#include <variant>

#include "base/files.h"
#include "base/text.h"
#include "checkers/check_progress.h"
#include "checkers/lin_model.h"
#include "framework/cli/commands.h"
#include "framework/cli/error_line.h"
#include "framework/cli/flag_checks.h"
#include "framework/cli/progress.h"
#include "histories/import.h"
#include "histories/input_limits.h"
#include "histories/json_input.h"
#include "histories/jsonl.h"

namespace faultline::cli {

namespace {

struct CheckOptions {
  std::string checker = "linearizable";
  std::vector<std::string> assignments;  // --option key=value
  std::string model = "kv";
  std::string initial_json = "null";
  bool json = false;
  double time_limit_s = 0;
  size_t memory_limit_mib = 2048;
  int threads = 1;
  bool quiet = false;
  std::vector<std::string> files;
};

// "3 of 4 partitions decided, 1.2M configurations explored": what the search has done so far
// (checkers/check_progress.h); empty for a checker that reports nothing.
std::string search_progress_text() {
  const CheckProgress& progress = check_progress();
  if (progress.partitions == 0) return "";
  const uint64_t steps = progress.search_steps;
  char explored[32];
  if (steps >= 1'000'000)
    std::snprintf(explored, sizeof explored, "%.1fM", static_cast<double>(steps) / 1e6);
  else
    std::snprintf(explored, sizeof explored, "%llu", static_cast<unsigned long long>(steps));
  return ", " + std::to_string(progress.partitions_decided.load()) + " of " + std::to_string(progress.partitions.load()) +
         " partitions decided, " + explored + " configurations explored";
}

// While a check runs, a line on the terminal says how long it has run against its time
// budget and how far the search got (issue 14, item 9), from the first second on: a short
// check shows nothing.
class CheckTicker {
 public:
  CheckTicker(Progress::Mode mode, std::string what, double budget_s)
      : progress_(mode), what_(std::move(what)), budget_s_(budget_s), thread_([this] { tick(); }) {}
  ~CheckTicker() {
    {
      std::lock_guard lock(mutex_);
      done_ = true;
    }
    wake_.notify_all();
    thread_.join();
    progress_.finish();
  }

 private:
  void tick() {
    const auto start = std::chrono::steady_clock::now();
    std::unique_lock lock(mutex_);
    while (!wake_.wait_for(lock, std::chrono::milliseconds(250), [this] { return done_; })) {
      const double elapsed_s = seconds_since(start);
      if (elapsed_s < 1) continue;
      progress_.update("check: " + what_ + ": " + format_duration_s(elapsed_s) +
                       (budget_s_ > 0 ? " of a " + format_duration_s(budget_s_) + " budget" : " (no time limit)") +
                       search_progress_text());
    }
  }

  Progress progress_;
  std::string what_;
  double budget_s_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool done_ = false;
  std::thread thread_;  // last: started once every other member is ready
};

struct ImportOptions {
  std::string format;
  std::string input;
  std::string output;
};

int exit_code_of(Verdict verdict) {
  switch (verdict) {
    case Verdict::valid: return 0;
    case Verdict::invalid: return 1;
    case Verdict::unknown: return 3;
  }
  return 3;
}

// rendered_by_checker: false for a result the command line made (the checker's renderer
// expects its own evidence).
void print_result(const std::string& path, const CheckerEntry& checker, const CheckResult& result, bool json,
                  bool rendered_by_checker) {
  if (json) {
    Json out = {{"file", path},          {"verdict", to_string(result.verdict)},
                {"checker", result.checker}, {"summary", result.summary},
                {"evidence", result.evidence}};
    std::printf("%s\n", out.dump().c_str());
    return;
  }
  const std::string text = rendered_by_checker ? render_result(checker, result)
                                               : std::string(to_string(result.verdict)) + ": " + result.summary + "\n";
  std::printf("%s: %s", path.c_str(), text.c_str());
}

// An error line stays readable whatever the input held (error_line caps it).
int usage_error(const std::string& message) { return error_line(message); }

// The checker's options: the linearizability shortcuts (--model, --initial, --time-limit,
// --memory-limit, --threads) for the linearizable checker, then every --option.
Result<Json> checker_options(const CheckOptions& options, const CLI::App& command) {
  Json given = Json::object();
  if (options.checker == "linearizable") {
    auto parsed = parse_json_input(options.initial_json);
    if (!parsed) return fail("--initial " + excerpt(options.initial_json) + ": " + parsed.error().message);
    const Json& initial = parsed.value();
    given = {{"model", options.model}, {"time_limit_s", options.time_limit_s},
             {"memory_limit_mib", options.memory_limit_mib}, {"threads", options.threads}};
    if (!initial.is_null()) given["initial"] = initial;
  } else {
    for (const char* flag : {"--model", "--initial", "--time-limit", "--memory-limit", "--threads"})
      if (command.count(flag) > 0)
        return fail(std::string(flag) + " applies to the linearizable checker; use --option key=value");
  }
  for (const std::string& text : options.assignments) {
    auto assignment = parse_assignment(text);
    if (!assignment) return fail("--option: " + assignment.error().message);
    given[assignment.value().first] = assignment.value().second;
  }
  return given;
}

std::string checker_names(const Registry& registry) {
  std::string names;
  for (const auto& [name, entry] : registry.checkers()) names += (names.empty() ? "" : ", ") + name;
  return names;
}

// A checker whose options hold a time limit and a memory cap (the linearizable checker) has
// them cover the reading of the file too (issue 9, defect 14).
ReadBudget read_budget_of(const Json& options, std::chrono::steady_clock::time_point started) {
  ReadBudget budget;
  // A limit of a billion seconds or more is no limit (and would overflow the clock).
  if (auto it = options.find("time_limit_s"); it != options.end() && it->get<double>() > 0 && it->get<double>() < 1e9)
    budget.deadline = started + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                    std::chrono::duration<double>(it->get<double>()));
  if (auto it = options.find("memory_limit_mib"); it != options.end()) {
    const size_t mib = it->get<size_t>();
    budget.memory_limit_bytes = mib > (SIZE_MAX >> 20) ? SIZE_MAX : mib << 20;
  }
  return budget;
}

struct FileOutcome {
  CheckResult result;
  bool judged_by_checker = true;
};

// A verdict the command line reaches without the checker: unknown, with why.
FileOutcome unknown_without_checker(const CheckerEntry& checker, std::string summary) {
  return FileOutcome{.result = CheckResult{.verdict = Verdict::unknown, .checker = checker.name,
                                           .summary = std::move(summary), .evidence = Json::object()},
                     .judged_by_checker = false};
}

std::string stopped_reading(const BudgetedRead& read, const Json& options, double elapsed_s) {
  const std::string where = " while reading the history (at line " + std::to_string(read.stopped_at_line) + ", after ";
  char seconds[32];
  std::snprintf(seconds, sizeof seconds, "%.3g s)", elapsed_s);
  if (read.stopped_by == BudgetedRead::Stop::time_limit)
    return "time limit of " + options.at("time_limit_s").dump() + " s reached" + where + seconds + "; nothing was judged.";
  return "memory cap of " + options.at("memory_limit_mib").dump() + " MiB reached" + where + seconds +
         "; nothing was judged.";
}

bool has_client_op(const History& history) {
  return std::any_of(history.ops.begin(), history.ops.end(), [](const Op& op) { return !op.is_nemesis(); });
}

// One file: its result, or the exit code 2 after printing the error. A history with no
// client op is unknown ("nothing to judge"), never a pass: an empty file left by a failed
// write must not look like a correct run.
std::variant<FileOutcome, int> check_file(const std::string& path, const CheckerEntry& checker, Json options,
                                          Progress::Mode progress) {
  const auto started = std::chrono::steady_clock::now();
  auto read = read_history_file_within(path, read_budget_of(options, started));
  if (!read) return usage_error(read.error().message);
  const History& history = read.value().history;
  if (read.value().stopped_by != BudgetedRead::Stop::none)
    return unknown_without_checker(checker, stopped_reading(read.value(), options, seconds_since(started)));
  if (!has_client_op(history))
    return unknown_without_checker(checker, "no client ops: nothing to judge (the history holds " +
                                                (history.ops.empty() ? std::string("no ops")
                                                                     : std::to_string(history.ops.size()) + " nemesis ops only") +
                                                ").");
  if (options.contains("time_used_s")) options["time_used_s"] = seconds_since(started);
  auto locate = [&](size_t position) { return op_location(history, path, position); };
  Result<CheckResult> result = fail("not checked");
  {
    check_progress().reset();
    CheckTicker ticker(progress, path + " (" + std::to_string(history.ops.size()) + " lines) with " + checker.name,
                       options.value("time_limit_s", 0.0));
    result = checker.check(history, options, locate);
  }
  if (!result) return usage_error(result.error().message);
  return FileOutcome{.result = std::move(result).value()};
}

// Exit code: 2 at the first bad input; otherwise 1 if any file is invalid, else 3 if any is
// unknown, else 0.
int run_check(const CheckOptions& options, const CLI::App& command, const Registry& registry) {
  const CheckerEntry* checker = registry.checker(options.checker);
  if (checker == nullptr)
    return usage_error("--checker: unknown checker \"" + options.checker + "\" (known: " + checker_names(registry) + ")");
  auto given = checker_options(options, command);
  if (!given) return usage_error(given.error().message);
  auto resolved = resolve_options(checker->options, given.value(), "--option (checker " + checker->name + ")");
  if (!resolved) return usage_error(resolved.error().message);
  bool any_invalid = false, any_unknown = false;
  for (const std::string& path : options.files) {
    std::variant<FileOutcome, int> outcome = 2;
    try {
      outcome = check_file(path, *checker, resolved.value(), Progress::mode_for(options.quiet));
    } catch (const std::bad_alloc&) {
      outcome = unknown_without_checker(*checker, "memory ran out (the process could not allocate more); nothing was judged.");
    }
    if (const int* exit_code = std::get_if<int>(&outcome)) return *exit_code;
    const auto& [result, judged_by_checker] = std::get<FileOutcome>(outcome);
    print_result(path, *checker, result, options.json, judged_by_checker);
    any_invalid |= result.verdict == Verdict::invalid;
    any_unknown |= result.verdict == Verdict::unknown;
  }
  return any_invalid ? exit_code_of(Verdict::invalid)
                     : exit_code_of(any_unknown ? Verdict::unknown : Verdict::valid);
}

int run_import(const ImportOptions& options) {
  auto history = import_history_file(options.input, options.format);
  if (!history) return usage_error(history.error().message);
  // Written whole to a temporary file and renamed: an error leaves no partial output.
  auto written = write_history_file(options.output, history.value());
  if (!written) return usage_error(written.error().message);
  std::printf("imported %zu ops from %s to %s\n", history.value().ops.size(),
              options.input.c_str(), options.output.c_str());
  return 0;
}

// No exception reaches main: one that escapes a command (a bug) is one error line, exit 2.
template <class Command>
int guarded(const Command& command) {
  try {
    return command();
  } catch (const std::bad_alloc&) {
    return usage_error("out of memory");
  } catch (const std::exception& error) {
    return usage_error(std::string("internal error: ") + error.what());
  }
}

}  // namespace

void register_check_commands(CLI::App& app, CommandContext& context) {
  static CheckOptions check_options;
  auto* check = app.add_subcommand(
      "check", "judge history files with a checker (exit 0 valid, 1 invalid, 3 unknown, 2 bad input)");
  check->add_option("--checker", check_options.checker, "checker (see faultline list checkers): " +
                                                            checker_names(context.registry))
      ->capture_default_str();
  check->add_option("--option", check_options.assignments, "a checker option, key=value (repeatable)")
      ->allow_extra_args(false);
  check->add_option("--model", check_options.model, "linearizable: model: " + joined(model_names()))
      ->capture_default_str()
      ->check(CLI::IsMember(model_names()));
  check->add_option("--initial", check_options.initial_json,
                    "initial model state as JSON, e.g. 0 or '{\"x\":0,\"y\":0}'")
      ->capture_default_str();
  check->add_flag("--json", check_options.json, "print each result as one JSON line");
  check->add_option("--time-limit", check_options.time_limit_s,
                    "seconds before giving up with verdict unknown (0 = none)")
      ->check(number_in(0, 1e6));
  check->add_option("--memory-limit", check_options.memory_limit_mib,
                    "MiB of search memory before giving up with verdict unknown")
      ->capture_default_str()
      ->check(integer_in(0, 1 << 20));
  check->add_option("--threads", check_options.threads, "keys checked in parallel")->check(integer_in(1, 256));
  check->add_flag("--quiet", check_options.quiet, "no progress line while a long check runs");
  check->add_option("files", check_options.files, "JSONL history files")->required();
  check->callback([&context, check] {
    context.exit_code = guarded([&] { return run_check(check_options, *check, context.registry); });
  });

  static ImportOptions import_options;
  auto* import = app.add_subcommand("import", "convert a public history to faultline's JSONL format");
  import->add_option("--format", import_options.format, "input format: " + joined(import_format_names()))
      ->required()
      ->check(CLI::IsMember(import_format_names()));
  import->add_option("input", import_options.input, "input file")->required();
  import->add_option("-o,--output", import_options.output, "output .jsonl file")->required();
  import->callback([&context] { context.exit_code = guarded([] { return run_import(import_options); }); });
}

}  // namespace faultline::cli
