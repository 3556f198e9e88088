// faultline bench check: the linearizability checker's speed (issue 5, "Benchmark").
//  - bench check DIR: every history file in DIR (imported by extension: .jsonl ours, .edn
//    jepsen-edn, .log porcupine-etcd, .txt porcupine-kv), each checked --repeat times; prints
//    the median check time per file and the total. Import time is not included.
//  - bench check --scaling: generated linearizable kv histories of 10^4, 10^5 and 10^6 ops.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>

#include "checkers/linearizable.h"
#include "checkers/synthetic_history.h"
#include "checkers/lin_model.h"
#include "framework/cli/commands.h"
#include "framework/cli/error_line.h"
#include "histories/input_limits.h"
#include "histories/json_input.h"
#include "framework/cli/flag_checks.h"
#include "framework/cli/table.h"
#include "histories/import.h"
#include "histories/jsonl.h"

namespace faultline::cli {

namespace {

struct BenchCheckOptions {
  std::string directory;
  std::string model;  // empty: by extension (.log cas-register, .txt append-kv, else kv)
  std::string initial_json = "null";
  int repeat = 5;
  int threads = 1;
  bool scaling = false;
  std::vector<size_t> scaling_ops = {10'000, 100'000, 1'000'000};
  int clients = 50;
  double info_fraction = 0.03;
  uint64_t seed = 1;
};

Result<History> load(const std::filesystem::path& path) {
  std::string extension = path.extension().string();
  if (extension == ".jsonl") return read_history_file(path.string());
  if (extension == ".edn") return import_history_file(path.string(), "jepsen-edn");
  if (extension == ".log") return import_history_file(path.string(), "porcupine-etcd");
  if (extension == ".txt") return import_history_file(path.string(), "porcupine-kv");
  return fail(path.string() + ": unknown extension (expected .jsonl, .edn, .log, .txt)");
}

std::string default_model(const std::filesystem::path& path) {
  std::string extension = path.extension().string();
  if (extension == ".log") return "cas-register";
  if (extension == ".txt") return "append-kv";
  return "kv";
}

struct Timed {
  CheckResult result;
  double median_ms = 0;
  double min_ms = 0;
};

Timed time_check(const History& history, const LinearizabilityOptions& options, int repeat) {
  Timed timed;
  std::vector<double> samples;
  for (int i = 0; i < std::max(repeat, 1); ++i) {
    auto start = std::chrono::steady_clock::now();
    timed.result = check_linearizable(history, options);
    samples.push_back(
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
  }
  std::sort(samples.begin(), samples.end());
  timed.median_ms = samples[samples.size() / 2];
  timed.min_ms = samples.front();
  return timed;
}

std::string format_ms(double ms) {
  char text[32];
  std::snprintf(text, sizeof text, ms < 10 ? "%.3f" : "%.1f", ms);
  return text;
}

int bench_directory(const BenchCheckOptions& options, const Json& initial) {
  std::vector<std::filesystem::path> files;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(options.directory, error)) {
    if (entry.is_regular_file() && entry.path().extension() != ".md" &&
        entry.path().extension() != ".tsv" && entry.path().extension() != ".html")
      files.push_back(entry.path());
  }
  if (error) {
    return error_line(options.directory + ": " + error.message());
  }
  std::sort(files.begin(), files.end());
  std::vector<TableRow> rows;
  double total_ms = 0;
  size_t counts[3] = {0, 0, 0};
  for (const auto& path : files) {
    auto history = load(path);
    if (!history) {
      return error_line(history.error().message);
    }
    if (history.value().ops.empty()) continue;  // e.g. Porcupine's etcd_095.log
    LinearizabilityOptions check;
    check.model = options.model.empty() ? default_model(path) : options.model;
    check.initial = initial;
    check.threads = options.threads;
    Timed timed = time_check(history.value(), check, options.repeat);
    total_ms += timed.median_ms;
    ++counts[static_cast<int>(timed.result.verdict)];
    rows.push_back({path.filename().string(), std::to_string(history.value().ops.size() / 2),
                    std::string(to_string(timed.result.verdict)), format_ms(timed.median_ms),
                    format_ms(timed.min_ms)});
  }
  std::printf("%s", render_table({"file", "ops", "verdict", "median ms", "min ms"}, rows).c_str());
  std::printf("total (sum of medians): %s ms over %zu files: %zu valid, %zu invalid, %zu unknown\n",
              format_ms(total_ms).c_str(), rows.size(), counts[0], counts[1], counts[2]);
  return counts[2] > 0 ? 3 : 0;
}

int bench_scaling(const BenchCheckOptions& options) {
  std::vector<TableRow> rows;
  bool all_valid = true;
  for (size_t op_count : options.scaling_ops) {
    SyntheticKvOptions generate;
    generate.op_count = op_count;
    generate.clients = options.clients;
    generate.info_fraction = options.info_fraction;
    generate.seed = options.seed;
    History history = generate_linearizable_kv_history(generate);
    LinearizabilityOptions check;
    check.threads = options.threads;
    Timed timed = time_check(history, check, options.repeat);
    all_valid &= timed.result.verdict == Verdict::valid;
    rows.push_back({std::to_string(op_count), std::to_string(options.clients),
                    std::string(to_string(timed.result.verdict)), format_ms(timed.median_ms),
                    format_ms(timed.median_ms * 1000.0 / static_cast<double>(op_count))});
  }
  std::printf("generated kv histories: 100 keys, %d clients, %.0f%% info ops, seed %llu, %d thread(s)\n",
              options.clients, options.info_fraction * 100,
              static_cast<unsigned long long>(options.seed), options.threads);
  std::printf("%s", render_table({"ops", "clients", "verdict", "median ms", "us per op"}, rows).c_str());
  return all_valid ? 0 : 1;
}

}  // namespace

void register_bench_check_command(CLI::App* bench, CommandContext& context) {
  static BenchCheckOptions options;
  auto* check = bench->add_subcommand("check", "linearizability checker speed on a folder of histories");
  check->add_option("directory", options.directory, "folder of .jsonl/.edn/.log/.txt histories");
  check->add_option("--model", options.model, "model (default: by file extension)")
      ->check(CLI::IsMember(model_names()));
  check->add_option("--initial", options.initial_json, "initial model state as JSON");
  check->add_option("--repeat", options.repeat, "checks per file; the median is reported")
      ->capture_default_str()
      ->check(integer_in(1, 1000));
  check->add_option("--threads", options.threads, "keys checked in parallel")
      ->capture_default_str()
      ->check(integer_in(1, 256));
  check->add_flag("--scaling", options.scaling, "generated kv histories of 10^4, 10^5, 10^6 ops");
  check->add_option("--scaling-ops", options.scaling_ops, "op counts for --scaling")
      ->check(integer_in(1, 100'000'000));
  check->add_option("--clients", options.clients, "clients for --scaling")
      ->capture_default_str()
      ->check(integer_in(1, 100'000));
  check->add_option("--info", options.info_fraction, "fraction of info ops for --scaling")
      ->capture_default_str()
      ->check(number_in(0, 1));
  check->add_option("--seed", options.seed, "seed for --scaling")->capture_default_str()->check(seed_value());
  check->callback([&context, check] {
    auto parsed = parse_json_input(options.initial_json);  // bounded nesting, like every input
    if (!parsed) {
      context.exit_code = error_line("--initial " + excerpt(options.initial_json) + ": " + parsed.error().message);
      return;
    }
    Json initial = std::move(parsed).value();
    if (options.scaling == (check->count("directory") > 0)) {
      context.exit_code = error_line("bench check needs a DIRECTORY or --scaling (one of them)");
      return;
    }
    context.exit_code = options.scaling ? bench_scaling(options) : bench_directory(options, initial);
  });
}

}  // namespace faultline::cli
