// The CLI test table (issue 9, "make the class impossible"): every option of every
// subcommand, read from the CLI11 definitions the executable builds (cli::add_commands), is
// given bad values: text where a number goes, a negative, a huge number, an empty string;
// a flag that takes no value is given one. Each must end with exit 2 and exactly one line on
// stderr naming the option. A new flag is covered the day it is added; a flag whose values
// are free text (a path, a JSON value) says so in kFreeText below.
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "cli_runner.h"
#include "framework/cli/builtins.h"
#include "framework/cli/commands.h"

namespace {

using namespace faultline::testing;

std::string work_dir() {
  static const std::string dir = make_work_dir("faultline-cli-options");
  return dir;
}

// A valid invocation of each subcommand (each argument a name and a value; a positional's
// name is its CLI11 name), so that only the option under test is wrong.
struct Argument {
  std::string name;
  std::string value;
  bool positional = false;
};

const std::map<std::string, std::vector<Argument>>& base_arguments() {
  static const std::map<std::string, std::vector<Argument>> base = {
      {"run", {{"--time", "1s"}, {"--out", "out-run"}}},
      {"repro", {{"history", "base/history.jsonl", true}}},
      {"campaign", {{"--seeds", "1..1"}, {"--time", "1s"}, {"--out", "out-campaign"}}},
      {"merge", {{"out", "out-merged", true}, {"shards", "out-shard", true}}},
      {"shrink", {{"input", "failing/history.jsonl", true}, {"--out", "out-shrunk"}}},
      {"check", {{"files", "base/history.jsonl", true}}},
      {"import", {{"--format", "jepsen-edn"}, {"input", "h.edn", true}, {"--output", "out-import.jsonl"}}},
      {"list", {}},
      {"bugs", {}},
      {"demo", {{"--seeds", "1"}, {"--time", "1s"}, {"--out", "out-demo"}}},
      {"matrix", {{"--system", "single"}, {"--seeds", "1"}, {"--time", "1s"}, {"--packages", "partition"}, {"--out", "out-matrix"}}},
      {"bench sim", {{"--deliveries", "1000"}}},
      {"bench check", {{"--scaling", ""}, {"--scaling-ops", "100"}, {"--repeat", "1"}}},
      {"bench raft", {{"--time", "1"}, {"--seeds", "1"}, {"--jobs", "1"}}},
      {"bench sharded", {{"--time", "1"}, {"--seeds", "1"}, {"--jobs", "1"}}},
      {"report", {{"input", "base", true}, {"--out", "out-report.html"}}},
      {"node", {{"--scenario", "base/history.jsonl"}, {"--id", "0"}, {"--data", "out-node"}, {"--epoch-ns", "0"},
                {"--ready-fd", "3"}}},
  };
  return base;
}

// Options whose values are free text: any of these bad-looking values is a valid one.
const std::map<std::string, std::set<std::string>>& free_text() {
  static const std::set<std::string> any_path = {"abc", "-1", "99999999999999999999"};
  static const std::set<std::string> any_json_number = {"-1", "99999999999999999999"};
  static const std::map<std::string, std::set<std::string>> kFreeText = {
      {"run --out", any_path},         {"campaign --out", any_path},          {"shrink --out", any_path},
      {"demo --out", any_path},        {"matrix --out", any_path},        {"import --output", any_path},         {"check --initial", any_json_number},
      {"bench check --initial", any_json_number}, {"report --out", any_path}, {"node --data", any_path},
  };
  return kFreeText;
}

struct OptionCase {
  std::string command;  // "bench check"
  std::string name;     // "--repeat", or a positional's name
  bool positional = false;
  bool takes_value = true;
  bool command_takes_more_positionals = false;  // a stray word would be one of them
};

void PrintTo(const OptionCase& option, std::ostream* out) { *out << option.command << " " << option.name; }

void collect(const CLI::App& command, const std::string& path, std::vector<OptionCase>& cases) {
  for (const CLI::Option* option : command.get_options()) {
    if (option == command.get_help_ptr() || option == command.get_help_all_ptr()) continue;
    bool more = false;
    for (const CLI::Option* other : command.get_options())
      more = more || (other->get_positional() && other->get_items_expected_max() > 1);
    cases.push_back({path, option->get_name(), option->get_positional(), option->get_expected_min() > 0, more});
  }
  for (const CLI::App* sub : command.get_subcommands({}))
    collect(*sub, path.empty() ? sub->get_name() : path + " " + sub->get_name(), cases);
}

std::vector<OptionCase> every_option() {
  CLI::App app;
  faultline::cli::CommandContext context{.registry = faultline::cli::builtin_registry()};
  faultline::cli::add_commands(app, context);
  std::vector<OptionCase> cases;
  for (const CLI::App* command : app.get_subcommands({})) collect(*command, command->get_name(), cases);
  return cases;
}

std::string quoted(const std::string& text) { return "'" + text + "'"; }

// One argument as the shell gets it: a positional's value, a flag alone, or an option and
// its value.
std::string rendered(const std::string& name, bool positional, bool takes_value, const std::string& value) {
  if (positional) return " " + quoted(value);
  return " " + name + (takes_value ? " " + quoted(value) : "");
}

// The base invocation with the option under test given `value` (in its base place, or
// appended); a flag is given alone.
std::string command_line(const OptionCase& option, const std::string& value) {
  std::string line = option.command;
  bool placed = false;
  for (const Argument& argument : base_arguments().at(option.command)) {
    if (argument.name == option.name) {
      placed = true;
      line += rendered(option.name, option.positional, option.takes_value, value);
    } else {
      line += rendered(argument.name, argument.positional, !argument.value.empty(), argument.value);
    }
  }
  if (!placed) line += rendered(option.name, option.positional, option.takes_value, value);
  return line;
}

class EveryOption : public ::testing::TestWithParam<OptionCase> {
 protected:
  static void SetUpTestSuite() {
    // The files the base invocations name: a real run's history, a failing run's, a campaign
    // shard and a tiny EDN history.
    CommandResult run = run_in(work_dir(), std::string(FAULTLINE_BIN) + " run --time 1s --out base");
    ASSERT_EQ(run.exit_code, 0) << run.err;
    CommandResult failing = run_in(work_dir(), std::string(FAULTLINE_BIN) +
                                   " run --bug single.ack-before-fsync --nemesis crash --seed 2 --out failing");
    ASSERT_EQ(failing.exit_code, 1) << "seed 2 no longer finds the bug: pick another\n" << failing.err;
    CommandResult shard = run_in(work_dir(), std::string("rm -rf out-shard && ") + FAULTLINE_BIN +
                                 " campaign --seeds 1..2 --shard 0/1 --time 1s --out out-shard");
    ASSERT_EQ(shard.exit_code, 0) << shard.err;
    CommandResult edn = run_in(work_dir(), "printf '[{:process 0, :type :invoke, :f :read, :value nil}]\\n' > h.edn");
    ASSERT_EQ(edn.exit_code, 0);
  }

  // A bad value is refused at once; one the executable accepted by mistake may start a
  // long run, which the timeout (exit 124) ends.
  void expect_usage_error(const std::string& args) {
    CommandResult result = run_in(work_dir(), std::string("timeout 60 ") + FAULTLINE_BIN + " " + args);
    EXPECT_EQ(result.exit_code, 2) << args << "\nstdout: " << result.out << "\nstderr: " << result.err;
    EXPECT_EQ(line_count(result.err), 1) << args << "\nstderr: " << result.err;
    EXPECT_NE(result.err.find(GetParam().name), std::string::npos)
        << args << ": the error does not name " << GetParam().name << "\nstderr: " << result.err;
  }
};

TEST_P(EveryOption, ABadValueIsExitTwoAndOneLineNamingIt) {
  const OptionCase& option = GetParam();
  ASSERT_TRUE(base_arguments().count(option.command))
      << "no base invocation for \"" << option.command << "\": add one to base_arguments()";
  if (!option.takes_value) {
    expect_usage_error(option.command + " " + option.name + "=junk");
    if (!option.command_takes_more_positionals) expect_usage_error(command_line(option, "") + " junk");
    return;
  }
  auto free = free_text().find(option.command + " " + option.name);
  for (const std::string value : {"abc", "-1", "99999999999999999999", ""}) {
    if (option.positional && !value.empty()) continue;  // a path or a name: only "" is never one
    if (free != free_text().end() && free->second.count(value)) continue;
    expect_usage_error(command_line(option, value));
  }
}

std::string case_name(const ::testing::TestParamInfo<OptionCase>& info) {
  std::string name = info.param.command + "_" + info.param.name;
  for (char& c : name)
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  return name;
}

INSTANTIATE_TEST_SUITE_P(Cli, EveryOption, ::testing::ValuesIn(every_option()), case_name);

// Each bad-value case differs from its base invocation only in the bad value, so the base
// itself must be accepted, or a refusal proves nothing about the flag under test.
TEST_F(EveryOption, EveryBaseInvocationIsAccepted) {
  for (const auto& [command, arguments] : base_arguments()) {
    std::string line = command;
    for (const Argument& argument : arguments)
      line += rendered(argument.name, argument.positional, !argument.value.empty(), argument.value);
    if (command == "node") {
      // A node serves until its runner goes: accepted, it is still serving when the timeout
      // (exit 124) ends it, its ready line written to descriptor 3.
      CommandResult result = run_in(work_dir(), std::string("timeout 2 ") + FAULTLINE_BIN + " " + line + " 3>/dev/null");
      EXPECT_EQ(result.exit_code, 124) << line << "\nstderr: " << result.err;
      continue;
    }
    CommandResult result = run_in(work_dir(), std::string("timeout 120 ") + FAULTLINE_BIN + " " + line);
    EXPECT_EQ(result.exit_code, 0) << line << "\nstderr: " << result.err;
  }
}

// The table itself must see the flags it is meant to cover.
TEST(EveryOptionTable, CoversTheSubcommandsAndTheirFlags) {
  std::set<std::string> seen;
  for (const OptionCase& option : every_option()) seen.insert(option.command + " " + option.name);
  for (const char* expected : {"run --seed", "run --max-events", "campaign --jobs", "check --memory-limit",
                               "bench check --clients", "bench raft --nemesis", "bench sharded --keys", "demo --out", "repro history"})
    EXPECT_TRUE(seen.count(expected)) << expected;
}

}  // namespace
