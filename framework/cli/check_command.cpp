// faultline check (any registered checker on history files; the linearizability checker by
// default) and faultline import (public Jepsen / Porcupine histories into our JSONL format).
#include <cstdio>
#include <fstream>

#include "base/files.h"
#include "checkers/lin_model.h"
#include "framework/cli/commands.h"
#include "framework/cli/flag_checks.h"
#include "histories/import.h"
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
  std::vector<std::string> files;
};

struct ImportOptions {
  std::string format;
  std::string input;
  std::string output;
};

// The line number of each op in a JSONL file (blank lines and the header skipped, as
// read_history does), so errors name file:line.
std::vector<int> op_line_numbers(const std::string& path) {
  std::ifstream in(path);
  std::vector<int> lines;
  std::string line;
  bool seen_content = false;
  for (int number = 1; std::getline(in, line); ++number) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    bool header = !seen_content && line.find("\"type\"") == std::string::npos &&
                  line.find("\"faultline\"") != std::string::npos;
    seen_content = true;
    if (!header) lines.push_back(number);
  }
  return lines;
}

int exit_code_of(Verdict verdict) {
  switch (verdict) {
    case Verdict::valid: return 0;
    case Verdict::invalid: return 1;
    case Verdict::unknown: return 3;
  }
  return 3;
}

void print_result(const std::string& path, const CheckerEntry& checker, const CheckResult& result, bool json) {
  if (json) {
    Json out = {{"file", path},          {"verdict", to_string(result.verdict)},
                {"checker", result.checker}, {"summary", result.summary},
                {"evidence", result.evidence}};
    std::printf("%s\n", out.dump().c_str());
    return;
  }
  std::printf("%s: %s", path.c_str(), render_result(checker, result).c_str());
}

int usage_error(const std::string& message) {
  std::fprintf(stderr, "faultline: %s\n", message.c_str());
  return 2;
}

// The checker's options: the linearizability shortcuts (--model, --initial, --time-limit,
// --memory-limit, --threads) for the linearizable checker, then every --option.
Result<Json> checker_options(const CheckOptions& options, const CLI::App& command) {
  Json given = Json::object();
  if (options.checker == "linearizable") {
    Json initial = Json::parse(options.initial_json, nullptr, /*allow_exceptions=*/false);
    if (initial.is_discarded()) return fail("--initial " + options.initial_json + ": not a JSON value");
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
    auto history = read_history_file(path);
    if (!history) return usage_error(history.error().message);
    std::vector<int> lines = op_line_numbers(path);
    auto locate = [&](size_t position) {
      return path + ":" + (position < lines.size() ? std::to_string(lines[position]) : "?");
    };
    auto result = checker->check(history.value(), resolved.value(), locate);
    if (!result) return usage_error(result.error().message);
    print_result(path, *checker, result.value(), options.json);
    any_invalid |= result.value().verdict == Verdict::invalid;
    any_unknown |= result.value().verdict == Verdict::unknown;
  }
  return any_invalid ? exit_code_of(Verdict::invalid)
                     : exit_code_of(any_unknown ? Verdict::unknown : Verdict::valid);
}

int run_import(const ImportOptions& options) {
  auto history = import_history_file(options.input, options.format);
  if (!history) {
    std::fprintf(stderr, "faultline: %s\n", history.error().message.c_str());
    return 2;
  }
  // Written whole to a temporary name and renamed: a failed write (a full disk) leaves no
  // shorter history behind that would check as valid.
  std::string text;
  for (const Op& op : history.value().ops) text += format_op_line(op) + "\n";
  auto written = write_file_atomically(options.output, text);
  if (!written) {
    std::fprintf(stderr, "faultline: %s\n", written.error().message.c_str());
    return 2;
  }
  std::printf("imported %zu ops from %s to %s\n", history.value().ops.size(),
              options.input.c_str(), options.output.c_str());
  return 0;
}

std::string joined(const std::vector<std::string>& names) {
  std::string text;
  for (const auto& name : names) text += (text.empty() ? "" : ", ") + name;
  return text;
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
  check->add_option("files", check_options.files, "JSONL history files")->required();
  check->callback([&context, check] { context.exit_code = run_check(check_options, *check, context.registry); });

  static ImportOptions import_options;
  auto* import = app.add_subcommand("import", "convert a public history to faultline's JSONL format");
  import->add_option("--format", import_options.format, "input format: " + joined(import_format_names()))
      ->required()
      ->check(CLI::IsMember(import_format_names()));
  import->add_option("input", import_options.input, "input file")->required();
  import->add_option("-o,--output", import_options.output, "output .jsonl file")->required();
  import->callback([&context] { context.exit_code = run_import(import_options); });
}

}  // namespace faultline::cli
