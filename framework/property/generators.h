#pragma once
// rapidcheck generators for scenarios, so a user property-tests a protocol in a few lines:
//
//   RC_GTEST_PROP(MyStore, KeepsItsClaims, ()) {
//     Scenario scenario = *faultline::gen::scenario(base, shape, registry);
//     faultline::property::assert_claims_hold(scenario, registry);
//   }
//
// The generated scenario carries an explicit script (client ops and fault windows), so
// rapidcheck's shrinking removes ops and faults and narrows them until the failure is small.
#include <rapidcheck.h>

#include <algorithm>
#include <map>
#include <ostream>
#include <string>
#include <vector>

#include "base/assert.h"
#include "framework/generator.h"
#include "framework/registry.h"
#include "framework/scenario.h"
#include "framework/scenario_fields.h"

namespace faultline::gen {

struct ScriptShape {
  int node_count = 3;
  int concurrency = 3;
  int key_count = 2;
  int value_range = 5;
  int64_t time_ns = 5'000'000'000;
  int max_ops = 100;
  int max_faults = 4;
  std::vector<std::string> fault_kinds = {"partition", "kill", "crash", "pause"};
};

// The workload's operations this scenario issues (weight > 0), with their weights.
inline std::vector<std::pair<uint64_t, OperationSpec>> weighted_operations(const WorkloadEntry& workload,
                                                                          const Scenario& base) {
  std::vector<std::pair<uint64_t, OperationSpec>> operations;
  std::vector<uint64_t> weights = operation_weights(workload, base);
  for (size_t i = 0; i < workload.operations.size(); ++i)
    if (weights[i] > 0) operations.emplace_back(weights[i], workload.operations[i]);
  return operations;
}

// One op of the workload's vocabulary, its value drawn per its ValueKind. Unique and
// increasing values are numbered by script() once the ops are in time order.
inline rc::Gen<ScriptedOp> scripted_op(const ScriptShape& shape,
                                       const std::vector<std::pair<uint64_t, OperationSpec>>& operations) {
  return rc::gen::exec([shape, operations] {
    uint64_t total = 0;
    for (const auto& [weight, operation] : operations) total += weight;
    uint64_t draw = *rc::gen::inRange<uint64_t>(0, total);  // shrinks toward the first operation
    size_t chosen = 0;
    while (draw >= operations[chosen].first) draw -= operations[chosen++].first;
    const OperationSpec& spec = operations[chosen].second;
    ScriptedOp scripted;
    scripted.at_ns = *rc::gen::inRange<int64_t>(0, shape.time_ns);
    scripted.slot = *rc::gen::inRange(0, shape.concurrency);
    const int key = *rc::gen::inRange(0, shape.key_count);
    scripted.op.key = key_name(key);
    scripted.op.f = spec.f;
    if (spec.random_node) scripted.op.node = *rc::gen::inRange(0, shape.node_count);
    switch (spec.value) {
      case ValueKind::none: break;
      case ValueKind::in_range: scripted.op.value = *rc::gen::inRange(0, shape.value_range); break;
      case ValueKind::pair_in_range:
        scripted.op.value = Json::array({*rc::gen::inRange(0, shape.value_range), *rc::gen::inRange(0, shape.value_range)});
        break;
      case ValueKind::amount: scripted.op.value = *rc::gen::inRange(1, shape.value_range + 1); break;
      case ValueKind::unique: scripted.op.value = "unique"; break;
      case ValueKind::increasing:
        scripted.op.value = "increasing";
        scripted.slot = key % shape.concurrency;  // the key's one writer
        break;
    }
    return scripted;
  });
}

// Numbers the unique values (0, 1, 2, ... over the script) and the increasing ones (1, 2, 3,
// ... per key) in time order, as the workload's own generator would.
inline void number_values(std::vector<ScriptedOp>& ops) {
  int64_t next_unique = 0;
  std::map<std::string, int64_t> last_version;
  for (ScriptedOp& scripted : ops) {
    if (scripted.op.value == "unique") scripted.op.value = next_unique++;
    else if (scripted.op.value == "increasing") scripted.op.value = ++last_version[*scripted.op.key];
  }
}

// A non-empty proper subset of the nodes (a partition side, or the nodes a fault hits).
inline rc::Gen<std::vector<EndpointId>> node_subset(int node_count, bool proper) {
  return rc::gen::exec([node_count, proper] {
    std::vector<EndpointId> nodes;
    for (EndpointId node = 0; node < node_count; ++node)
      if (*rc::gen::arbitrary<bool>()) nodes.push_back(node);
    if (nodes.empty()) nodes.push_back(*rc::gen::inRange(0, node_count));
    if (proper && static_cast<int>(nodes.size()) == node_count) nodes.pop_back();
    return nodes;
  });
}

inline Json partition_cut(const std::vector<EndpointId>& side, int node_count) {
  Json cut = Json::array();
  for (EndpointId a = 0; a < node_count; ++a) {
    for (EndpointId b = 0; b < node_count; ++b) {
      bool a_in = std::count(side.begin(), side.end(), a) > 0;
      bool b_in = std::count(side.begin(), side.end(), b) > 0;
      if (a_in != b_in) cut.push_back({a, b});
    }
  }
  return cut;
}

// One fault window: a start event and, after a duration, its stop event, in the formats
// the built-in packages record (so they replay them).
inline rc::Gen<std::vector<ScriptedFault>> fault_window(const ScriptShape& shape) {
  return rc::gen::exec([shape] {
    std::string kind = *rc::gen::elementOf(shape.fault_kinds);
    int64_t start_ns = *rc::gen::inRange<int64_t>(0, shape.time_ns);
    int64_t stop_ns = start_ns + *rc::gen::inRange<int64_t>(1'000'000, shape.time_ns - start_ns + 1'000'001);
    stop_ns = std::min(stop_ns, shape.time_ns);
    Json value;
    if (kind == "partition") {
      value = Json{{"cut", partition_cut(*node_subset(shape.node_count, true), shape.node_count)}};
    } else if (kind == "clock") {
      value = Json{{"node", *rc::gen::inRange(0, shape.node_count)},
                   {"offset_ns", *rc::gen::inRange<int64_t>(-10'000'000'000, 10'000'000'000)},
                   {"drift_ppm", 0}, {"strobe_delta_ns", 0}, {"strobe_period_ns", 0}};
    } else {
      value = Json{{"nodes", *node_subset(shape.node_count, false)}};
    }
    Json stop_value = kind == "partition" ? Json() : kind == "clock" ? Json{{"node", value["node"]}} : value;
    return std::vector<ScriptedFault>{{start_ns, "start-" + kind, value}, {stop_ns, "stop-" + kind, stop_value}};
  });
}

inline rc::Gen<Script> script(const ScriptShape& shape,
                              const std::vector<std::pair<uint64_t, OperationSpec>>& operations) {
  return rc::gen::exec([shape, operations] {
    Script result;
    // Containers sized by rapidcheck (up to the maximum) shrink by dropping any element.
    // Elements get the nominal size back: rapidcheck scales inRange by size, which would
    // otherwise squeeze every time into the first max_ops percent of the run.
    auto full_range = [](auto element) { return rc::gen::resize(rc::kNominalSize, std::move(element)); };
    result.ops = *rc::gen::resize(shape.max_ops,
                                  rc::gen::container<std::vector<ScriptedOp>>(full_range(scripted_op(shape, operations))));
    if (!shape.fault_kinds.empty()) {
      auto windows = *rc::gen::resize(shape.max_faults, rc::gen::container<std::vector<std::vector<ScriptedFault>>>(
                                                           full_range(fault_window(shape))));
      for (const auto& window : windows) result.faults.insert(result.faults.end(), window.begin(), window.end());
    }
    auto by_time = [](const auto& a, const auto& b) { return a.at_ns < b.at_ns; };
    std::stable_sort(result.ops.begin(), result.ops.end(), by_time);
    std::stable_sort(result.faults.begin(), result.faults.end(), by_time);
    number_values(result.ops);
    return result;
  });
}

// `base` with a drawn seed and a drawn script of the given shape, its ops from base's
// workload (the operations its mix gives a weight) in the registry.
inline rc::Gen<Scenario> scenario(const Scenario& base, const ScriptShape& shape, const Registry& registry) {
  const WorkloadEntry* workload = registry.workload(base.workload);
  FAULTLINE_ASSERT(workload != nullptr, "gen::scenario: the base scenario's workload is not registered");
  auto operations = weighted_operations(*workload, base);
  FAULTLINE_ASSERT(!operations.empty(), "gen::scenario: the base scenario's mix gives no operation a weight");
  return rc::gen::exec([base, shape, operations] {
    Scenario s = base;
    s.node_count = shape.node_count;
    s.concurrency = shape.concurrency;
    s.key_count = shape.key_count;
    s.value_range = shape.value_range;
    s.time_ns = shape.time_ns;
    s.seed = *rc::gen::inRange<uint64_t>(0, 1'000'000);
    s.script = *script(shape, operations);
    return s;
  });
}

}  // namespace faultline::gen

namespace faultline {

// How rapidcheck prints a scenario in a counterexample: the flags that rerun it, then its
// script one event per line.
inline void showValue(const Scenario& scenario, std::ostream& out) {
  out << scenario_flags_text(scenario);
  if (!scenario.script) return;
  out << "\n  script: " << scenario.script->ops.size() << " ops, " << scenario.script->faults.size() << " fault events";
  for (const ScriptedFault& fault : scenario.script->faults)
    out << "\n    at " << format_duration(fault.at_ns) << ": " << fault.f << " " << fault.value.dump();
  for (const ScriptedOp& scripted : scenario.script->ops) {
    out << "\n    at " << format_duration(scripted.at_ns) << ", slot " << scripted.slot << ": " << scripted.op.f << " "
        << scripted.op.key.value_or("") << " " << scripted.op.value.dump();
    if (scripted.op.node) out << " @node " << *scripted.op.node;
  }
}

}  // namespace faultline
