// The composition root: the only place that knows every concrete system, nemesis and
// checker (DESIGN.md, layers).
#include <cstdio>

#include "framework/cli/commands.h"

int main(int argc, char** argv) {
  CLI::App app{"faultline: deterministic fault-injection testing of replicated systems"};
  app.require_subcommand(1);
  faultline::cli::CommandContext context;
  faultline::cli::register_run_commands(app, context);
  faultline::cli::register_demo_command(app, context);
  faultline::cli::register_shrink_command(app, context);
  faultline::cli::register_campaign_commands(app, context);
  faultline::cli::register_bench_commands(app, context);
  faultline::cli::register_check_commands(app, context);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& help) {
    return app.exit(help);
  } catch (const CLI::CallForAllHelp& help) {
    return app.exit(help);
  } catch (const CLI::ParseError& error) {
    // One line naming the bad flag or value, exit 2 (bad usage).
    std::fprintf(stderr, "faultline: %s\n", error.what());
    return 2;
  }
  return context.exit_code;
}
