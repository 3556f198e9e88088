#pragma once
// Turns a history into the search's input: pairs each invoke with its completion (by
// process, in line order), drops what cannot matter (nemesis ops, failed ops, reads whose
// result is unknown), splits by key and compiles each key's ops into its own model.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "checkers/lin_model.h"
#include "checkers/linearizable.h"
#include "checkers/wgl_search.h"

namespace faultline {

struct CompiledPartition {
  std::optional<std::string> key;
  std::unique_ptr<SequentialModel> model;
  PartitionInput input;
  // Per search op: where its invoke and completion are in history.ops (-1: no completion),
  // and whether the completion tells its outcome (ok, or fail as an observation).
  std::vector<size_t> invoke_position;
  std::vector<int64_t> completion_position;
  std::vector<bool> outcome_known;
};

struct CompiledHistory {
  std::vector<CompiledPartition> partitions;  // in order of their first invoke
  size_t client_ops = 0;            // invoke/completion pairs, nemesis excluded
  size_t failed_ops = 0;            // dropped: certainly did not happen
  size_t unknown_outcome_ops = 0;   // info or never completed
  size_t unconstrained_ops = 0;     // dropped: no effect, no constraint
  size_t irrelevant_ops = 0;        // dropped: cannot change the verdict (is_irrelevant)
};

Result<CompiledHistory> compile_history(const History& history, const std::string& model,
                                        const Json& initial, const OpLocator& locate);

}  // namespace faultline
