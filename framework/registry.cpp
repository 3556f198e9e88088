#include "framework/registry.h"

#include "base/assert.h"

namespace faultline {

void Registry::add_system(SystemEntry entry) {
  FAULTLINE_ASSERT(entry.make != nullptr, "a system entry needs a factory");
  std::string name = entry.name;
  systems_.insert_or_assign(name, std::move(entry));
}

void Registry::add_nemesis(NemesisEntry entry) {
  FAULTLINE_ASSERT(entry.make != nullptr, "a nemesis entry needs a factory");
  std::string name = entry.name;
  nemeses_.insert_or_assign(name, std::move(entry));
}

const SystemEntry* Registry::system(const std::string& name) const {
  auto it = systems_.find(name);
  return it == systems_.end() ? nullptr : &it->second;
}

const NemesisEntry* Registry::nemesis(const std::string& name) const {
  auto it = nemeses_.find(name);
  return it == nemeses_.end() ? nullptr : &it->second;
}

Result<std::unique_ptr<System>> Registry::make_system(const Scenario& scenario) const {
  const SystemEntry* entry = system(scenario.system);
  if (entry == nullptr) return fail("--system: unknown system \"" + scenario.system + "\"");
  if (scenario.node_count < entry->min_nodes || scenario.node_count > entry->max_nodes)
    return fail("--nodes: system \"" + scenario.system + "\" runs on " +
                std::to_string(entry->min_nodes) + ".." + std::to_string(entry->max_nodes) +
                " nodes, not " + std::to_string(scenario.node_count));
  SystemConfig config{scenario.node_count, scenario.bug, scenario.system_params};
  auto system = entry->make(config);
  if (scenario.bug) {
    bool known = false;
    for (const auto& bug : system->bugs()) known = known || bug.name == *scenario.bug;
    if (!known)
      return fail("--bug: system \"" + scenario.system + "\" has no bug \"" + *scenario.bug +
                  "\" (see faultline bugs)");
  }
  return system;
}

Result<std::vector<NemesisPtr>> Registry::make_nemeses(const Scenario& scenario) const {
  std::vector<NemesisPtr> packages;
  for (const std::string& spec : scenario.nemesis) {
    auto colon = spec.find(':');
    std::string name = spec.substr(0, colon);
    std::string option = colon == std::string::npos ? "" : spec.substr(colon + 1);
    const NemesisEntry* entry = nemesis(name);
    if (entry == nullptr) return fail("--nemesis: unknown fault \"" + name + "\"");
    auto made = entry->make(option);
    if (!made) return fail("--nemesis " + spec + ": " + made.error().message);
    packages.push_back(std::move(made).value());
  }
  return packages;
}

}  // namespace faultline
