#pragma once
// The fault timeline of a history (docs/checkers/availability.md, "Fault windows"): the
// nemesis lines cut the run into windows, each a maximal stretch of lines with one set of
// active faults (the empty set included). `start-X` opens a fault of kind X, `stop-X` ends
// the oldest open fault of kind X (starts and stops of one kind pair up in order), `heal`
// ends them all. A partition's cut links split the nodes into sides.
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "base/result.h"
#include "checkers/checker.h"
#include "histories/history.h"

namespace faultline {

struct ActiveFault {
  std::string kind;         // partition, kill, crash, pause, clock, flaky, ...
  Json value;               // what the start line recorded
  int64_t start_index = 0;  // the start line's index
};

struct FaultWindow {
  size_t begin_position = 0;  // its first line in history.ops (the nemesis line that opened it)
  int64_t start_ns = 0;
  int64_t end_ns = 0;
  std::vector<ActiveFault> faults;
  // Connected components of the nodes, two nodes linked unless both directions between them
  // are cut; each side sorted, sides ordered by their smallest node.
  std::vector<std::vector<int64_t>> sides;
  std::vector<std::pair<int64_t, int64_t>> oneway_cuts;  // cut from->to while to->from is open
  std::set<int64_t> down_nodes;                           // killed, crashed or paused
};

struct FaultTimeline {
  std::vector<int64_t> nodes;        // sorted
  std::vector<FaultWindow> windows;  // window k holds lines [begin_k, begin_{k+1})

  size_t window_at(size_t position) const;
  // The index into window.sides of the side holding `node`.
  static size_t side_of(const FaultWindow& window, int64_t node);
};

// Nodes: the integers in client ops' `node` and in fault values (`cut`, `links`, `nodes`,
// `node`), and 0..node_count-1 when given. A partition without a readable `cut`, or a kill,
// crash or pause without a readable `nodes`, is an error naming the line.
Result<FaultTimeline> fault_timeline(const History& history, std::optional<int64_t> node_count,
                                     const OpLocator& locate);

}  // namespace faultline
