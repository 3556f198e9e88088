#include "framework/cli/cli_main.h"

#include <cstdio>
#include <filesystem>
#include <string>

#include "framework/cli/commands.h"
#include "framework/scenario.h"

namespace faultline::cli {

namespace {

// CLI11 reports an unknown subcommand as "a subcommand is required": name it instead, with
// the commands there are.
bool unknown_command(const CLI::App& app, int argc, char** argv) {
  if (argc < 2 || argv[1][0] == '-') return false;
  const std::string name = argv[1];
  std::string known;
  for (const CLI::App* command : app.get_subcommands({})) {
    if (command->get_name() == name) return false;
    known += (known.empty() ? "" : ", ") + command->get_name();
  }
  std::fprintf(stderr, "faultline: unknown command \"%s\" (commands: %s)\n", name.c_str(), known.c_str());
  return true;
}

}  // namespace

int main(int argc, char** argv, const Registry& registry) {
  CLI::App app{"faultline: deterministic fault-injection testing of replicated systems"};
  app.require_subcommand(1);
  app.set_version_flag("--version", kFaultlineVersion);
  CommandContext context{.registry = registry};
  if (argc > 0 && argv[0][0] != '\0') context.program = std::filesystem::path(argv[0]).filename().string();
  register_run_commands(app, context);
  register_list_commands(app, context);
  register_demo_command(app, context);
  register_shrink_command(app, context);
  register_campaign_commands(app, context);
  register_matrix_command(app, context);
  register_bench_commands(app, context);
  register_check_commands(app, context);
  if (unknown_command(app, argc, argv)) return 2;
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& help) {
    return app.exit(help);
  } catch (const CLI::CallForAllHelp& help) {
    return app.exit(help);
  } catch (const CLI::CallForVersion& version) {
    return app.exit(version);
  } catch (const CLI::ParseError& error) {
    // One line naming the bad flag or value, exit 2 (bad usage).
    std::fprintf(stderr, "faultline: %s\n", error.what());
    return 2;
  }
  return context.exit_code;
}

}  // namespace faultline::cli
