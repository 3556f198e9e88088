#include "histories/import_common.h"

#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>

namespace faultline {

void retire_processes_after_info(std::vector<Op>& ops) {
  int64_t next_fresh = 0;
  for (const Op& op : ops) next_fresh = std::max(next_fresh, op.process + 1);
  std::map<int64_t, int64_t> current;  // source process -> id now in use
  std::map<int64_t, bool> retire_on_next_invoke;
  for (Op& op : ops) {
    if (op.is_nemesis()) continue;
    int64_t source = op.process;
    if (op.type == OpType::invoke && retire_on_next_invoke[source]) {
      current[source] = next_fresh++;
      retire_on_next_invoke[source] = false;
    }
    auto it = current.find(source);
    if (it != current.end()) op.process = it->second;
    if (op.type == OpType::info) retire_on_next_invoke[source] = true;
  }
}

Result<std::string> read_text_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail(path + ": cannot open");
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace faultline
