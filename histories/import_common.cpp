#include "histories/import_common.h"

#include <algorithm>
#include <limits>
#include <map>

namespace faultline {

Result<void> retire_processes_after_info(std::vector<Op>& ops) {
  int64_t highest = -1;
  for (const Op& op : ops) highest = std::max(highest, op.process);
  int64_t last_id = highest;  // fresh ids count up from the highest
  std::map<int64_t, int64_t> current;  // source process -> id now in use
  std::map<int64_t, bool> retire_on_next_invoke;
  for (Op& op : ops) {
    if (op.is_nemesis()) continue;
    int64_t source = op.process;
    if (op.type == OpType::invoke && retire_on_next_invoke[source]) {
      if (last_id == std::numeric_limits<int64_t>::max())
        return fail("process " + std::to_string(source) + " needs a fresh id, but the ids reach 2^63-1");
      current[source] = ++last_id;
      retire_on_next_invoke[source] = false;
    }
    auto it = current.find(source);
    if (it != current.end()) op.process = it->second;
    if (op.type == OpType::info) retire_on_next_invoke[source] = true;
  }
  return outcome::success();
}

}  // namespace faultline
