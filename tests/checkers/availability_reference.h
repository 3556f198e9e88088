#pragma once
// A brute-force availability checker written straight from the definitions of
// docs/checkers/availability.md, sharing no code with checkers/: each op's window is found by
// replaying the nemesis lines before it, sides by the transitive closure of the "not cut both
// ways" relation (Floyd-Warshall), and the verdict from the per window x side counts.
#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "checkers/verdict.h"
#include "histories/history.h"

namespace faultline::testing_support {

struct ReferenceCounts {
  size_t ops = 0, ok = 0, fail = 0, info = 0;
  size_t judged_ops = 0, judged_available = 0;
};

struct ReferenceWindow {
  std::vector<std::vector<int64_t>> sides;
  std::map<std::optional<size_t>, ReferenceCounts> by_side;  // nullopt: unknown side
};

struct ReferenceAvailabilityOptions {
  std::optional<double> min_fraction;
  size_t min_ops = 10;
  double grace_ms = 0;
  bool exclude_down = true;
  bool answered = false;
  std::optional<int64_t> node_count;
};

struct ReferenceAvailability {
  std::vector<ReferenceWindow> windows;
  Verdict verdict = Verdict::unknown;
};

class ReferenceAvailabilityChecker {
 public:
  ReferenceAvailabilityChecker(const History& history, ReferenceAvailabilityOptions options)
      : history_(history), options_(options) {}

  ReferenceAvailability run() const {
    const std::vector<int64_t> nodes = all_nodes();
    // Every line that changes the set of active faults starts a window.
    std::vector<size_t> starts{0};
    std::vector<int64_t> start_times{history_.ops.empty() ? 0 : history_.ops.front().time_ns};
    std::vector<std::vector<Op>> active_in{{}};
    std::vector<Op> active;
    for (size_t line = 0; line < history_.ops.size(); ++line) {
      const Op& op = history_.ops[line];
      if (!op.is_nemesis() || op.type != OpType::info) continue;
      if (apply(op, active)) {
        starts.push_back(line);
        start_times.push_back(op.time_ns);
        active_in.push_back(active);
      }
    }
    ReferenceAvailability result;
    for (const auto& faults : active_in) result.windows.push_back(ReferenceWindow{.sides = sides(nodes, faults)});
    size_t client_ops = 0;
    std::map<int64_t, size_t> open;  // process -> invoke line
    for (size_t line = 0; line < history_.ops.size(); ++line) {
      const Op& op = history_.ops[line];
      if (op.is_nemesis()) continue;
      if (op.type == OpType::invoke) {
        open[op.process] = line;
        continue;
      }
      count(open.at(op.process), &op, starts, start_times, active_in, result);
      open.erase(op.process);
      ++client_ops;
    }
    for (const auto& [process, line] : open) {
      count(line, nullptr, starts, start_times, active_in, result);
      ++client_ops;
    }
    result.verdict = verdict(result, client_ops);
    return result;
  }

 private:
  std::vector<int64_t> all_nodes() const {
    std::set<int64_t> nodes;
    for (int64_t n = 0; n < options_.node_count.value_or(0); ++n) nodes.insert(n);
    for (const Op& op : history_.ops) {
      if (op.node) nodes.insert(*op.node);
      if (!op.is_nemesis() || op.type != OpType::info || !op.value.is_object()) continue;
      for (const char* field : {"cut", "links"})
        if (op.value.contains(field))
          for (const Json& link : op.value[field]) nodes.insert({link[0].get<int64_t>(), link[1].get<int64_t>()});
      if (op.value.contains("nodes"))
        for (const Json& n : op.value["nodes"]) nodes.insert(n.get<int64_t>());
      if (op.value.contains("node")) nodes.insert(op.value["node"].get<int64_t>());
    }
    return {nodes.begin(), nodes.end()};
  }

  static bool apply(const Op& op, std::vector<Op>& active) {
    if (op.f == "heal") {
      const bool any = !active.empty();
      active.clear();
      return any;
    }
    if (op.f.rfind("start-", 0) == 0) {
      active.push_back(op);
      return true;
    }
    if (op.f.rfind("stop-", 0) == 0) {
      for (size_t i = 0; i < active.size(); ++i)
        if (active[i].f.substr(6) == op.f.substr(5)) {
          active.erase(active.begin() + static_cast<std::ptrdiff_t>(i));
          return true;
        }
    }
    return false;
  }

  static std::vector<std::vector<int64_t>> sides(const std::vector<int64_t>& nodes, const std::vector<Op>& faults) {
    std::set<std::pair<int64_t, int64_t>> cut;
    for (const Op& fault : faults)
      if (fault.f == "start-partition")
        for (const Json& link : fault.value["cut"]) cut.insert({link[0].get<int64_t>(), link[1].get<int64_t>()});
    const size_t n = nodes.size();
    std::vector<std::vector<bool>> reach(n, std::vector<bool>(n, false));
    for (size_t a = 0; a < n; ++a)
      for (size_t b = 0; b < n; ++b)
        reach[a][b] = a == b || !(cut.contains({nodes[a], nodes[b]}) && cut.contains({nodes[b], nodes[a]}));
    for (size_t via = 0; via < n; ++via)
      for (size_t a = 0; a < n; ++a)
        for (size_t b = 0; b < n; ++b) reach[a][b] = reach[a][b] || (reach[a][via] && reach[via][b]);
    std::vector<std::vector<int64_t>> result;
    std::set<size_t> placed;
    for (size_t a = 0; a < n; ++a) {
      if (placed.contains(a)) continue;
      std::vector<int64_t> side;
      for (size_t b = 0; b < n; ++b)
        if (reach[a][b]) {
          side.push_back(nodes[b]);
          placed.insert(b);
        }
      result.push_back(side);
    }
    return result;
  }

  void count(size_t invoke_line, const Op* completion, const std::vector<size_t>& starts,
             const std::vector<int64_t>& start_times, const std::vector<std::vector<Op>>& active_in,
             ReferenceAvailability& result) const {
    size_t window = 0;
    for (size_t w = 0; w < starts.size(); ++w)
      if (starts[w] <= invoke_line) window = w;
    const Op& invoke = history_.ops[invoke_line];
    std::optional<int64_t> node = invoke.node ? invoke.node : completion ? completion->node : std::nullopt;
    ReferenceWindow& in = result.windows[window];
    std::optional<size_t> side;
    for (size_t s = 0; s < in.sides.size(); ++s)
      if (node && std::count(in.sides[s].begin(), in.sides[s].end(), *node)) side = s;
    if (!node && in.sides.size() == 1) side = 0;
    const OpType outcome = completion ? completion->type : OpType::info;
    ReferenceCounts& counts = in.by_side[side];
    ++counts.ops;
    counts.ok += outcome == OpType::ok;
    counts.fail += outcome == OpType::fail;
    counts.info += outcome == OpType::info;
    bool down = false;
    for (const Op& fault : active_in[window])
      if (fault.f == "start-kill" || fault.f == "start-crash" || fault.f == "start-pause")
        for (const Json& n : fault.value["nodes"]) down = down || (node && n.get<int64_t>() == *node);
    const bool in_grace = static_cast<double>(invoke.time_ns) < static_cast<double>(start_times[window]) + options_.grace_ms * 1e6;
    if (in_grace || (options_.exclude_down && down)) return;
    ++counts.judged_ops;
    counts.judged_available += outcome == OpType::ok || (options_.answered && outcome == OpType::fail);
  }

  Verdict verdict(const ReferenceAvailability& result, size_t client_ops) const {
    if (client_ops == 0) return Verdict::unknown;
    if (!options_.min_fraction) return Verdict::valid;
    bool judged = false, below = false;
    for (const ReferenceWindow& window : result.windows)
      for (const auto& [side, counts] : window.by_side) {
        if (counts.judged_ops == 0 || counts.judged_ops < options_.min_ops) continue;
        judged = true;
        below = below || static_cast<double>(counts.judged_available) / counts.judged_ops < *options_.min_fraction;
      }
    return below ? Verdict::invalid : judged ? Verdict::valid : Verdict::unknown;
  }

  const History& history_;
  ReferenceAvailabilityOptions options_;
};

}  // namespace faultline::testing_support
