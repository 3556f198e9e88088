#include "checkers/fault_windows.h"

#include <algorithm>

#include "base/assert.h"

namespace faultline {

size_t FaultTimeline::window_at(size_t position) const {
  FAULTLINE_ASSERT(!windows.empty(), "a timeline has a first window");
  auto after = std::upper_bound(windows.begin(), windows.end(), position,
                                [](size_t p, const FaultWindow& w) { return p < w.begin_position; });
  return static_cast<size_t>(after - windows.begin()) - 1;
}

size_t FaultTimeline::side_of(const FaultWindow& window, int64_t node) {
  for (size_t side = 0; side < window.sides.size(); ++side)
    if (std::binary_search(window.sides[side].begin(), window.sides[side].end(), node)) return side;
  FAULTLINE_ASSERT(false, "every node is on a side");
  return 0;
}

namespace {

bool is_node_pair(const Json& link) {
  return link.is_array() && link.size() == 2 && link[0].is_number_integer() && link[1].is_number_integer();
}

bool is_node_list(const Json& nodes) {
  return nodes.is_array() && std::all_of(nodes.begin(), nodes.end(), [](const Json& n) { return n.is_number_integer(); });
}

bool is_faults_nemesis_line(const Op& op) { return op.is_nemesis() && op.type == OpType::info; }

// The fault kinds whose value the timeline reads must be readable.
Result<void> check_fault_value(const Op& op, const std::string& kind, const std::string& where) {
  if (kind == "partition") {
    const Json cut = op.value.is_object() ? op.value.value("cut", Json()) : Json();
    if (!cut.is_array() || !std::all_of(cut.begin(), cut.end(), is_node_pair))
      return fail(where + ": start-partition needs \"cut\": [[from, to], ...] of node numbers, got " + op.value.dump());
  }
  if (kind == "kill" || kind == "crash" || kind == "pause") {
    if (!op.value.is_object() || !is_node_list(op.value.value("nodes", Json())))
      return fail(where + ": start-" + kind + " needs \"nodes\": [node numbers], got " + op.value.dump());
  }
  return outcome::success();
}

void collect_fault_nodes(const Json& value, std::set<int64_t>& nodes) {
  if (!value.is_object()) return;
  for (const char* field : {"cut", "links"})
    if (value.contains(field) && value[field].is_array())
      for (const Json& link : value[field])
        if (is_node_pair(link)) nodes.insert({link[0].get<int64_t>(), link[1].get<int64_t>()});
  if (value.contains("nodes") && is_node_list(value["nodes"]))
    for (const Json& node : value["nodes"]) nodes.insert(node.get<int64_t>());
  if (value.contains("node") && value["node"].is_number_integer()) nodes.insert(value["node"].get<int64_t>());
}

std::vector<int64_t> all_nodes(const History& history, std::optional<int64_t> node_count) {
  std::set<int64_t> nodes;
  for (int64_t node = 0; node < node_count.value_or(0); ++node) nodes.insert(node);
  for (const Op& op : history.ops) {
    if (op.node) nodes.insert(*op.node);
    if (is_faults_nemesis_line(op)) collect_fault_nodes(op.value, nodes);
  }
  return {nodes.begin(), nodes.end()};
}

// Sides: connected components where two nodes are linked unless the link is cut both ways
// (a one-way cut leaves a path, so it isolates nothing; it is recorded).
void split_sides(const std::vector<int64_t>& nodes, FaultWindow& window) {
  std::set<std::pair<int64_t, int64_t>> cut;
  for (const ActiveFault& fault : window.faults)
    if (fault.kind == "partition")
      for (const Json& link : fault.value["cut"]) cut.insert({link[0].get<int64_t>(), link[1].get<int64_t>()});
  for (const auto& [from, to] : cut)
    if (!cut.contains({to, from})) window.oneway_cuts.push_back({from, to});
  std::vector<bool> placed(nodes.size(), false);
  for (size_t seed = 0; seed < nodes.size(); ++seed) {
    if (placed[seed]) continue;
    std::vector<size_t> frontier{seed};
    std::vector<int64_t> side;
    placed[seed] = true;
    while (!frontier.empty()) {
      const size_t at = frontier.back();
      frontier.pop_back();
      side.push_back(nodes[at]);
      for (size_t next = 0; next < nodes.size(); ++next) {
        const bool severed = cut.contains({nodes[at], nodes[next]}) && cut.contains({nodes[next], nodes[at]});
        if (!placed[next] && !severed) {
          placed[next] = true;
          frontier.push_back(next);
        }
      }
    }
    std::sort(side.begin(), side.end());
    window.sides.push_back(std::move(side));
  }
}

void describe_faults(const std::vector<int64_t>& nodes, FaultWindow& window) {
  split_sides(nodes, window);
  for (const ActiveFault& fault : window.faults)
    if (fault.kind == "kill" || fault.kind == "crash" || fault.kind == "pause")
      for (const Json& node : fault.value["nodes"]) window.down_nodes.insert(node.get<int64_t>());
}

// Applies one nemesis line to the open faults; true when the set of open faults changed.
Result<bool> apply_nemesis_line(const Op& op, std::vector<ActiveFault>& open, const std::string& where) {
  if (op.f == "heal") {
    const bool changed = !open.empty();
    open.clear();
    return changed;
  }
  if (op.f.starts_with("start-")) {
    const std::string kind = op.f.substr(6);
    BOOST_OUTCOME_TRYV(check_fault_value(op, kind, where));
    open.push_back(ActiveFault{.kind = kind, .value = op.value, .start_index = op.index});
    return true;
  }
  if (op.f.starts_with("stop-")) {
    const std::string kind = op.f.substr(5);
    auto oldest = std::find_if(open.begin(), open.end(), [&](const ActiveFault& f) { return f.kind == kind; });
    if (oldest == open.end()) return false;  // nothing of that kind was open
    open.erase(oldest);
    return true;
  }
  return false;  // another nemesis event: no fault starts or ends
}

}  // namespace

Result<FaultTimeline> fault_timeline(const History& history, std::optional<int64_t> node_count,
                                     const OpLocator& locate) {
  FaultTimeline timeline{.nodes = all_nodes(history, node_count)};
  const int64_t first_ns = history.ops.empty() ? 0 : history.ops.front().time_ns;
  timeline.windows.push_back(FaultWindow{.begin_position = 0, .start_ns = first_ns});
  std::vector<ActiveFault> open;
  for (size_t position = 0; position < history.ops.size(); ++position) {
    const Op& op = history.ops[position];
    if (!is_faults_nemesis_line(op)) continue;
    BOOST_OUTCOME_TRY(changed, apply_nemesis_line(op, open, locate(position)));
    if (!changed) continue;
    timeline.windows.back().end_ns = op.time_ns;
    timeline.windows.push_back(FaultWindow{.begin_position = position, .start_ns = op.time_ns, .faults = open});
  }
  timeline.windows.back().end_ns = history.ops.empty() ? 0 : history.ops.back().time_ns;
  for (FaultWindow& window : timeline.windows) describe_faults(timeline.nodes, window);
  return timeline;
}

}  // namespace faultline
