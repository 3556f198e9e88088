#pragma once
// Everything a run can name: systems, workloads, checkers and fault packages. The framework
// runs whatever it is handed; only the composition root (framework/cli/builtins) fills a
// registry with the built-in ones, and a user's program fills its own the same way (one
// add_* call per entry, no edit under framework/).
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "base/options.h"
#include "base/result.h"
#include "checkers/checker.h"
#include "framework/nemesis.h"
#include "framework/random.h"
#include "framework/scenario.h"
#include "framework/system.h"
#include "framework/workload.h"
#include "framework/world.h"

namespace faultline {

struct SystemEntry {
  std::string name;
  std::string description;
  int min_nodes = 1;
  int max_nodes = 64;
  int default_nodes = 3;
  // Fails on params it cannot use (they arrive resolved against `params`).
  std::function<Result<std::unique_ptr<System>>(const SystemConfig&)> make;
  // Planted bugs the demo shows being caught, each with the faults that expose it.
  std::vector<std::pair<std::string, std::vector<std::string>>> showcase_bugs;
  // The workloads its client speaks; the first is its default.
  std::vector<std::string> workloads = {"register"};
  // Its settings (`--param key=value`); an unknown key or a bad value is an error.
  OptionTable params;
  // Named configurations (workload and params) that `faultline matrix` runs side by side to
  // show what each one claims and gives up, e.g. {"async+auto", "set", {"replication":"async"}}.
  struct Configuration {
    std::string name;
    std::string workload;
    Json params = Json::object();
  };
  std::vector<Configuration> configurations;
  // Draws the timing knobs a swarm varies (`--nemesis all`: election timeouts, batch sizes,
  // snapshot thresholds, client deadlines), each within its valid range and consistent with
  // the params given by hand (its second argument; those are kept); absent: none.
  std::function<Json(Rng&, const Json& given)> swarm_params;
  // The node count its params fix (the sharded store's controller and groups), given its
  // params resolved against `params`; absent: any count in min_nodes..max_nodes. It is the
  // count when --nodes is not given, and a swarm never draws another.
  std::function<int(const Json& params)> layout_nodes;
  // Its own fault packages (operator commands only it understands, such as the sharded
  // store's `move`) that a swarm draws for it besides the generic ones.
  std::vector<std::string> swarm_packages;
};

struct NemesisEntry {
  std::string name;
  std::string description;
  // option is what follows "name:" on the command line ("" when none), e.g. "ring".
  std::function<Result<NemesisPtr>(const std::string& option)> make;
  std::vector<std::string> options;  // the accepted options, for help and `faultline list`
  // The options a swarm (`--nemesis all`) draws one of, "" for none; empty: never in a swarm
  // (a fault meant for one system, such as an operator's failover).
  std::vector<std::string> swarm_options;
  // The one system whose operator commands it sends (its nodes alone understand them);
  // empty: any system.
  std::string system;
};

using CheckerEntry = CheckerSpec;

// A world of real processes for a scenario (framework/runtime/): it starts the cluster's
// processes, with their data under work_dir, before it returns. Registered by a program that
// links the real runtime, so the framework itself needs no sockets.
using RealRuntimeFactory =
    std::function<Result<std::unique_ptr<World>>(const Scenario&, const System&, const std::string& work_dir)>;

class Registry {
 public:
  void add_system(SystemEntry entry);
  void add_workload(WorkloadEntry entry);
  void add_checker(CheckerEntry entry);
  void add_nemesis(NemesisEntry entry);
  void set_real_runtime(RealRuntimeFactory factory) { real_runtime_ = std::move(factory); }

  const SystemEntry* system(const std::string& name) const;
  const WorkloadEntry* workload(const std::string& name) const;
  const CheckerEntry* checker(const std::string& name) const;
  const NemesisEntry* nemesis(const std::string& name) const;
  const std::map<std::string, SystemEntry>& systems() const { return systems_; }
  const std::map<std::string, WorkloadEntry>& workloads() const { return workloads_; }
  const std::map<std::string, CheckerEntry>& checkers() const { return checkers_; }
  const std::map<std::string, NemesisEntry>& nemeses() const { return nemeses_; }
  const RealRuntimeFactory& real_runtime() const { return real_runtime_; }  // empty: none

  // The scenario's system, checked against its node limits, workloads, params and planted
  // bugs; every claim it makes must name a registered checker with options it accepts.
  Result<std::unique_ptr<System>> make_system(const Scenario& scenario) const;
  // The scenario's fault packages, each "name" or "name:option".
  Result<std::vector<NemesisPtr>> make_nemeses(const Scenario& scenario) const;
  // The scenario's workload: main phase, quiet period, final reads.
  Result<GeneratorPtr> make_workload(const Scenario& scenario) const;
  // Every check a scenario needs before it runs (the errors a run would hit at its start).
  Result<void> check_scenario(const Scenario& scenario) const;

 private:
  std::map<std::string, SystemEntry> systems_;
  std::map<std::string, WorkloadEntry> workloads_;
  std::map<std::string, CheckerEntry> checkers_;
  std::map<std::string, NemesisEntry> nemeses_;
  RealRuntimeFactory real_runtime_;
};

// A system's params with their defaults filled in, e.g. for its constructor.
Result<Json> resolve_system_params(const SystemEntry& entry, const Json& given);

}  // namespace faultline
