#include "framework/simulate.h"

#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "base/files.h"
#include "framework/random.h"

namespace faultline {

namespace {

// <dir>/<system>-seed<N>-<hash>.jsonl: one file per distinct failing history.
Result<std::string> keep_failure(const Scenario& scenario, const std::string& history, const std::string& dir) {
  std::error_code error;
  std::filesystem::create_directories(dir, error);
  if (error) return fail(dir + ": cannot create directory: " + error.message());
  char hash[17];
  std::snprintf(hash, sizeof hash, "%016llx", static_cast<unsigned long long>(stable_hash(history)));
  std::string path = dir + "/" + scenario.system + "-seed" + std::to_string(scenario.seed) + "-" + hash + ".jsonl";
  BOOST_OUTCOME_TRYV(write_file_atomically(path, history));
  return path;
}

}  // namespace

std::string failure_dir(const SimulateOptions& options) {
  if (options.failure_dir) return *options.failure_dir;
  const char* from_environment = std::getenv("FAULTLINE_FAILURE_DIR");
  return from_environment != nullptr ? from_environment : "faultline-failures";
}

Result<Simulation> simulate(const Scenario& scenario, const Registry& registry, const SimulateOptions& options) {
  MemorySink sink;
  BOOST_OUTCOME_TRY(run, run_scenario(scenario, registry, sink));
  Simulation simulation{std::move(run), sink.text(), std::nullopt};
  const std::string dir = failure_dir(options);
  if (simulation.run.all_claims_held() || dir.empty()) return simulation;
  BOOST_OUTCOME_TRY(path, keep_failure(scenario, simulation.history_jsonl, dir));
  if (options.print_failure_path)
    std::fprintf(stderr, "faultline: a failing run's history: %s (replay: repro %s)\n", path.c_str(), path.c_str());
  simulation.failure_path = std::move(path);
  return simulation;
}

}  // namespace faultline
