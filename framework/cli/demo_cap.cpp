#include "framework/cli/demo_cap.h"

#include <algorithm>
#include <cstdio>

#include "framework/cli/run_report.h"
#include "framework/cli/table.h"
#include "framework/run.h"
#include "framework/scenario.h"

namespace faultline::cli {

namespace {

constexpr int kNodes = 5;
constexpr int kClientsPerNode = 2;

struct CapStore {
  std::string system;
  std::string label;
  std::string workload;
  Json params = Json::object();
  std::map<std::string, uint64_t> mix;
};

struct SideCounts {
  int64_t ops = 0;
  int64_t ok = 0;
};

struct CapFigures {
  SideCounts minority;
  SideCounts majority;
  std::vector<std::pair<std::string, int>> claims_held;  // claimed claim -> seeds it held, in the store's order
  int seeds = 0;
  int availability_held = 0;  // seeds where the AP store's availability claim held
  double slowest_convergence_ms = 0;
  int seeds_not_converged = 0;
};

Scenario cap_scenario(const CapStore& store, uint64_t seed, int64_t time_ns) {
  Scenario s;
  s.system = store.system;
  s.workload = store.workload;
  s.system_params = store.params;
  s.mix = store.mix;
  s.node_count = kNodes;
  s.concurrency = kNodes * kClientsPerNode;
  s.clients_per_node = true;
  s.nemesis = {"partition:halves"};
  // One partition as long as the demo's runs, from the middle of the main phase until the
  // heal ends it (so the time to converge measures the catching up of the side that was cut
  // off). A minority client waits out each op's timeout, so the partition must be long enough
  // to give the availability checker its minimum of judged ops there.
  s.nemesis_interval_ns = time_ns;
  s.time_ns = 2 * time_ns;
  s.seed = seed;
  return s;
}

// The ops of partitioned windows, per side: a side with fewer than half the nodes is the
// minority. (Ops with no node form an unknown side; bound clients leave none.)
void add_sides(const Json& evidence, CapFigures& figures) {
  for (const Json& window : evidence.at("windows")) {
    if (window.at("sides").size() < 2) continue;
    for (const Json& side : window.at("side_totals")) {
      const size_t nodes = side.at("nodes").size();
      if (nodes == 0) continue;
      SideCounts& counts = 2 * nodes < static_cast<size_t>(kNodes) ? figures.minority : figures.majority;
      counts.ops += side.at("ops").get<int64_t>();
      counts.ok += side.at("ok").get<int64_t>();
    }
  }
}

void add_run(const RunResult& run, const CheckResult& availability, CapFigures& figures) {
  ++figures.seeds;
  add_sides(availability.evidence, figures);
  figures.availability_held += availability.verdict == Verdict::valid;
  for (const ClaimOutcome& outcome : run.claims) {
    if (!outcome.claim.claimed || outcome.claim.name == "availability") continue;
    auto found = std::find_if(figures.claims_held.begin(), figures.claims_held.end(),
                              [&](const auto& held) { return held.first == outcome.claim.name; });
    if (found == figures.claims_held.end()) found = figures.claims_held.insert(found, {outcome.claim.name, 0});
    found->second += outcome.result.verdict == Verdict::valid;
  }
  const Json converged = run.metrics.value("converged_ms_after_heal", Json());
  if (converged.is_number())
    figures.slowest_convergence_ms = std::max(figures.slowest_convergence_ms, converged.get<double>());
  else
    ++figures.seeds_not_converged;
}

std::string answered(const SideCounts& counts) {
  if (counts.ops == 0) return "no ops";
  char text[64];
  std::snprintf(text, sizeof text, "%lld/%lld ok (%.0f%%)", static_cast<long long>(counts.ok),
                static_cast<long long>(counts.ops), 100.0 * static_cast<double>(counts.ok) / static_cast<double>(counts.ops));
  return text;
}

TableRow cap_row(const CapStore& store, const CapFigures& figures) {
  std::string claims;
  for (const auto& [name, held] : figures.claims_held)
    claims += (claims.empty() ? "" : ", ") + name + " " + std::to_string(held) + "/" + std::to_string(figures.seeds);
  char converged[64];
  std::snprintf(converged, sizeof converged, "%.0f ms", figures.slowest_convergence_ms);
  std::string convergence = figures.seeds_not_converged == 0
                                ? std::string("within ") + converged
                                : "not by the end of " + std::to_string(figures.seeds_not_converged) + " runs";
  const int broken = figures.seeds - figures.availability_held;
  const std::string availability = (broken == 0 ? "held " + std::to_string(figures.seeds) : "VIOLATED " + std::to_string(broken)) +
                                   "/" + std::to_string(figures.seeds);
  return {store.system, store.label, answered(figures.minority), answered(figures.majority), availability, claims,
          convergence};
}

const ClaimOutcome* find_claim(const RunResult& run, const std::string& name) {
  for (const ClaimOutcome& outcome : run.claims)
    if (outcome.claim.name == name) return &outcome;
  return nullptr;
}

Result<RunResult> run_store(const CapStore& store, uint64_t seed, int64_t time_ns, const Registry& registry) {
  MemorySink sink;
  auto run = run_scenario(cap_scenario(store, seed, time_ns), registry, sink);
  if (!run) return fail(store.system + " seed " + std::to_string(seed) + ": " + run.error().message);
  return run;
}

}  // namespace

Result<std::string> cap_table(int seed_count, int64_t time_ns, const Registry& registry, const std::string& program) {
  const SystemEntry* dynamo = registry.system("dynamo");
  if (registry.system("raft") == nullptr || dynamo == nullptr) return std::string();
  auto always = std::find_if(dynamo->configurations.begin(), dynamo->configurations.end(),
                             [](const auto& configuration) { return configuration.name == "always-writeable"; });
  if (always == dynamo->configurations.end()) return std::string();
  // The partition starts after one --time and lasts another (cap_scenario); the nemesis
  // interval has a floor of 1 ms.
  if (time_ns < 1'000'000) return fail("--time: the CAP rows need at least 1ms, got " + format_duration(time_ns));
  // Raft's register without cas: a cas refused by its precondition is an answer the
  // availability checker (measuring ok) would count against raft.
  const CapStore cp{.system = "raft", .label = "register (read, write)", .workload = "register",
                    .mix = {{"read", 1}, {"write", 1}, {"cas", 0}}};
  const CapStore ap{.system = "dynamo", .label = "always-writeable (" + always->workload + ", R=W=1, sloppy)",
                    .workload = always->workload, .params = always->params};
  CapFigures cp_figures, ap_figures;
  for (uint64_t seed = 1; seed <= static_cast<uint64_t>(seed_count); ++seed) {
    BOOST_OUTCOME_TRY(ap_run, run_store(ap, seed, time_ns, registry));
    const ClaimOutcome* availability = find_claim(ap_run, "availability");
    if (availability == nullptr) return fail("dynamo's always-writeable configuration makes no availability claim");
    add_run(ap_run, availability->result, ap_figures);
    // The AP store's availability claim, judged on the CP store's history.
    BOOST_OUTCOME_TRY(cp_run, run_store(cp, seed, time_ns, registry));
    add_run(cp_run, judge_claim(availability->claim, cp_run.history, registry), cp_figures);
  }
  std::string text = render_table({"system", "configuration", "minority side", "majority side", "availability",
                                   "its other claims held", "replicas agreed after heal"},
                                  {cap_row(cp, cp_figures), cap_row(ap, ap_figures)});
  text += "\nRerun a row's first seed (add --seed N for others):\n";
  for (const CapStore* store : {&cp, &ap})
    text += "  " + run_command_line(cap_scenario(*store, 1, time_ns), "out/demo/cap-" + store->system, program) + "\n";
  return text;
}

}  // namespace faultline::cli
