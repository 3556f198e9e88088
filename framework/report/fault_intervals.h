#pragma once
// The faults of a history as intervals, for a report's timeline and a witness's context. The
// nemesis lines pair as the availability checker pairs them (docs/checkers/availability.md,
// "Fault windows"): `start-X` opens a fault of kind X, `stop-X` ends the oldest open fault of
// kind X, `heal` ends every open fault.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "histories/history.h"

namespace faultline::report {

struct FaultInterval {
  std::string kind;  // partition, kill, crash, pause, clock, flaky, ...
  Json value;        // what the start line recorded
  int64_t start_index = 0;
  int64_t start_ns = 0;
  std::optional<int64_t> end_index;  // none: still active when the history ends
  int64_t end_ns = 0;                // the end line's time, else the history's last time
  std::vector<int64_t> nodes;        // the nodes it takes away: down, paused, cut off, skewed
  std::string label;                 // "partition 0 | 1 2", "pause node 1"
};

// node_count: the cluster's size when known (the header's `nodes`), so a partition's sides
// include nodes no cut names.
std::vector<FaultInterval> fault_intervals(const History& history, std::optional<int64_t> node_count);

// The sides of a partition's cut (docs/checkers/availability.md, "Sides"): two nodes are
// linked unless both directions between them are cut; sides sorted, by smallest node.
std::vector<std::vector<int64_t>> partition_sides(const Json& cut, std::optional<int64_t> node_count);

// The faults whose interval overlaps [start_ns, end_ns].
std::vector<FaultInterval> faults_during(const std::vector<FaultInterval>& faults, int64_t start_ns, int64_t end_ns);

// The cluster size a history's header names (its params' `nodes`), if any.
std::optional<int64_t> header_node_count(const History& history);

}  // namespace faultline::report
