#pragma once
// rapidcheck generators for scenarios, so a user property-tests a protocol in a few lines:
//
//   RC_GTEST_PROP(MyStore, Linearizable, ()) {
//     Scenario scenario = *faultline::gen::scenario(base, shape);
//     auto simulation = faultline::simulate(scenario, registry);
//     RC_ASSERT(!simulation.value().run.any_claim_violated());
//   }
//
// The generated scenario carries an explicit script (client ops and fault windows), so
// rapidcheck's shrinking removes ops and faults and narrows them until the failure is small.
#include <rapidcheck.h>

#include <algorithm>
#include <string>
#include <vector>

#include "framework/generator.h"
#include "framework/scenario.h"

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

inline rc::Gen<ScriptedOp> scripted_op(const ScriptShape& shape) {
  return rc::gen::exec([shape] {
    ScriptedOp scripted;
    scripted.at_ns = *rc::gen::inRange<int64_t>(0, shape.time_ns);
    scripted.slot = *rc::gen::inRange(0, shape.concurrency);
    scripted.op.key = key_name(*rc::gen::inRange(0, shape.key_count));
    scripted.op.f = *rc::gen::element<std::string>("read", "write", "cas");
    if (scripted.op.f == "write") scripted.op.value = *rc::gen::inRange(0, shape.value_range);
    if (scripted.op.f == "cas")
      scripted.op.value = Json::array({*rc::gen::inRange(0, shape.value_range), *rc::gen::inRange(0, shape.value_range)});
    return scripted;
  });
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

inline rc::Gen<Script> script(const ScriptShape& shape) {
  return rc::gen::exec([shape] {
    Script result;
    // Containers sized by rapidcheck (up to the maximum) shrink by dropping any element.
    // Elements get the nominal size back: rapidcheck scales inRange by size, which would
    // otherwise squeeze every time into the first max_ops percent of the run.
    auto full_range = [](auto element) { return rc::gen::resize(rc::kNominalSize, std::move(element)); };
    result.ops = *rc::gen::resize(shape.max_ops,
                                  rc::gen::container<std::vector<ScriptedOp>>(full_range(scripted_op(shape))));
    if (!shape.fault_kinds.empty()) {
      auto windows = *rc::gen::resize(shape.max_faults, rc::gen::container<std::vector<std::vector<ScriptedFault>>>(
                                                           full_range(fault_window(shape))));
      for (const auto& window : windows) result.faults.insert(result.faults.end(), window.begin(), window.end());
    }
    auto by_time = [](const auto& a, const auto& b) { return a.at_ns < b.at_ns; };
    std::stable_sort(result.ops.begin(), result.ops.end(), by_time);
    std::stable_sort(result.faults.begin(), result.faults.end(), by_time);
    return result;
  });
}

// `base` with a drawn seed and a drawn script of the given shape.
inline rc::Gen<Scenario> scenario(const Scenario& base, const ScriptShape& shape) {
  return rc::gen::exec([base, shape] {
    Scenario s = base;
    s.node_count = shape.node_count;
    s.concurrency = shape.concurrency;
    s.key_count = shape.key_count;
    s.value_range = shape.value_range;
    s.time_ns = shape.time_ns;
    s.seed = *rc::gen::inRange<uint64_t>(0, 1'000'000);
    s.script = *script(shape);
    return s;
  });
}

}  // namespace faultline::gen
