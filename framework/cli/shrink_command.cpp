// faultline shrink: reduce a failing scenario to a small counterexample.
#include <filesystem>
#include <iostream>

#include "base/files.h"
#include "base/text.h"
#include "framework/cli/commands.h"
#include "framework/cli/error_line.h"
#include "framework/cli/flag_checks.h"
#include "framework/cli/run_report.h"
#include "framework/cli/sha256.h"
#include "framework/report/report_files.h"
#include "framework/report/witness_focus.h"
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
  BOOST_OUTCOME_TRY(text, read_whole_file(path));
  std::string first_line = text.substr(0, text.find('\n'));
  auto header = parse_json_input(first_line);  // bounded: a deep value would overflow the stack
  if (!header) return fail(path + ":1: " + header.error().message);
  BOOST_OUTCOME_TRY(scenario, scenario_from_header(header.value(), path + ":1"));
  BOOST_OUTCOME_TRYV(check_replayable(scenario, path + ":1"));
  return scenario;
}

// The same place, after resolving symbolic links and "..": by identity (device and inode)
// when both exist; else by the absolute path the kernel would resolve (an "x/.." whose x is
// yet to be created by create_directories still lands beside x).
bool same_place(const fs::path& a, const fs::path& b) {
  std::error_code error;
  if (fs::exists(a, error) && fs::exists(b, error)) return fs::equivalent(a, b, error);
  return fs::weakly_canonical(fs::absolute(a, error), error) == fs::weakly_canonical(fs::absolute(b, error), error);
}

// The shrunk files must never replace the failing history they came from, nor sit beside it
// (a run directory's history.jsonl and results.json would then describe another scenario).
Result<void> check_output_apart(const std::string& input, const std::string& history, const std::string& out_dir) {
  fs::path history_dir = fs::path(history).parent_path();
  if (history_dir.empty()) history_dir = ".";
  for (const fs::path& place : {fs::path(history), history_dir, fs::path(input)})
    if (same_place(out_dir, place))
      return fail("--out: " + out_dir + " is where the input " + history +
                  " lives; the shrunk history would overwrite or sit beside it: choose another directory");
  return outcome::success();
}

Result<void> write_shrunk(const ShrinkResult& result, const std::string& out_dir, const std::string& hash,
                          const Registry& registry) {
  BOOST_OUTCOME_TRY(system, registry.make_system(result.minimal));  // its claims, unjudged when it aborted
  std::error_code error;
  fs::create_directories(out_dir, error);
  if (error) return fail(out_dir + ": cannot create directory: " + error.message());
  BOOST_OUTCOME_TRYV(write_file_atomically(out_dir + "/history.jsonl", result.minimal_history));
  Json results = result.abort ? aborted_results_json(result.minimal, system->claims(), *result.abort, hash)
                              : results_json(*result.minimal_run, hash);
  return write_file_atomically(out_dir + "/results.json", results.dump(2) + "\n");
}

// report.html of the shrunk run, with its messages: the minimal scenario runs once more (it
// is deterministic) with the message log on. A minimal run that aborted has none.
Result<void> write_shrunk_report(const ShrinkResult& result, const std::string& out_dir, const CommandContext& context) {
  if (result.minimal_run) {
    MemorySink discarded;
    std::vector<MessageRecord> messages;
    BOOST_OUTCOME_TRY(run, run_scenario(result.minimal, context.registry, discarded, &messages));
    BOOST_OUTCOME_TRYV(report::write_message_log(out_dir + "/messages.jsonl", run, messages, result.minimal.node_count));
  }
  return report::write_run_report(out_dir + "/history.jsonl", out_dir + "/report.html", context.registry,
                                  {.program = context.program});
}

// The ops the witness of `claim` names in run (report::witness_focus reads every checker's
// evidence), for the shrinker's projection pass.
std::vector<int64_t> witness_ops(const RunResult& run, const std::string& claim) {
  for (const ClaimOutcome& outcome : run.claims)
    if (outcome.claim.name == claim)
      return report::witness_focus(run.history, outcome.result.checker, outcome.result.evidence).ops;
  return {};
}

// Said when the shrunk run fails otherwise than its input: a side claim lost (or gained).
std::string different_failure_note(const ShrinkResult& result) {
  if (result.failing_claims == result.original_failing_claims) return "";
  return "  note: the input failed " + joined(result.original_failing_claims) + "; the shrunk run fails " +
         joined(result.failing_claims) + "\n";
}

// --claim names one of the scenario's claims, or "invariants".
Result<void> check_claim_flag(const std::optional<std::string>& claim, const Scenario& scenario,
                              const Registry& registry) {
  if (!claim || *claim == "invariants") return outcome::success();
  BOOST_OUTCOME_TRY(system, registry.make_system(scenario));
  std::string names = "invariants";
  for (const ClaimSpec& spec : system->claims()) {
    if (spec.name == *claim) return outcome::success();
    names += ", " + spec.name;
  }
  return fail("--claim: \"" + *claim + "\" is not a claim of " + scenario.system + " (" + names + ")");
}

int shrink_command(const std::string& input, const std::string& out_dir, const ShrinkOptions& options, bool no_report,
                   const CommandContext& context) {
  const Registry& registry = context.registry;
  auto path = find_history(input);
  if (!path) return error_line(path.error().message, 2);
  auto apart = check_output_apart(input, path.value(), out_dir);
  if (!apart) return error_line(apart.error().message, 2);
  auto scenario = scenario_of(path.value());
  if (!scenario) return error_line(scenario.error().message, 2);
  // A header the registry refuses (a param of the wrong type) is bad input, not a failed shrink.
  if (auto checked = registry.check_scenario(scenario.value()); !checked)
    return error_line(path.value() + ":1: " + checked.error().message, 2);
  auto claim = check_claim_flag(options.claim, scenario.value(), registry);
  if (!claim) return error_line(claim.error().message, 2);
  auto shrunk = shrink(scenario.value(), registry, options);
  if (!shrunk) return error_line(path.value() + ": " + shrunk.error().message, 1);
  const ShrinkResult& result = shrunk.value();
  std::string hash = sha256_hex(result.minimal_history);
  auto written = write_shrunk(result, out_dir, hash, registry);
  if (!written) return error_line(written.error().message, 2);
  std::cout << "shrunk " << path.value() << " in " << result.runs << " runs, keeping " << result.target << " failing"
            << (result.budget_exhausted ? " (run budget reached: smaller may exist)" : "") << "\n"
            << "  before: " << describe(result.before) << "\n"
            << "  after:  " << describe(result.after) << "\n"
            << different_failure_note(result)
            << (result.abort ? aborted_summary(*result.abort, hash) : run_summary(*result.minimal_run, hash))
            << "wrote " << out_dir << "/history.jsonl; replay it with: " << context.program << " repro " << out_dir
            << "/history.jsonl\n";
  if (no_report) return 0;
  auto reported = write_shrunk_report(result, out_dir, context);
  if (!reported) return std::cerr << "faultline: the report could not be written: " << reported.error().message << "\n", 2;
  std::cout << "wrote " << out_dir << "/report.html (open it in a browser)\n";
  return 0;
}

}  // namespace

void register_shrink_command(CLI::App& app, CommandContext& context) {
  static std::string input;
  static std::string out_dir = "out/shrunk";
  static ShrinkOptions options{.witness_ops = witness_ops};
  static bool no_report = false;
  auto* command = app.add_subcommand("shrink", "reduce a failing run to a small counterexample");
  command->add_option("input", input, "a history.jsonl, a run directory or a campaign directory")->required();
  command->add_option("--out", out_dir, "where the minimal history and results go");
  command->add_option("--max-runs", options.max_runs, "candidate runs at most")->check(integer_in(1, 1'000'000));
  command->add_option("--claim", options.claim,
                      "the claim that must keep failing (default: a broken invariant, else the first claim violated)");
  command->add_flag("--no-report", no_report, "no report.html (nor messages.jsonl) beside the shrunk history");
  command->callback([&context] { context.exit_code = shrink_command(input, out_dir, options, no_report, context); });
}

}  // namespace faultline::cli
