// faultline bench raft | sharded: a built-in store under a fixed load with faults, run
// through run_scenario with its claims checked. Wall time is measured around runs only.
//   raft     the issue-3 load: 5 nodes, 10 clients, 100 ops per simulated second, 60
//            simulated seconds, partitions and crashes
//   sharded  issue 13's: 3 groups of 3 and a 3-node controller, 30 clients, 300 ops per
//            simulated second, 60 simulated seconds, shard moves, kills and partitions
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "framework/cli/commands.h"
#include "framework/cli/error_line.h"
#include "framework/cli/flag_checks.h"
#include "framework/cli/progress.h"
#include "framework/cli/scenario_flags.h"
#include "framework/run.h"

namespace faultline::cli {

namespace {

struct SystemBenchOptions {
  std::string system;
  int nodes = 0;  // 0: the system's own default (a sharded layout's count)
  int clients = 0;
  double rate = 0;
  int keys = Scenario{}.key_count;
  // The quiet phase's reads of every key at every node from every client; the sharded
  // store's clients go to the key's group whatever node they are given, so there they
  // would only read each key once per node again.
  bool final_reads = true;
  double time_s = 60;
  std::string nemesis;
  uint64_t seed = 1;
  int seeds = 4;  // for the seeds-per-second figure
  int jobs = 2;   // processes for the seeds-per-second figure
};

// Each benchmarked store's defaults: one row per `faultline bench` subcommand.
const SystemBenchOptions kSystemBenches[] = {
    {.system = "raft", .nodes = 5, .clients = 10, .rate = 100, .nemesis = "partition,crash"},
    {.system = "sharded", .clients = 30, .rate = 300, .keys = 48, .final_reads = false,
     .nemesis = "move,kill,partition"},
};

// The bench's scenario for a seed; its faults are already checked (bench_system).
Scenario bench_scenario(const SystemBenchOptions& o, uint64_t seed) {
  Scenario s;
  s.system = o.system;
  s.node_count = o.nodes;
  s.concurrency = o.clients;
  s.rate_hz = o.rate;
  s.key_count = o.keys;
  s.final_reads = o.final_reads;
  s.time_ns = static_cast<int64_t>(o.time_s * 1e9);
  s.seed = seed;
  s.nemesis = split_packages(o.nemesis).value();
  return s;
}

Result<void> check_bench(const SystemBenchOptions& o, const Registry& registry) {
  BOOST_OUTCOME_TRYV(split_packages(o.nemesis));
  return registry.check_scenario(bench_scenario(o, o.seed));
}

// One run, timed as simulation + checking; false on an error or a violated claim.
bool run_once(const Scenario& scenario, bool print, const Registry& registry) {
  MemorySink sink;
  const auto start = std::chrono::steady_clock::now();
  auto run = run_scenario(scenario, registry, sink);
  const double wall_s = seconds_since(start);
  if (!run) {
    error_line(run.error().message);
    return false;
  }
  const RunResult& r = run.value();
  if (print) {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    const double simulated_s = static_cast<double>(r.end_time_ns) / 1e9;
    std::printf("  wall time (run + check)   %.3f s\n", wall_s);
    std::printf("  simulated time            %.1f s\n", simulated_s);
    std::printf("  simulated / wall          %.0fx\n", simulated_s / wall_s);
    std::printf("  client operations         %lld (%.0f per wall s)\n",
                static_cast<long long>(r.client_op_count), r.client_op_count / wall_s);
    std::printf("  messages delivered        %llu (%.0f per wall s)\n",
                static_cast<unsigned long long>(r.stats.deliveries), r.stats.deliveries / wall_s);
    std::printf("  simulator events          %llu\n", static_cast<unsigned long long>(r.stats.events));
    std::printf("  faults                    %lld\n", static_cast<long long>(r.fault_count));
    std::printf("  peak memory (RSS)         %.1f MiB\n", usage.ru_maxrss / 1024.0);
    for (const auto& claim : r.claims) {
      // Judged again, alone, to split the wall time between simulation and checking.
      const auto check_start = std::chrono::steady_clock::now();
      judge_claim(claim.claim, r.history, registry);
      std::printf("  claim %-19s %s (checking alone: %.3f s)\n", claim.claim.name.c_str(),
                  std::string(to_string(claim.result.verdict)).c_str(), seconds_since(check_start));
    }
  }
  return !r.any_claim_violated();
}

int bench_system(const SystemBenchOptions& o, const Registry& registry) {
  // Bad usage (an unknown fault, a node count the store cannot have) is exit 2 before any run.
  if (auto checked = check_bench(o, registry); !checked) {
    return error_line(checked.error().message);
  }
  std::printf("bench %s: %d nodes, %d clients, %d keys, %.0f ops/simulated s, %.0f simulated s, nemesis %s, seed %llu\n",
              o.system.c_str(), o.nodes, o.clients, o.keys, o.rate, o.time_s, o.nemesis.c_str(),
              static_cast<unsigned long long>(o.seed));
  if (!run_once(bench_scenario(o, o.seed), true, registry)) return 1;
  // Seeds per second: `jobs` processes share `seeds` seeds.
  std::fflush(stdout);  // or the children would print it again
  const auto start = std::chrono::steady_clock::now();
  std::vector<pid_t> children;
  for (int job = 0; job < o.jobs; ++job) {
    const pid_t pid = fork();
    if (pid == 0) {
      bool ok = true;
      for (int k = job; k < o.seeds; k += o.jobs) ok = run_once(bench_scenario(o, o.seed + 1 + k), false, registry) && ok;
      std::fflush(stdout);
      _exit(ok ? 0 : 1);
    }
    children.push_back(pid);
  }
  bool ok = true;
  for (pid_t pid : children) {
    int status = 0;
    waitpid(pid, &status, 0);
    ok = ok && WIFEXITED(status) && WEXITSTATUS(status) == 0;
  }
  const double wall_s = seconds_since(start);
  std::printf("  seeds per second          %.2f (%d seeds, %d processes, %.2f s)\n", o.seeds / wall_s,
              o.seeds, o.jobs, wall_s);
  return ok ? 0 : 1;
}

}  // namespace

void register_bench_system_commands(CLI::App* bench, CommandContext& context) {
  static std::vector<SystemBenchOptions> options(std::begin(kSystemBenches), std::end(kSystemBenches));
  for (SystemBenchOptions& o : options) {
    // A program built on the library with a registry of its own has no such store to bench.
    const SystemEntry* entry = context.registry.system(o.system);
    if (entry == nullptr) continue;
    if (o.nodes == 0) o.nodes = entry->default_nodes;
    auto* command = bench->add_subcommand(o.system, "the " + o.system + " store under load with faults (" +
                                                        o.nemesis + ")");
    command->add_option("--nodes", o.nodes, "nodes")->check(integer_in(1, 64))->capture_default_str();
    command->add_option("--clients", o.clients, "client processes")->check(integer_in(1, 1000))->capture_default_str();
    command->add_option("--rate", o.rate, "offered load, ops per simulated second")
        ->check(number_in(1e-3, 1e6))
        ->capture_default_str();
    command->add_option("--keys", o.keys, "keys")->check(integer_in(1, 100'000))->capture_default_str();
    command->add_option("--time", o.time_s, "simulated seconds of the main phase")
        ->check(number_in(1e-6, 86400))
        ->capture_default_str();
    command->add_option("--nemesis", o.nemesis, "fault packages, comma-separated")->capture_default_str();
    command->add_option("--seed", o.seed, "seed of the timed run")->check(seed_value());
    command->add_option("--seeds", o.seeds, "seeds for the seeds-per-second figure")->check(integer_in(1, 1'000'000));
    command->add_option("--jobs", o.jobs, "processes for the seeds-per-second figure")->check(integer_in(1, 1024));
    command->callback([&context, &o] { context.exit_code = bench_system(o, context.registry); });
  }
}

}  // namespace faultline::cli
