#include "framework/report/fault_intervals.h"

#include <algorithm>
#include <deque>
#include <map>
#include <numeric>
#include <set>

namespace faultline::report {

namespace {

std::set<int64_t> integers_in(const Json& value) {
  std::set<int64_t> found;
  if (value.is_number_integer()) found.insert(value.get<int64_t>());
  if (value.is_array())
    for (const Json& item : value) found.merge(integers_in(item));
  return found;
}

std::string node_list(const std::vector<int64_t>& nodes) {
  std::string text;
  for (int64_t node : nodes) text += (text.empty() ? "" : " ") + std::to_string(node);
  return text;
}

// The nodes a partition cuts off: every side but the largest (the first of the largest).
std::vector<int64_t> minority_nodes(const std::vector<std::vector<int64_t>>& sides) {
  if (sides.size() < 2) return {};
  auto largest = std::max_element(sides.begin(), sides.end(),
                                  [](const auto& a, const auto& b) { return a.size() < b.size(); });
  std::vector<int64_t> nodes;
  for (auto side = sides.begin(); side != sides.end(); ++side)
    if (side != largest) nodes.insert(nodes.end(), side->begin(), side->end());
  std::sort(nodes.begin(), nodes.end());
  return nodes;
}

void describe(FaultInterval& fault, std::optional<int64_t> node_count) {
  const Json& value = fault.value;
  if (fault.kind == "partition" && value.is_object() && value.contains("cut")) {
    auto sides = partition_sides(value["cut"], node_count);
    fault.nodes = minority_nodes(sides);
    std::string text;
    for (const auto& side : sides) text += (text.empty() ? "" : " | ") + node_list(side);
    std::string shape = value.contains("shape") && value["shape"].is_string() ? value["shape"].get<std::string>() : "";
    fault.label = "partition" + (shape.empty() ? "" : " (" + shape + ")") + " " + text;
    return;
  }
  std::set<int64_t> nodes;
  if (value.is_object()) {
    for (const char* field : {"nodes", "node", "links"})
      if (value.contains(field)) nodes.merge(integers_in(value[field]));
  }
  fault.nodes.assign(nodes.begin(), nodes.end());
  fault.label = fault.kind;
  if (!fault.nodes.empty()) fault.label += (fault.nodes.size() == 1 ? " node " : " nodes ") + node_list(fault.nodes);
}

}  // namespace

std::vector<std::vector<int64_t>> partition_sides(const Json& cut, std::optional<int64_t> node_count) {
  std::set<int64_t> nodes = integers_in(cut);
  for (int64_t node = 0; node_count && node < *node_count; ++node) nodes.insert(node);
  std::set<std::pair<int64_t, int64_t>> cut_links;
  if (cut.is_array())
    for (const Json& link : cut)
      if (link.is_array() && link.size() == 2 && link[0].is_number_integer() && link[1].is_number_integer())
        cut_links.insert({link[0].get<int64_t>(), link[1].get<int64_t>()});
  // Union-find over the nodes that still reach each other in at least one direction.
  std::vector<int64_t> order(nodes.begin(), nodes.end());
  std::map<int64_t, int64_t> parent;
  for (int64_t node : order) parent[node] = node;
  auto root = [&](int64_t node) {
    while (parent[node] != node) node = parent[node] = parent[parent[node]];
    return node;
  };
  for (size_t i = 0; i < order.size(); ++i)
    for (size_t j = i + 1; j < order.size(); ++j)
      if (!cut_links.count({order[i], order[j]}) || !cut_links.count({order[j], order[i]}))
        parent[root(order[j])] = root(order[i]);
  std::map<int64_t, std::vector<int64_t>> by_root;
  for (int64_t node : order) by_root[root(node)].push_back(node);
  std::vector<std::vector<int64_t>> sides;
  for (auto& [r, side] : by_root) sides.push_back(std::move(side));
  std::sort(sides.begin(), sides.end());
  return sides;
}

std::vector<FaultInterval> fault_intervals(const History& history, std::optional<int64_t> node_count) {
  std::vector<FaultInterval> faults;
  std::map<std::string, std::deque<size_t>> open;  // kind -> open faults, oldest first
  const int64_t last_ns = history.ops.empty() ? 0 : history.ops.back().time_ns;
  auto close = [&](size_t at, const Op& line) {
    faults[at].end_index = line.index;
    faults[at].end_ns = line.time_ns;
  };
  for (const Op& line : history.ops) {
    if (!line.is_nemesis() || line.type == OpType::invoke) continue;
    if (line.f == "heal") {
      for (auto& [kind, queue] : open)
        for (size_t at : queue) close(at, line);
      open.clear();
    } else if (line.f.starts_with("start-")) {
      FaultInterval fault{.kind = line.f.substr(6), .value = line.value, .start_index = line.index,
                          .start_ns = line.time_ns, .end_ns = last_ns};
      describe(fault, node_count);
      open[fault.kind].push_back(faults.size());
      faults.push_back(std::move(fault));
    } else if (line.f.starts_with("stop-")) {
      auto it = open.find(line.f.substr(5));
      if (it == open.end() || it->second.empty()) continue;  // a stop with nothing open changes nothing
      close(it->second.front(), line);
      it->second.pop_front();
    }
  }
  return faults;
}

std::vector<FaultInterval> faults_during(const std::vector<FaultInterval>& faults, int64_t start_ns, int64_t end_ns) {
  std::vector<FaultInterval> during;
  for (const FaultInterval& fault : faults)
    if (fault.start_ns <= end_ns && fault.end_ns >= start_ns) during.push_back(fault);
  return during;
}

std::optional<int64_t> header_node_count(const History& history) {
  if (!history.header || !history.header->is_object()) return std::nullopt;
  const Json& header = *history.header;
  if (header.contains("params") && header["params"].is_object() && header["params"].contains("nodes") &&
      header["params"]["nodes"].is_number_integer())
    return header["params"]["nodes"].get<int64_t>();
  return std::nullopt;
}

}  // namespace faultline::report
