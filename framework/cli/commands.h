#pragma once
// The subcommands of the faultline executable. Each file under framework/cli/ registers its
// own; main.cpp calls every register function. A subcommand's callback stores its exit
// code in `exit_code` (0 success, 1 a claim or check failed, 2 bad usage or input,
// 3 unknown verdict).
#include <string>
#include <utility>

#include <CLI/CLI.hpp>

#include "framework/registry.h"

namespace faultline::cli {

struct CommandContext {
  const Registry& registry;  // what the commands can name: systems, workloads, checkers, faults
  std::string program = "faultline";  // the binary's name, for the commands it prints (a user's own binary)
  int exit_code = 0;
};

// Every subcommand, as faultline::cli::main builds them (tests walk them too).
void add_commands(CLI::App& app, CommandContext& context);

void register_run_commands(CLI::App& app, CommandContext& context);    // run, repro
void register_demo_command(CLI::App& app, CommandContext& context);    // demo
void register_shrink_command(CLI::App& app, CommandContext& context);  // shrink
void register_campaign_commands(CLI::App& app, CommandContext& context);  // campaign, merge
void register_bench_commands(CLI::App& app, CommandContext& context);  // bench sim, bench check
void register_check_commands(CLI::App& app, CommandContext& context);  // check, import
void register_bench_check_command(CLI::App* bench, CommandContext& context);  // bench check
void register_bench_system_commands(CLI::App* bench, CommandContext& context);  // bench raft, sharded
void register_list_commands(CLI::App& app, CommandContext& context);   // list, bugs
void register_matrix_command(CLI::App& app, CommandContext& context);  // matrix
void register_report_command(CLI::App& app, CommandContext& context);  // report
void register_node_command(CLI::App& app, CommandContext& context);    // node (the real runtime)

}  // namespace faultline::cli
