#include "framework/swarm.h"

#include <cmath>
#include <utility>

namespace faultline {

namespace {

constexpr int64_t kMillisecond_ns = 1'000'000;
constexpr int64_t kMicrosecond_ns = 1'000;

template <class T>
T weighted(Rng& rng, std::initializer_list<std::pair<T, uint64_t>> choices) {
  uint64_t total = 0;
  for (const auto& choice : choices) total += choice.second;
  uint64_t ticket = rng.below(total);
  for (const auto& [value, weight] : choices) {
    if (ticket < weight) return value;
    ticket -= weight;
  }
  FAULTLINE_ASSERT(false, "a weighted draw lands on a choice");
  return choices.begin()->first;
}

// Every draw is made whether or not the knob is kept, so pinning one knob by hand never
// shifts what the others draw.
template <class T>
void keep_default_or(T& value, const T& default_value, const T& drawn) {
  if (value == default_value) value = drawn;
}

int64_t round_to(double value_ns, int64_t unit_ns) { return std::llround(value_ns / unit_ns) * unit_ns; }

// Each package that names swarm options is on with probability 1/2, with one of its options.
// Each package draws from a stream of its own, so registering a package never changes what
// the seeds draw for the others. The system's own packages (its operator commands) take part
// the same way, with their default option.
Result<std::vector<std::string>> draw_packages(const Registry& registry, const SystemEntry& system, uint64_t seed,
                                               Rng& rng) {
  std::vector<std::string> eligible;
  std::vector<std::string> drawn;
  for (const auto& [name, entry] : registry.nemeses()) {
    if (entry.swarm_options.empty()) continue;
    Rng package_rng = Rng::stream(seed, "swarm/nemesis/" + name);
    const std::string& option = entry.swarm_options[package_rng.below(entry.swarm_options.size())];
    const std::string spec = option.empty() ? name : name + ":" + option;
    eligible.push_back(spec);
    if (package_rng.chance(0.5)) drawn.push_back(spec);
  }
  for (const std::string& name : system.swarm_packages) {
    Rng package_rng = Rng::stream(seed, "swarm/nemesis/" + name);
    eligible.push_back(name);
    if (package_rng.chance(0.5)) drawn.push_back(name);
  }
  if (eligible.empty()) return fail("--nemesis all: no registered fault package takes part in a swarm");
  if (drawn.empty()) drawn.push_back(eligible[rng.below(eligible.size())]);
  return drawn;
}

int draw_node_count(const SystemEntry& system, Rng& rng) {
  const int drawn = weighted<int>(rng, {{3, 3}, {4, 2}, {5, 3}, {6, 1}, {7, 1}});
  if (system.layout_nodes) return system.default_nodes;  // its params fix the count
  return drawn >= system.min_nodes && drawn <= system.max_nodes ? drawn : system.default_nodes;
}

void draw_load(Scenario& s, const Scenario& defaults, Rng& rng) {
  keep_default_or(s.concurrency, defaults.concurrency, weighted<int>(rng, {{1, 1}, {2, 2}, {3, 2}, {5, 3}, {8, 2}, {12, 1}}));
  keep_default_or(s.clients_per_node, defaults.clients_per_node, rng.chance(0.25));
  keep_default_or(s.key_count, defaults.key_count, weighted<int>(rng, {{1, 2}, {2, 1}, {3, 2}, {5, 2}, {10, 1}}));
  keep_default_or(s.rate_hz, defaults.rate_hz, std::round(rng.log_uniform(5, 200)));
  keep_default_or(s.op_timeout_ns, defaults.op_timeout_ns,
                  round_to(rng.log_uniform(250, 5000) * kMillisecond_ns, kMillisecond_ns));
}

void draw_timing(Scenario& s, const Scenario& defaults, Rng& rng) {
  keep_default_or(s.nemesis_overlap, defaults.nemesis_overlap, weighted<int>(rng, {{1, 4}, {2, 4}, {3, 2}}));
  keep_default_or(s.nemesis_interval_ns, defaults.nemesis_interval_ns,
                  round_to(rng.log_uniform(100, 4000) * kMillisecond_ns, kMillisecond_ns));
  keep_default_or(s.link.latency_ns_base, defaults.link.latency_ns_base,
                  round_to(rng.log_uniform(0.1, 5) * kMillisecond_ns, kMicrosecond_ns));
  keep_default_or(s.link.latency_ns_jitter, defaults.link.latency_ns_jitter,
                  round_to(rng.log_uniform(0.1, 20) * kMillisecond_ns, kMicrosecond_ns));
  s.nemesis_heavy_tailed = true;
}

// Later knobs draw from streams of their own, so adding one never shifts the others' draws.
void draw_disk(Scenario& s, const Scenario& defaults, uint64_t swarm_seed) {
  Rng rng = Rng::stream(swarm_seed, "swarm/torn_writes");
  keep_default_or(s.torn_writes, defaults.torn_writes, rng.chance(0.5));
}

}  // namespace

bool is_swarm(const Scenario& scenario) {
  return scenario.nemesis.size() == 1 && scenario.nemesis.front() == kSwarmNemesis;
}

Result<Scenario> resolve_swarm(const Scenario& scenario, const Registry& registry) {
  if (!is_swarm(scenario)) return scenario;
  const SystemEntry* system = registry.system(scenario.system);
  if (system == nullptr) return fail("--system: unknown system \"" + scenario.system + "\"");
  const Scenario defaults;
  Scenario s = scenario;
  const uint64_t swarm_seed = scenario.swarm_seed.value_or(scenario.seed);
  s.swarm_seed.reset();
  Rng rng = Rng::stream(swarm_seed, "swarm");
  BOOST_OUTCOME_TRY(packages, draw_packages(registry, *system, swarm_seed, rng));
  s.nemesis = std::move(packages);
  keep_default_or(s.node_count, system->default_nodes, draw_node_count(*system, rng));
  draw_load(s, defaults, rng);
  draw_timing(s, defaults, rng);
  draw_disk(s, defaults, swarm_seed);
  if (system->swarm_params) {
    const Json drawn = system->swarm_params(rng, scenario.system_params);
    for (const auto& [key, value] : drawn.items())
      if (!scenario.system_params.contains(key)) s.system_params[key] = value;
  }
  return s;
}

}  // namespace faultline
