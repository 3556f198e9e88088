// faultline check (the linearizability checker on history files) and faultline import
// (public Jepsen / Porcupine histories into our JSONL format). Issue 5, "CLI".
#include <cstdio>
#include <fstream>

#include "checkers/lin_model.h"
#include "checkers/linearizable.h"
#include "framework/cli/commands.h"
#include "histories/import.h"
#include "histories/jsonl.h"

namespace faultline::cli {

namespace {

struct CheckOptions {
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

void print_result(const std::string& path, const CheckResult& result, bool json) {
  if (json) {
    Json out = {{"file", path},          {"verdict", to_string(result.verdict)},
                {"checker", result.checker}, {"summary", result.summary},
                {"evidence", result.evidence}};
    std::printf("%s\n", out.dump().c_str());
    return;
  }
  std::printf("%s: %s", path.c_str(), render_linearizability_text(result).c_str());
}

// Exit code: 2 at the first bad input; otherwise 1 if any file is invalid, else 3 if any is
// unknown, else 0.
int run_check(const CheckOptions& options) {
  LinearizabilityOptions check;
  check.model = options.model;
  check.initial = Json::parse(options.initial_json, nullptr, /*allow_exceptions=*/false);
  if (check.initial.is_discarded()) {
    std::fprintf(stderr, "faultline: --initial %s: not a JSON value\n", options.initial_json.c_str());
    return 2;
  }
  if (auto valid = validate_model(check.model, check.initial); !valid) {
    std::fprintf(stderr, "faultline: %s\n", valid.error().message.c_str());
    return 2;
  }
  check.time_limit_s = options.time_limit_s;
  check.memory_limit_bytes = options.memory_limit_mib << 20;
  check.threads = options.threads;
  bool any_invalid = false, any_unknown = false;
  for (const std::string& path : options.files) {
    auto history = read_history_file(path);
    if (!history) {
      std::fprintf(stderr, "faultline: %s\n", history.error().message.c_str());
      return 2;
    }
    std::vector<int> lines = op_line_numbers(path);
    auto locate = [&](size_t position) {
      return path + ":" + (position < lines.size() ? std::to_string(lines[position]) : "?");
    };
    auto result = check_linearizable_or_error(history.value(), check, locate);
    if (!result) {
      std::fprintf(stderr, "faultline: %s\n", result.error().message.c_str());
      return 2;
    }
    print_result(path, result.value(), options.json);
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
  auto sink = FileSink::open(options.output);
  if (!sink) {
    std::fprintf(stderr, "faultline: %s\n", sink.error().message.c_str());
    return 2;
  }
  for (const Op& op : history.value().ops) sink.value()->write_line(format_op_line(op));
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
      "check", "check history files for linearizability (exit 0 valid, 1 invalid, 3 unknown, 2 bad input)");
  check->add_option("--model", check_options.model, "model: " + joined(model_names()))
      ->capture_default_str();
  check->add_option("--initial", check_options.initial_json,
                    "initial model state as JSON, e.g. 0 or '{\"x\":0,\"y\":0}'")
      ->capture_default_str();
  check->add_flag("--json", check_options.json, "print each result as one JSON line");
  check->add_option("--time-limit", check_options.time_limit_s,
                    "seconds before giving up with verdict unknown (0 = none)");
  check->add_option("--memory-limit", check_options.memory_limit_mib,
                    "MiB of search memory before giving up with verdict unknown")
      ->capture_default_str();
  check->add_option("--threads", check_options.threads, "keys checked in parallel")
      ->check(CLI::Range(1, 256));
  check->add_option("files", check_options.files, "JSONL history files")->required();
  check->callback([&context] { context.exit_code = run_check(check_options); });

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
