#include "framework/campaign.h"

#include <array>
#include <chrono>
#include <csignal>
#include <deque>
#include <filesystem>
#include <iostream>
#include <map>

#include "framework/abort_report.h"
#include "framework/campaign_guide.h"
#include "framework/campaign_store.h"
#include "framework/run.h"
#include "framework/swarm.h"
#include "framework/worker_processes.h"

namespace faultline {

Json campaign_scenario_json(const Scenario& scenario) {
  Json header = scenario_to_header(scenario);
  header.erase("seed");
  return header;
}

namespace {

using Clock = std::chrono::steady_clock;

double milliseconds_since(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

volatile std::sig_atomic_t interrupt_signal = 0;

extern "C" void note_interrupt(int signal) { interrupt_signal = signal; }

// Catches SIGINT, SIGTERM and SIGHUP (a closed terminal) while a campaign runs, so it can
// stop its children and write the summary of what finished. No SA_RESTART: the signal must
// end the wait for children.
class InterruptGuard {
 public:
  InterruptGuard() {
    interrupt_signal = 0;
    struct sigaction action {};
    action.sa_handler = note_interrupt;
    sigemptyset(&action.sa_mask);
    for (size_t i = 0; i < kSignals.size(); ++i) sigaction(kSignals[i], &action, &old_[i]);
  }
  ~InterruptGuard() {
    for (size_t i = 0; i < kSignals.size(); ++i) sigaction(kSignals[i], &old_[i], nullptr);
  }
  bool interrupted() const { return interrupt_signal != 0; }

 private:
  static constexpr std::array<int, 3> kSignals = {SIGINT, SIGTERM, SIGHUP};
  std::array<struct sigaction, 3> old_{};
};

// What a child process runs: a seed, and the seed its swarm configuration is drawn from.
struct PlannedSeed {
  uint64_t seed = 0;
  std::optional<uint64_t> swarm_seed;  // a guided child's parent configuration
};

SeedRecord record_of(const RunResult& result, const PlannedSeed& planned) {
  SeedRecord record;
  record.seed = planned.seed;
  record.swarm_seed = planned.swarm_seed;
  for (const auto& outcome : result.claims)
    record.claims.push_back({outcome.claim.name, outcome.result.checker, outcome.result.verdict, outcome.result.summary,
                             outcome.claim.claimed});
  record.invariant_violation = result.invariant_violation;
  record.client_op_count = result.client_op_count;
  record.fault_count = result.fault_count;
  for (const auto& [name, value] : result.metrics.items())
    if (value.is_number_integer()) record.counts[name] = value.get<int64_t>();
  return record;
}

int child_error(const std::string& message) {
  std::cerr << "faultline: " << message << "\n";
  return 2;
}

// The body of a seed's child process: run, keep the history if needed, store the record.
int run_seed(const CampaignOptions& options, const Registry& registry, const PlannedSeed& planned) {
  Clock::time_point start = Clock::now();
  const uint64_t seed = planned.seed;
  Scenario scenario = options.scenario;
  scenario.seed = seed;
  scenario.swarm_seed = planned.swarm_seed;
  MemorySink copy;
  Result<RunResult> result = fail("not run");
  std::vector<MessageRecord> messages;
  {
    auto file = FileSink::open(work_file(options.out_dir, seed, ".history.jsonl"));
    if (!file) return child_error(file.error().message);
    TeeSink sink(*file.value(), copy);
    const bool real = scenario.runtime == kRuntimeReal;  // its nodes keep their data and logs in a directory
    result = run_scenario(scenario, registry, sink, options.on_failure_kept && !real ? &messages : nullptr,
                          real ? work_file(options.out_dir, seed, ".nodes") : "");
    auto closed = file.value()->close();
    if (!closed) return child_error(closed.error().message);
  }
  if (!result) return child_error("seed " + std::to_string(seed) + ": " + result.error().message);
  SeedRecord record = record_of(result.value(), planned);
  record.history_sha256 = options.history_digest(copy.text());
  Result<void> kept = outcome::success();
  std::error_code ignored;  // an unremoved work file is removed by the next resume
  if (record.failed()) kept = keep_history(options.out_dir, seed, failure_history_path(seed));
  else if (options.keep_all_histories) kept = keep_history(options.out_dir, seed, kept_history_path(seed));
  else std::filesystem::remove(work_file(options.out_dir, seed, ".history.jsonl"), ignored);
  if (!kept) return child_error(kept.error().message);
  if (!record.failed()) std::filesystem::remove_all(work_file(options.out_dir, seed, ".nodes"), ignored);
  if (record.failed() && options.on_failure_kept) {
    const std::string failure_dir = options.out_dir + "/" + std::filesystem::path(failure_history_path(seed)).parent_path().string();
    kept = options.on_failure_kept(failure_dir, result.value(), messages);
    if (!kept) return child_error(kept.error().message);
  }
  record.wall_time_ms = milliseconds_since(start);
  auto written = write_seed_record(options.out_dir, record);
  if (!written) return child_error(written.error().message);
  return 0;
}

std::string last_lines(const std::string& text, int line_count) {
  size_t at = text.size();
  if (at > 0 && text[at - 1] == '\n') --at;
  for (int i = 0; i < line_count && at != std::string::npos && at > 0; ++i) at = text.rfind('\n', at - 1);
  return at == std::string::npos || at == 0 ? text : text.substr(at + 1);
}

// A seed whose process died: its partial history is kept as a failure, and its claims
// were never judged.
Result<SeedRecord> record_death(const CampaignOptions& options, const std::vector<ClaimSpec>& claims,
                                const ChildExit& exit, const PlannedSeed& planned, double wall_time_ms) {
  SeedRecord record;
  record.seed = exit.key;
  record.swarm_seed = planned.swarm_seed;
  for (const auto& claim : claims)
    record.claims.push_back({claim.name, claim.checker, Verdict::unknown, "not judged: the run's process died",
                             claim.claimed});
  auto output = read_whole_file(work_file(options.out_dir, exit.key, ".out"));
  record.crash = SeedCrash{exit.signal, exit.exit_code, last_lines(output ? output.value() : "", 10)};
  auto history = read_whole_file(work_file(options.out_dir, exit.key, ".history.jsonl"));
  record.history_sha256 = options.history_digest(history ? history.value() : "");
  if (history) {
    BOOST_OUTCOME_TRYV(keep_history(options.out_dir, exit.key, failure_history_path(exit.key)));
  }
  record.wall_time_ms = wall_time_ms;
  BOOST_OUTCOME_TRYV(write_seed_record(options.out_dir, record));
  return record;
}

class CampaignRunner {
 public:
  CampaignRunner(const CampaignOptions& options, const Registry& registry, std::vector<ClaimSpec> claims)
      : options_(options), registry_(registry), claims_(std::move(claims)) {}

  // Runs the seeds, J at a time; returns whether the campaign was interrupted. After an
  // interruption, or a failure with stop_on_first, it starts no more seeds, now or later.
  Result<bool> run(std::deque<PlannedSeed> pending) {
    InterruptGuard guard;
    bool children_stopped = false;
    while ((!stop_ && !pending.empty()) || workers_.running() > 0) {
      while (!stop_ && !pending.empty() && workers_.running() < static_cast<size_t>(options_.jobs)) {
        BOOST_OUTCOME_TRYV(start(pending.front()));
        pending.pop_front();
      }
      // A signal that lands just before the wait is seen when the next child ends.
      std::optional<ChildExit> exit = workers_.wait_any();
      if (guard.interrupted()) interrupted_ = true;
      if (exit) {
        BOOST_OUTCOME_TRY(failed, finish(*exit));
        if (failed && options_.stop_on_first) stop_ = true;
      }
      if (interrupted_ && !children_stopped) {
        children_stopped = true;
        stop_ = true;
        workers_.signal_all(SIGTERM);
      }
    }
    return interrupted_;
  }

  bool stopped() const { return stop_; }

 private:
  Result<void> start(const PlannedSeed& planned) {
    started_[planned.seed] = Clock::now();
    planned_[planned.seed] = planned;
    return workers_.start(planned.seed, work_file(options_.out_dir, planned.seed, ".out"),
                          [&] { return run_seed(options_, registry_, planned); });
  }

  // Stores the ended child's record; returns whether the seed failed.
  Result<bool> finish(const ChildExit& exit) {
    double wall_time_ms = milliseconds_since(started_.at(exit.key));
    std::optional<SeedRecord> record;
    if (exit.clean()) {
      BOOST_OUTCOME_TRY(stored, read_seed_record(seed_record_file(options_.out_dir, exit.key)));
      record = std::move(stored);
    } else if (killed_from_outside(exit.signal)) {
      // Not finished: there is no result to keep, and the campaign stops as interrupted.
      interrupted_ = true;
    } else {
      BOOST_OUTCOME_TRY(died, record_death(options_, claims_, exit, planned_.at(exit.key), wall_time_ms));
      record = std::move(died);
    }
    std::error_code ignored;  // an unremoved work file is removed by the next resume
    std::filesystem::remove(work_file(options_.out_dir, exit.key, ".out"), ignored);
    if (record && options_.on_seed_finished) options_.on_seed_finished(*record);
    return record && record->failed();
  }

  const CampaignOptions& options_;
  const Registry& registry_;
  std::vector<ClaimSpec> claims_;
  WorkerProcesses workers_;
  std::map<uint64_t, Clock::time_point> started_;
  std::map<uint64_t, PlannedSeed> planned_;
  bool interrupted_ = false;
  bool stop_ = false;
};

Result<void> check_options(const CampaignOptions& options) {
  if (options.jobs < 1) return fail("--jobs: must be at least 1, got " + std::to_string(options.jobs));
  if (options.out_dir.empty()) return fail("--out: a campaign needs an output directory");
  if (!options.history_digest) return fail("campaign: no history digest function");
  if (options.guided && !is_swarm(options.scenario))
    return fail("--guided: a guided campaign runs its parents' drawn configurations, so it needs a swarm "
                "(no --nemesis, or --nemesis all)");
  if (options.guided && options.shard.count != 1)
    return fail("--guided: a guided campaign plans each batch from the ones before, so it cannot be sharded");
  return validate(options.scenario);
}

// Runs every seed not yet finished, in order.
Result<bool> run_unguided(CampaignRunner& runner, const std::vector<uint64_t>& seeds,
                          const std::map<uint64_t, SeedRecord>& finished) {
  std::deque<PlannedSeed> pending;
  for (uint64_t seed : seeds)
    if (!finished.count(seed)) pending.push_back({.seed = seed});
  return runner.run(std::move(pending));
}

Result<std::vector<SeedRecord>> read_batch_records(const std::string& dir, const std::vector<GuidedSeed>& batch) {
  std::vector<SeedRecord> records;
  for (const auto& planned : batch) {
    BOOST_OUTCOME_TRY(record, read_seed_record(seed_record_file(dir, planned.seed)));
    const uint64_t ran = record.swarm_seed.value_or(record.seed);
    if (ran != planned.swarm_seed)
      return fail(seed_record_file(dir, planned.seed) + ": the seed ran the configuration of seed " +
                  std::to_string(ran) + ", the guided plan says " + std::to_string(planned.swarm_seed) +
                  "; the directory holds another campaign's records");
    records.push_back(std::move(record));
  }
  return records;
}

// Batch after batch, each planned from the records of the ones before (a resumed campaign
// replans the same batches from the records it finds).
Result<bool> run_guided(CampaignRunner& runner, const CampaignOptions& options, const std::vector<uint64_t>& seeds,
                        const std::map<uint64_t, SeedRecord>& finished) {
  SeedGuide guide(seeds);
  for (auto batch = guide.next_batch(); !batch.empty(); batch = guide.next_batch()) {
    std::deque<PlannedSeed> pending;
    for (const auto& planned : batch) {
      if (finished.count(planned.seed)) continue;
      pending.push_back({.seed = planned.seed,
                         .swarm_seed = planned.swarm_seed == planned.seed ? std::nullopt
                                                                           : std::optional(planned.swarm_seed)});
    }
    BOOST_OUTCOME_TRY(interrupted, runner.run(std::move(pending)));
    if (interrupted || runner.stopped()) return interrupted;
    BOOST_OUTCOME_TRY(records, read_batch_records(options.out_dir, batch));
    guide.learn(records);
  }
  return false;
}

}  // namespace

Result<CampaignOutcome> run_campaign(const CampaignOptions& options, const Registry& registry) {
  BOOST_OUTCOME_TRYV(check_options(options));
  // Checked once here so a bad system, bug or nemesis is one error, not a failure per seed.
  BOOST_OUTCOME_TRYV(registry.check_scenario(options.scenario));
  // The claims come from what a seed runs: a swarm's base scenario may not be runnable as
  // it stands (a heartbeat given by hand with the default election timeout).
  BOOST_OUTCOME_TRY(drawn, resolve_swarm(options.scenario, registry));
  BOOST_OUTCOME_TRY(system, registry.make_system(drawn));
  CampaignSpec spec{campaign_scenario_json(options.scenario), options.seeds, options.shard, options.guided};
  auto lock = DirectoryLock::acquire(options.out_dir, "--out");  // held until this function returns
  if (!lock) return lock.as_failure();
  BOOST_OUTCOME_TRYV(clear_leftovers(options.out_dir));
  BOOST_OUTCOME_TRYV(prepare_campaign_dir(options.out_dir, spec, options.resume));
  BOOST_OUTCOME_TRY(finished, read_seed_records(options.out_dir));
  std::vector<uint64_t> seeds = seeds_of_shard(options.seeds, options.shard);
  BOOST_OUTCOME_TRYV(check_no_stray_records(options.out_dir, spec, seeds, finished));
  CampaignOutcome outcome;
  for (uint64_t seed : seeds) outcome.seeds_skipped += finished.count(seed) ? 1 : 0;
  CampaignRunner runner(options, registry, system->claims());
  BOOST_OUTCOME_TRY(interrupted, options.guided ? run_guided(runner, options, seeds, finished)
                                                : run_unguided(runner, seeds, finished));
  outcome.interrupted = interrupted;
  BOOST_OUTCOME_TRY(records, read_seed_records(options.out_dir));
  std::vector<SeedRecord> list;
  for (auto& [seed, record] : records) list.push_back(std::move(record));
  outcome.summary = summarize(spec, std::move(list));
  BOOST_OUTCOME_TRYV(write_file_atomically(options.out_dir + "/summary.json", summary_json(outcome.summary).dump(2) + "\n"));
  std::error_code ignored;
  std::filesystem::remove(options.out_dir + "/work", ignored);  // only when empty: nothing was left running
  return outcome;
}

}  // namespace faultline
