#include "framework/cli/cli_main.h"

#include <cstdio>
#include <exception>
#include <filesystem>
#include <string>
#include <vector>

#include "base/text.h"
#include "framework/cli/commands.h"
#include "framework/cli/error_line.h"
#include "framework/cli/flag_checks.h"
#include "framework/runtime/real_cluster.h"
#include "framework/scenario.h"

namespace faultline::cli {

namespace {

// CLI11 reports an unknown subcommand as "a subcommand is required": name it instead, with
// the commands there are, at any depth ("bench frobnicate" lists bench's commands).
bool unknown_command(const CLI::App& app, int argc, char** argv) {
  const CLI::App* command = &app;
  std::string path;
  for (int i = 1; i < argc && argv[i][0] != '-'; ++i) {
    const std::vector<const CLI::App*> subcommands = command->get_subcommands({});
    if (subcommands.empty()) return false;  // a positional argument of a command
    const std::string name = argv[i];
    path += (path.empty() ? "" : " ") + name;
    const CLI::App* next = nullptr;
    std::vector<std::string> known;
    for (const CLI::App* subcommand : subcommands) {
      if (subcommand->get_name() == name) next = subcommand;
      known.push_back(subcommand->get_name());
    }
    if (next == nullptr) {
      const std::string parent = command == &app ? "" : command->get_name() + " ";
      error_line("unknown command \"" + path + "\" (" + parent + "commands: " + joined(known) + ")");
      return true;
    }
    command = next;
  }
  return false;
}

// No option or argument means anything by "": an empty value is refused, naming the flag.
void refuse_empty_values(CLI::App& app) {
  for (CLI::Option* option : app.get_options())
    if (option->get_expected_min() > 0) option->check(non_empty());
  for (CLI::App* command : app.get_subcommands({})) refuse_empty_values(*command);
}

// CLI11 lists stray arguments; when the first one follows a flag that takes no value (the
// usual slip, "--resume yes"), the flag is named instead.
std::string stray_argument_message(const CLI::App& app, const CLI::ExtrasError& error, int argc, char** argv) {
  const std::vector<std::string> extras = app.remaining(true);
  const CLI::App* command = &app;
  while (!command->get_subcommands().empty()) command = command->get_subcommands().front();
  for (int i = 2; i < argc && !extras.empty(); ++i) {
    if (argv[i] != extras.front()) continue;
    const CLI::Option* before = command->get_option_no_throw(argv[i - 1]);
    if (before != nullptr && before->get_expected_min() == 0)
      return std::string(argv[i - 1]) + " takes no value, but is followed by \"" + argv[i] + "\"";
    break;
  }
  return error.what();
}

// `--runtime real` runs each node as `THIS-PROGRAM node ...`, so any program built on this
// command line (a user's own, with its own systems) can host its nodes. /proc/self/exe, not
// the path it names: a rebuild during a run must not make a restarted node another program.
Registry with_real_runtime(const Registry& given) {
  Registry registry = given;
  if (!registry.real_runtime()) registry.set_real_runtime(runtime::real_runtime_factory("/proc/self/exe"));
  return registry;
}

}  // namespace

void add_commands(CLI::App& app, CommandContext& context) {
  register_run_commands(app, context);
  register_list_commands(app, context);
  register_demo_command(app, context);
  register_shrink_command(app, context);
  register_campaign_commands(app, context);
  register_matrix_command(app, context);
  register_bench_commands(app, context);
  register_check_commands(app, context);
  register_report_command(app, context);
  register_node_command(app, context);
  refuse_empty_values(app);
}

int main(int argc, char** argv, const Registry& given) {
  CLI::App app{"faultline: deterministic fault-injection testing of replicated systems"};
  app.require_subcommand(1);
  app.set_version_flag("--version", kFaultlineVersion);
  const Registry registry = with_real_runtime(given);
  CommandContext context{.registry = registry};
  if (argc > 0 && argv[0][0] != '\0') context.program = std::filesystem::path(argv[0]).filename().string();
  add_commands(app, context);
  if (unknown_command(app, argc, argv)) return 2;
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& help) {
    return app.exit(help);
  } catch (const CLI::CallForAllHelp& help) {
    return app.exit(help);
  } catch (const CLI::CallForVersion& version) {
    return app.exit(version);
  } catch (const CLI::ExtrasError& error) {
    return error_line(stray_argument_message(app, error, argc, argv));
  } catch (const CLI::ParseError& error) {
    // One line naming the bad flag or value, exit 2 (bad usage).
    return error_line(error.what());
  } catch (const std::exception& error) {
    // A command's own errors are Results; an exception here is a defect, still one line.
    return error_line(std::string("unexpected error: ") + error.what());
  }
  return context.exit_code;
}

}  // namespace faultline::cli
