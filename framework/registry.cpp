#include "framework/registry.h"

#include "base/assert.h"
#include "base/text.h"
#include "framework/swarm.h"

namespace faultline {

namespace {

template <class Entry>
void insert_entry(std::map<std::string, Entry>& entries, Entry entry) {
  FAULTLINE_ASSERT(!entry.name.empty(), "a registry entry needs a name");
  std::string name = entry.name;
  entries.insert_or_assign(name, std::move(entry));
}

template <class Entry>
const Entry* find_entry(const std::map<std::string, Entry>& entries, const std::string& name) {
  auto it = entries.find(name);
  return it == entries.end() ? nullptr : &it->second;
}

template <class Entry>
std::string names_of(const std::map<std::string, Entry>& entries) {
  std::string names;
  for (const auto& [name, entry] : entries) names += (names.empty() ? "" : ", ") + name;
  return names.empty() ? "none" : names;
}

Result<void> check_system_workload(const SystemEntry& entry, const Scenario& scenario) {
  for (const auto& name : entry.workloads)
    if (name == scenario.workload) return outcome::success();
  return fail("--workload: system \"" + entry.name + "\" does not speak workload \"" + scenario.workload +
              "\" (it speaks: " + joined(entry.workloads) + ")");
}

}  // namespace

void Registry::add_system(SystemEntry entry) {
  FAULTLINE_ASSERT(entry.make != nullptr, "a system entry needs a factory");
  FAULTLINE_ASSERT(!entry.workloads.empty(), "a system entry names the workloads it speaks");
  insert_entry(systems_, std::move(entry));
}

void Registry::add_workload(WorkloadEntry entry) {
  FAULTLINE_ASSERT(!entry.operations.empty() || entry.make_ops != nullptr, "a workload needs operations");
  insert_entry(workloads_, std::move(entry));
}

void Registry::add_checker(CheckerEntry entry) {
  FAULTLINE_ASSERT(entry.check != nullptr, "a checker entry needs a check function");
  insert_entry(checkers_, std::move(entry));
}

void Registry::add_nemesis(NemesisEntry entry) {
  FAULTLINE_ASSERT(entry.make != nullptr, "a nemesis entry needs a factory");
  insert_entry(nemeses_, std::move(entry));
}

const SystemEntry* Registry::system(const std::string& name) const { return find_entry(systems_, name); }
const WorkloadEntry* Registry::workload(const std::string& name) const { return find_entry(workloads_, name); }
const CheckerEntry* Registry::checker(const std::string& name) const { return find_entry(checkers_, name); }
const NemesisEntry* Registry::nemesis(const std::string& name) const { return find_entry(nemeses_, name); }

Result<Json> resolve_system_params(const SystemEntry& entry, const Json& given) {
  auto resolved = resolve_options(entry.params, given, "--param");
  if (!resolved) return fail(resolved.error().message + " (system \"" + entry.name + "\")");
  return resolved;
}

Result<std::unique_ptr<System>> Registry::make_system(const Scenario& scenario) const {
  const SystemEntry* entry = system(scenario.system);
  if (entry == nullptr)
    return fail("--system: unknown system \"" + scenario.system + "\" (known: " + names_of(systems_) + ")");
  if (scenario.node_count < entry->min_nodes || scenario.node_count > entry->max_nodes)
    return fail("--nodes: system \"" + scenario.system + "\" runs on " + std::to_string(entry->min_nodes) + ".." +
                std::to_string(entry->max_nodes) + " nodes, not " + std::to_string(scenario.node_count));
  BOOST_OUTCOME_TRYV(check_system_workload(*entry, scenario));
  BOOST_OUTCOME_TRY(params, resolve_system_params(*entry, scenario.system_params));
  SystemConfig config{.node_count = scenario.node_count, .bug = scenario.bug, .params = params,
                      .workload = scenario.workload};
  BOOST_OUTCOME_TRY(system, entry->make(config));
  if (scenario.bug) {
    bool known = false;
    for (const auto& bug : system->bugs()) known = known || bug.name == *scenario.bug;
    if (!known)
      return fail("--bug: system \"" + scenario.system + "\" has no bug \"" + *scenario.bug +
                  "\" (see faultline list)");
  }
  for (const ClaimSpec& claim : system->claims()) {
    const CheckerEntry* judge = checker(claim.checker);
    if (judge == nullptr)
      return fail("system \"" + scenario.system + "\": claim \"" + claim.name + "\" names checker \"" +
                  claim.checker + "\", which is not registered (known: " + names_of(checkers_) + ")");
    BOOST_OUTCOME_TRYV(resolve_options(judge->options, claim.checker_options,
                                       "system \"" + scenario.system + "\": claim \"" + claim.name + "\""));
  }
  return std::move(system);
}

Result<std::vector<NemesisPtr>> Registry::make_nemeses(const Scenario& scenario) const {
  std::vector<NemesisPtr> packages;
  for (const std::string& spec : scenario.nemesis) {
    if (spec == kSwarmNemesis)
      return fail(std::string("--nemesis: \"") + kSwarmNemesis +
                  "\" draws every fault kind per seed and stands alone, not in a list");
    auto colon = spec.find(':');
    std::string name = spec.substr(0, colon);
    std::string option = colon == std::string::npos ? "" : spec.substr(colon + 1);
    const NemesisEntry* entry = nemesis(name);
    if (entry == nullptr)
      return fail("--nemesis: unknown fault \"" + name + "\" (known: " + names_of(nemeses_) + "; or " +
                  kSwarmNemesis + " alone, drawn per seed)");
    if (!entry->system.empty() && entry->system != scenario.system)
      return fail("--nemesis " + name + ": a fault of the " + entry->system + " store only, "
                  "not of \"" + scenario.system + "\"");
    auto made = entry->make(option);
    if (!made) return fail("--nemesis " + spec + ": " + made.error().message);
    packages.push_back(std::move(made).value());
  }
  return packages;
}

Result<GeneratorPtr> Registry::make_workload(const Scenario& scenario) const {
  const WorkloadEntry* entry = workload(scenario.workload);
  if (entry == nullptr)
    return fail("--workload: unknown workload \"" + scenario.workload + "\" (known: " + names_of(workloads_) + ")");
  BOOST_OUTCOME_TRYV(check_workload(*entry, scenario));
  return workload_generator(*entry, scenario);
}

Result<void> Registry::check_scenario(const Scenario& given) const {
  BOOST_OUTCOME_TRYV(validate(given));
  BOOST_OUTCOME_TRY(scenario, resolve_swarm(given, *this));  // what its seed draws must run too
  BOOST_OUTCOME_TRYV(validate(scenario));
  BOOST_OUTCOME_TRYV(make_system(scenario));
  BOOST_OUTCOME_TRYV(make_nemeses(scenario));
  BOOST_OUTCOME_TRYV(make_workload(scenario));
  return outcome::success();
}

}  // namespace faultline
