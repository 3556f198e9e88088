// faultline node: one protocol core as an OS process (the real runtime, docs/runtime.md).
// The runner (`faultline run --runtime real`) starts one per node with these flags; a person
// rarely does, but may, to watch a node by hand.
#include "base/files.h"
#include "framework/cli/commands.h"
#include "framework/cli/error_line.h"
#include "framework/runtime/node_host.h"
#include "histories/json_input.h"

namespace faultline::cli {

namespace {

struct NodeFlags {
  std::string scenario_path;
  runtime::NodeHostOptions options;
};

// The scenario is the run's history header, as the runner resolved it (a swarm's draws
// included), so every node builds the same system.
Result<Scenario> read_scenario(const std::string& path) {
  BOOST_OUTCOME_TRY(text, read_whole_file(path));
  const std::string first_line = text.substr(0, text.find('\n'));
  auto header = parse_json_input(first_line);
  if (!header) return fail(path + ":1: " + header.error().message);
  return scenario_from_header(header.value(), path + ":1");
}

int node(NodeFlags& flags, const CommandContext& context) {
  auto scenario = read_scenario(flags.scenario_path);
  if (!scenario) return error_line("--scenario: " + scenario.error().message);
  flags.options.scenario = std::move(scenario.value());
  return runtime::run_node_host(flags.options, context.registry);
}

}  // namespace

void register_node_command(CLI::App& app, CommandContext& context) {
  auto flags = std::make_shared<NodeFlags>();
  auto* command = app.add_subcommand("node", "host one node of a real-mode run (started by `run --runtime real`)");
  command->add_option("--scenario", flags->scenario_path, "the run's resolved scenario (a history header line)")
      ->required();
  command->add_option("--id", flags->options.id, "this node's id")->required();
  command->add_option("--data", flags->options.data_dir, "this node's data directory")->required();
  command->add_option("--incarnation", flags->options.incarnation, "0 at the first start, +1 per restart")
      ->check(CLI::Range(int64_t{0}, int64_t{1} << 40));
  command->add_flag("--power-loss", flags->options.power_loss, "start after a power loss: drop what was not fsynced");
  command->add_option("--listen-port", flags->options.listen_port, "port on 127.0.0.1 (0: any free one)")
      ->check(CLI::Range(0, 65535));
  command->add_option("--epoch-ns", flags->options.epoch_ns, "the run's start on CLOCK_MONOTONIC")
      ->required()
      ->check(CLI::Range(int64_t{0}, int64_t{1} << 62));
  command->add_option("--ready-fd", flags->options.ready_fd, "write the ready line to this open descriptor")
      ->required()
      ->check(CLI::Range(0, 1 << 20));
  command->callback([flags, &context] { context.exit_code = node(*flags, context); });
}

}  // namespace faultline::cli
