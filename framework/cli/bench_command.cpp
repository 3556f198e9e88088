// faultline bench sim: the simulator's raw speed on a ping-pong system.
#include <sys/resource.h>

#include <chrono>
#include <cstdio>

#include "framework/cli/commands.h"
#include "framework/cli/flag_checks.h"
#include "framework/cli/progress.h"
#include "framework/simulator.h"
#include "systems/pingpong/pingpong.h"

namespace faultline::cli {

namespace {

struct SimBenchOptions {
  int node_count = 5;
  int balls_per_node = 200;
  uint64_t deliveries = 20'000'000;
  uint64_t seed = 1;
};

long peak_rss_kib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

int bench_sim(const SimBenchOptions& options) {
  pingpong::PingPong system(options.balls_per_node);
  SimConfig config;
  config.seed = options.seed;
  config.node_count = options.node_count;
  Simulator sim(system, config);
  // Wall time is measured around the simulation, never inside it.
  auto wall_start = std::chrono::steady_clock::now();
  sim.start_nodes();
  while (sim.stats().deliveries < options.deliveries && sim.step()) {
  }
  double wall_s = seconds_since(wall_start);
  double simulated_s = static_cast<double>(sim.now_ns()) / 1e9;
  std::printf("bench sim: %d nodes, %d balls in flight, seed %llu\n", options.node_count,
              options.node_count * options.balls_per_node, static_cast<unsigned long long>(options.seed));
  std::printf("  deliveries           %llu\n", static_cast<unsigned long long>(sim.stats().deliveries));
  std::printf("  wall time            %.3f s\n", wall_s);
  std::printf("  deliveries per wall s %.0f\n", static_cast<double>(sim.stats().deliveries) / wall_s);
  std::printf("  simulated time       %.3f s\n", simulated_s);
  std::printf("  simulated / wall     %.1fx\n", simulated_s / wall_s);
  std::printf("  peak memory (RSS)    %.1f MiB\n", static_cast<double>(peak_rss_kib()) / 1024.0);
  return 0;
}

}  // namespace

void register_bench_commands(CLI::App& app, CommandContext& context) {
  auto* bench = app.add_subcommand("bench", "benchmarks (never part of the tests)");
  bench->require_subcommand(1);
  static SimBenchOptions options;
  auto* sim = bench->add_subcommand("sim", "simulator throughput: ping-pong between nodes");
  sim->add_option("--nodes", options.node_count, "nodes")->check(integer_in(2, 64));
  sim->add_option("--balls", options.balls_per_node, "messages in flight per node")->check(integer_in(1, 100'000));
  sim->add_option("--deliveries", options.deliveries, "stop after this many deliveries")
      ->check(integer_in(1, 10'000'000'000));
  sim->add_option("--seed", options.seed, "seed")->check(seed_value());
  sim->callback([&context] { context.exit_code = bench_sim(options); });
  register_bench_check_command(bench, context);
  register_bench_system_commands(bench, context);
}

}  // namespace faultline::cli
