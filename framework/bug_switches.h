#pragma once
// A system's planted bugs as one table: each row a BugSpec (name, what the code does wrong,
// the real bug it mirrors) and the switch in the system's own Bugs struct it turns on. The
// table gives `faultline list` its rows and SystemConfig::bug its meaning, so a new planted
// bug is one row plus its named hook in the protocol code.
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "framework/system.h"

namespace faultline {

template <class Bugs>
struct BugSwitch {
  BugSpec spec;
  bool Bugs::*flag;
};

template <class Bugs>
std::vector<BugSpec> bug_specs_of(const std::vector<BugSwitch<Bugs>>& table) {
  std::vector<BugSpec> specs;
  for (const auto& row : table) specs.push_back(row.spec);
  return specs;
}

// The switches for SystemConfig::bug: none when absent; an unknown name is an error.
template <class Bugs>
Result<Bugs> bugs_named(const std::vector<BugSwitch<Bugs>>& table, const std::optional<std::string>& name,
                        const std::string& system) {
  Bugs bugs;
  if (!name) return bugs;
  for (const auto& row : table) {
    if (row.spec.name != *name) continue;
    bugs.*row.flag = true;
    return bugs;
  }
  return fail("--bug: system \"" + system + "\" has no bug \"" + *name + "\" (see faultline list bugs)");
}

}  // namespace faultline
