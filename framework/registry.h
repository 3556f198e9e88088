#pragma once
// The systems and fault packages a run can name. The framework runs whatever it is handed;
// only the composition root (framework/cli/builtins) fills a registry with concrete ones,
// and a user's program can fill its own.
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "base/result.h"
#include "framework/nemesis.h"
#include "framework/scenario.h"
#include "framework/system.h"

namespace faultline {

struct SystemEntry {
  std::string name;
  std::string description;
  int min_nodes = 1;
  int max_nodes = 64;
  int default_nodes = 3;
  std::function<std::unique_ptr<System>(const SystemConfig&)> make;
  // Planted bugs the demo shows being caught, each with the faults that expose it.
  std::vector<std::pair<std::string, std::vector<std::string>>> showcase_bugs;
};

struct NemesisEntry {
  std::string name;
  std::string description;
  // option is what follows "name:" on the command line ("" when none), e.g. "ring".
  std::function<Result<NemesisPtr>(const std::string& option)> make;
};

class Registry {
 public:
  void add_system(SystemEntry entry);
  void add_nemesis(NemesisEntry entry);
  const SystemEntry* system(const std::string& name) const;
  const NemesisEntry* nemesis(const std::string& name) const;
  const std::map<std::string, SystemEntry>& systems() const { return systems_; }
  const std::map<std::string, NemesisEntry>& nemeses() const { return nemeses_; }

  // The scenario's system, checked against its node limits and planted bugs.
  Result<std::unique_ptr<System>> make_system(const Scenario& scenario) const;
  // The scenario's fault packages, each "name" or "name:option".
  Result<std::vector<NemesisPtr>> make_nemeses(const Scenario& scenario) const;

 private:
  std::map<std::string, SystemEntry> systems_;
  std::map<std::string, NemesisEntry> nemeses_;
};

}  // namespace faultline
