// faultline campaign (one scenario over a range of seeds, in parallel processes, resumable,
// shardable) and faultline merge (join shard outputs).
#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <thread>

#include "framework/campaign.h"
#include "framework/campaign_merge.h"
#include "framework/campaign_store.h"
#include "framework/cli/campaign_report.h"
#include "framework/cli/commands.h"
#include "framework/cli/error_line.h"
#include "framework/cli/flag_checks.h"
#include "framework/cli/progress.h"
#include "framework/cli/run_report.h"
#include "framework/cli/scenario_flags.h"
#include "framework/cli/sha256.h"
#include "framework/report/campaign_data.h"
#include "framework/report/report_files.h"
#include "framework/scenario_fields.h"
#include "framework/swarm.h"

namespace faultline::cli {

namespace {

constexpr int kInterruptedExitCode = 130;  // what a shell reports for a Ctrl-C'd command

struct CampaignFlags {
  ScenarioFlags scenario;
  std::string seeds;
  int jobs = std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
  std::string out_dir;
  std::optional<std::string> shard;
  std::optional<int> shard_count;
  bool stop_on_first = false;
  bool resume = false;
  bool keep_all_histories = false;
  bool no_report = false;
  bool quiet = false;
  bool no_check_invariants = false;
  bool guided = false;
  bool jobs_given = false;  // --jobs on the command line (real mode runs one at a time unless it is)
};

// --shard I/N wins; --shards N takes I from JOB_COMPLETION_INDEX (a Kubernetes Indexed Job
// sets it in each pod); neither runs the whole range as shard 0/1.
Result<Shard> choose_shard(const CampaignFlags& flags) {
  if (flags.shard && flags.shard_count) return fail("--shard and --shards: give one of them");
  if (flags.shard) return parse_shard(*flags.shard);
  if (!flags.shard_count) return Shard{};
  if (*flags.shard_count < 1 || *flags.shard_count > kMaxShards)
    return fail("--shards: must be in [1, " + std::to_string(kMaxShards) + "]");
  const char* index = std::getenv("JOB_COMPLETION_INDEX");
  if (index == nullptr)
    return fail("--shards: JOB_COMPLETION_INDEX is not set; outside an Indexed Job use --shard I/N");
  return shard_from_index_text(index, *flags.shard_count, "JOB_COMPLETION_INDEX");
}

// The console while seeds finish: a live progress line, and one line per failing seed with,
// for a seed whose process died, the assertion it printed.
class SeedWatcher {
 public:
  SeedWatcher(const CampaignFlags& flags, const CommandContext& context, const Scenario& scenario, int64_t total,
              int64_t already_done)
      : flags_(flags), context_(context), scenario_(scenario), progress_(Progress::mode_for(flags.quiet)),
        total_(total), done_(already_done) {}

  void seed_finished(const SeedRecord& record) {
    ++done_;
    if (record.failed()) {
      ++failed_;
      std::string line = "seed " + std::to_string(record.seed) + " failed:";
      for (const auto& reason : record.failure_reasons()) line += " " + reason;
      progress_.note(line);
      note_drawn_configuration(record);
      if (record.crash) note_dead_seed(record);
    }
    double elapsed_s = seconds_since(start_);
    progress_.update("campaign: " + seeds_progress(done_, total_, failed_, elapsed_s));
  }
  void finish() { progress_.finish(); }

 private:
  // A swarm seed drew its own faults, cluster, load and timing: say which, as flags.
  void note_drawn_configuration(const SeedRecord& record) {
    if (!is_swarm(scenario_)) return;
    auto drawn = resolve_swarm(seed_scenario(record), context_.registry);
    const std::string parent =
        record.swarm_seed ? " (guided: the configuration of seed " + std::to_string(*record.swarm_seed) + ")" : "";
    if (drawn) progress_.note("  it drew" + parent + ": " + scenario_flags_text(drawn.value()));
  }

  Scenario seed_scenario(const SeedRecord& record) const {
    Scenario scenario = scenario_;
    scenario.seed = record.seed;
    scenario.swarm_seed = record.swarm_seed;
    return scenario;
  }

  void note_dead_seed(const SeedRecord& record) {
    const std::string assertion = dead_seed_assertion(record);
    if (!assertion.empty()) progress_.note("  " + assertion);
    if (flags_.no_report) return;
    auto written = write_dead_seed_files(flags_.out_dir + "/" + report::failure_dir(record.seed), record,
                                         seed_scenario(record),
                                         context_.registry, context_.program);
    if (!written) progress_.note("  its report could not be written: " + written.error().message);
  }

  const CampaignFlags& flags_;
  const CommandContext& context_;
  Scenario scenario_;
  Progress progress_;
  int64_t total_;
  int64_t done_;
  int64_t failed_ = 0;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

Result<CampaignOptions> campaign_options(const CampaignFlags& flags, const Registry& registry) {
  CampaignOptions options;
  ScenarioFlags scenario_flags = flags.scenario;
  // A campaign without --nemesis is a swarm: each seed draws its own faults (issue 10).
  if (!scenario_flags.nemesis) scenario_flags.nemesis = kSwarmNemesis;
  BOOST_OUTCOME_TRY(scenario, to_scenario(scenario_flags, registry));
  // A campaign checks every system's white-box invariants after each event unless told not
  // to (issue 10, item 3: about 14% more seed time on raft; docs/benchmarks.md).
  if (flags.no_check_invariants && scenario.check_invariants)
    return fail("--check-invariants and --no-check-invariants: give one of them");
  // Real mode cannot look inside its processes (docs/runtime.md): the claims are the oracle.
  scenario.check_invariants = !flags.no_check_invariants && scenario.runtime != kRuntimeReal;
  if (scenario.runtime == kRuntimeReal && flags.guided)
    return fail("--guided: not in real mode (a guided child reruns its parent's configuration to explore near it, "
                "which needs the simulator's replay)");
  BOOST_OUTCOME_TRY(seeds, parse_seed_range(flags.seeds));
  BOOST_OUTCOME_TRY(shard, choose_shard(flags));
  options.scenario = scenario;
  options.seeds = seeds;
  options.shard = shard;
  // One real cluster at a time unless told: clusters side by side share the cores and
  // their timing, which a real-mode run measures.
  options.jobs = scenario.runtime == kRuntimeReal && !flags.jobs_given ? 1 : flags.jobs;
  options.out_dir = flags.out_dir;
  options.resume = flags.resume;
  options.stop_on_first = flags.stop_on_first;
  options.keep_all_histories = flags.keep_all_histories;
  options.guided = flags.guided;
  options.history_digest = sha256_hex;
  return options;
}

// Seeds already finished in the directory (resume), so progress counts from there.
int64_t seeds_already_done(const CampaignFlags& flags) {
  if (!flags.resume) return 0;
  auto records = read_seed_records(flags.out_dir);
  return records ? static_cast<int64_t>(records.value().size()) : 0;
}

void print_outcome(const CampaignSummary& summary, const std::string& dir, const std::string& program) {
  std::cout << campaign_table(summary) << repro_commands(summary, dir, program);
  std::cout << "wrote " << dir << "/summary.json\n";
}

// DIR/report.html: every seed, failing ones first, with links to their reports.
void write_index_page(const std::string& dir, const std::string& program) {
  auto written = report::write_campaign_report(dir, dir + "/report.html", program);
  if (!written) std::cerr << "faultline: the campaign's report could not be written: " << written.error().message << "\n";
  else std::cout << "wrote " << dir << "/report.html (open it in a browser)\n";
}

int campaign(const CampaignFlags& flags, const CommandContext& context) {
  const Registry& registry = context.registry;
  auto options = campaign_options(flags, registry);
  if (!options) return error_line(options.error().message);
  const auto planned = static_cast<int64_t>(seeds_of_shard(options.value().seeds, options.value().shard).size());
  SeedWatcher watcher(flags, context, options.value().scenario, planned, seeds_already_done(flags));
  options.value().on_seed_finished = [&watcher](const SeedRecord& record) { watcher.seed_finished(record); };
  const int node_count = options.value().scenario.node_count;
  if (!flags.no_report)
    options.value().on_failure_kept = [&context, node_count](const std::string& dir, const RunResult& run,
                                                             const std::vector<MessageRecord>& messages) {
      return write_inspection_files(dir, run, messages, node_count, context.registry, context.program);
    };
  auto start = std::chrono::steady_clock::now();
  auto outcome = run_campaign(options.value(), registry);
  watcher.finish();
  if (!outcome) return error_line(outcome.error().message);
  double wall_time_s = seconds_since(start);
  print_outcome(outcome.value().summary, flags.out_dir, context.program);
  if (!flags.no_report) write_index_page(flags.out_dir, context.program);
  const auto& summary = outcome.value().summary;
  int seeds_ran = static_cast<int>(summary.records.size()) - outcome.value().seeds_skipped;
  if (outcome.value().seeds_skipped > 0)
    std::cout << outcome.value().seeds_skipped << " seeds were already finished in " << flags.out_dir << "\n";
  std::cout << "ran " << seeds_ran << " seeds in " << wall_time_s << " s with " << options.value().jobs
            << " jobs: " << (wall_time_s > 0 ? seeds_ran / wall_time_s : 0) << " seeds/s\n"
            << detection_rate_line(summary);
  if (outcome.value().interrupted) {
    std::cerr << "faultline: interrupted; finished seeds are kept, add --resume to run the rest\n";
    return kInterruptedExitCode;
  }
  return campaign_exit_code(outcome.value().summary);
}

int merge(const std::string& out_dir, const std::vector<std::string>& shard_dirs, const std::string& program) {
  auto summary = merge_campaigns(out_dir, shard_dirs);
  if (!summary) return error_line(summary.error().message);
  print_outcome(summary.value(), out_dir, program);
  return campaign_exit_code(summary.value());
}

void add_campaign_flags(CLI::App& command, CampaignFlags& flags, const Registry& registry) {
  add_scenario_flags(command, flags.scenario, registry);
  command.remove_option(command.get_option("--seed"));  // a campaign takes --seeds instead
  command.add_option("--seeds", flags.seeds, "seed range A..B (inclusive)")->required();
  command.add_option("--jobs", flags.jobs, "seeds run at once, each in its own process (default: cores)")
      ->check(integer_in(1, 1024));
  command.add_option("--out", flags.out_dir, "campaign directory: seeds/, failures/, summary.json")->required();
  command.add_option("--shard", flags.shard, "run only shard I of N of the seeds, as I/N (0 <= I < N)");
  command.add_option("--shards", flags.shard_count,
                     "run shard JOB_COMPLETION_INDEX of N (a Kubernetes Indexed Job sets the index)");
  command.add_flag("--stop-on-first", flags.stop_on_first, "start no more seeds once one failed");
  command.add_flag("--resume", flags.resume, "skip seeds already finished in --out");
  command.add_flag("--keep-all-histories", flags.keep_all_histories, "keep passing seeds' histories too");
  command.add_flag("--no-report", flags.no_report,
                   "no report.html (nor results.json, messages.jsonl) for failing seeds, no DIR/report.html");
  command.add_flag("--quiet", flags.quiet, "no progress line");
  command.add_flag("--no-check-invariants", flags.no_check_invariants,
                   "skip the protocol invariants a campaign checks after every event by default");
  command.add_flag("--guided", flags.guided,
                   "coverage-guided seeds: seeds of later batches rerun the drawn configurations of seeds that "
                   "reached new protocol coverage, with runs of their own (swarm campaigns, unsharded)");
}

}  // namespace

void register_campaign_commands(CLI::App& app, CommandContext& context) {
  static CampaignFlags flags;
  auto* campaign_command = app.add_subcommand("campaign", "run a scenario over a range of seeds in parallel");
  add_campaign_flags(*campaign_command, flags, context.registry);
  campaign_command->callback([&context, campaign_command] {
    flags.jobs_given = campaign_command->get_option("--jobs")->count() > 0;
    context.exit_code = campaign(flags, context);
  });

  static std::string out_dir;
  static std::vector<std::string> shard_dirs;
  auto* merge_command = app.add_subcommand("merge", "join the output directories of a campaign's shards");
  merge_command->add_option("out", out_dir, "the merged campaign directory")->required();
  merge_command->add_option("shards", shard_dirs, "every shard's campaign directory")->required();
  merge_command->callback([&context] { context.exit_code = merge(out_dir, shard_dirs, context.program); });
}

}  // namespace faultline::cli
