#pragma once
// Workloads: what clients do during a run (docs/workloads.md). A workload is a registry
// entry: its name, its vocabulary (the operations it issues, in --mix order, each with how
// its value is drawn), and optionally its own main-phase generator. Every run of a workload
// has the same shape (after Jepsen): the main phase with faults on, a quiet period after the
// heal, then final reads of every key from every node.
#include <functional>
#include <string>
#include <vector>

#include "base/result.h"
#include "framework/generator.h"
#include "framework/scenario.h"

namespace faultline {

// How an operation's value is drawn, by the generator and by property-test scripts alike.
enum class ValueKind {
  none,           // reads: null
  in_range,       // an integer in [0, value_range)
  pair_in_range,  // cas: [expected, new], each in [0, value_range)
  amount,         // a positive integer in [1, value_range] (counter updates)
  unique,         // an integer never used before in the run (set adds, list appends)
  increasing,     // 1, 2, 3, ... per key, issued only by the key's owning slot (key i
                  // belongs to slot i mod concurrency); a slot that owns no key reads instead
};

struct OperationSpec {
  std::string f;
  uint64_t default_weight = 1;
  ValueKind value = ValueKind::none;
  bool random_node = false;  // each op addresses a node drawn at random (session reads)
  bool null_allowed = false;  // null is also a valid value (register-delete's delete: a write of null)
};

struct WorkloadEntry {
  std::string name;
  std::string description;
  std::vector<OperationSpec> operations;  // the vocabulary, in --mix order
  // The main phase's op source before rate and time limits; empty means a weighted mix of
  // `operations`, values drawn per their ValueKind.
  std::function<GeneratorPtr(const Scenario&)> make_ops;
  std::string final_read_f = "read";  // the op each final read issues ("" for none)
  // Checks beyond the mix (which must name known operations); may be empty.
  std::function<Result<void>(const Scenario&)> validate;
};

// The weight of each of the workload's operations in this scenario: its mix (by op name)
// where it names one, else the operation's default weight.
std::vector<uint64_t> operation_weights(const WorkloadEntry& workload, const Scenario& scenario);

// Rejects a mix naming an operation the workload does not issue, or with no positive weight.
Result<void> check_workload(const WorkloadEntry& workload, const Scenario& scenario);

// The whole run: main phase (the scenario's script when it has one), quiet, final reads.
GeneratorPtr workload_generator(const WorkloadEntry& workload, const Scenario& scenario);

// The default op source: a weighted mix of the operations, values per ValueKind.
GeneratorPtr operation_mix(const WorkloadEntry& workload, const Scenario& scenario);

}  // namespace faultline
