#include "framework/report/history_index.h"

#include <map>

namespace faultline::report {

HistoryIndex::HistoryIndex(const History& history) : history_(history), partner_(history.ops.size(), -1) {
  std::map<int64_t, size_t> open;  // process -> its invoke's position
  for (size_t position = 0; position < history.ops.size(); ++position) {
    const Op& op = history.ops[position];
    positions_.emplace(op.index, position);
    if (op.is_nemesis()) continue;
    if (op.type == OpType::invoke) {
      open[op.process] = position;
      continue;
    }
    auto it = open.find(op.process);
    if (it == open.end()) continue;
    partner_[position] = static_cast<int64_t>(it->second);
    partner_[it->second] = static_cast<int64_t>(position);
    open.erase(it);
  }
}

std::optional<size_t> HistoryIndex::position_of(int64_t index) const {
  auto it = positions_.find(index);
  if (it == positions_.end()) return std::nullopt;
  return it->second;
}

std::optional<size_t> HistoryIndex::partner(size_t position) const {
  if (partner_[position] < 0) return std::nullopt;
  return static_cast<size_t>(partner_[position]);
}

size_t HistoryIndex::invoke_of(size_t position) const {
  if (history_.ops[position].type == OpType::invoke || partner_[position] < 0) return position;
  return static_cast<size_t>(partner_[position]);
}

int64_t HistoryIndex::start_ns(size_t position) const { return history_.ops[invoke_of(position)].time_ns; }

int64_t HistoryIndex::end_ns(size_t position) const {
  const size_t invoke = invoke_of(position);
  if (partner_[invoke] >= 0) return history_.ops[partner_[invoke]].time_ns;
  if (history_.ops[invoke].type != OpType::invoke) return history_.ops[invoke].time_ns;
  return history_.ops.empty() ? 0 : history_.ops.back().time_ns;
}

}  // namespace faultline::report
