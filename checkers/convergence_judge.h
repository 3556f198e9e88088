#pragma once
// The judgment of one key (docs/checkers/convergence.md, "Definitions"): do the replicas
// agree after the final heal, how long did it take, is every value read explained by an
// update that was attempted, and did every acknowledged update survive.
#include <optional>
#include <vector>

#include "checkers/convergence_input.h"

namespace faultline {

// One node's (or several nodes') last final read, when the nodes disagree.
struct NodeValue {
  std::vector<std::optional<int64_t>> nodes;  // nullopt: unknown node
  Json value;
  int64_t read_index = 0;  // the last read of the first node
};

// A value (element, register value, counter total) that no attempted update explains.
struct Unexplained {
  Json value;
  int64_t read_index = 0;  // the first ok final read that returned it
};

// Counters: the agreed total against the acknowledged updates (docs: "counter").
struct CounterSurvival {
  int64_t acknowledged_sum = 0;
  size_t acknowledged_updates = 0;
  size_t uncertain_updates = 0;  // info, or ok but completed once the final reads had begun
  int64_t uncertain_lower = 0;   // the range the uncertain updates can add
  int64_t uncertain_upper = 0;
  bool exact = true;             // false: past subset_sum_limit, only [lower, upper] was checked
  bool survived = true;
};

struct KeyFinding {
  std::optional<std::string> key;
  size_t final_reads = 0;
  size_t ok_final_reads = 0;
  std::optional<Json> agreed;          // set when the last read of every node agrees
  std::vector<NodeValue> by_node;      // filled when they disagree
  std::optional<double> time_to_agreement_ms;
  std::vector<const Update*> lost;     // acknowledged updates missing from the agreed value
  std::optional<CounterSurvival> counter;
  std::vector<Unexplained> unexplained;
  bool approximate = false;            // a counter check used [lower, upper]

  bool diverged() const { return ok_final_reads > 0 && !agreed; }
  bool loses_acknowledged() const { return !lost.empty() || (counter && !counter->survived); }
};

struct JudgeSettings {
  DataType type = DataType::set;
  int64_t time_base_ns = 0;   // the last heal, else the first final read
  int64_t subset_sum_limit = 10'000;
};

KeyFinding judge_key(const KeyInput& key, const JudgeSettings& settings);

}  // namespace faultline
