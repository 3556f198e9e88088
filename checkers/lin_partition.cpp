#include "checkers/lin_partition.h"

#include <algorithm>
#include <map>
#include <unordered_map>

namespace faultline {
namespace {

struct PairedOp {
  size_t invoke_position;
  int64_t completion_position = -1;  // -1: never completed
};

// Jepsen's rule: a process runs one op at a time, so a completion belongs to the open
// invoke of its process.
Result<std::vector<PairedOp>> pair_ops(const History& history, const OpLocator& locate) {
  std::vector<PairedOp> pairs;
  std::unordered_map<int64_t, size_t> open;  // process -> index into pairs
  for (size_t position = 0; position < history.ops.size(); ++position) {
    const Op& op = history.ops[position];
    if (op.is_nemesis()) continue;
    auto it = open.find(op.process);
    if (op.type == OpType::invoke) {
      if (it != open.end())
        return fail(locate(position) + ": process " + std::to_string(op.process) +
                    " invokes while its op from " + locate(pairs[it->second].invoke_position) +
                    " is still open");
      open.emplace(op.process, pairs.size());
      pairs.push_back(PairedOp{position});
      continue;
    }
    if (it == open.end())
      return fail(locate(position) + ": a completion (" + std::string(to_string(op.type)) +
                  ") of process " + std::to_string(op.process) + " with no open invoke");
    PairedOp& pair = pairs[it->second];
    const Op& invoke = history.ops[pair.invoke_position];
    if (invoke.f != op.f || invoke.key != op.key)
      return fail(locate(position) + ": the completion's f/key differ from its invoke at " +
                  locate(pair.invoke_position));
    pair.completion_position = static_cast<int64_t>(position);
    open.erase(it);
  }
  return pairs;
}

// A failed cas whose error is "mismatch" did not happen and also observed that the value was
// not the expected one (etcd / Porcupine semantics); every other fail is dropped.
bool is_observation(const Op& completion) {
  return completion.type == OpType::fail && completion.f == "cas" &&
         completion.error == std::optional<std::string>("mismatch");
}

struct Event {
  size_t position;
  ModelOpId op;
  bool is_call;
};

void build_events(CompiledPartition& partition) {
  std::vector<Event> events;
  for (ModelOpId op = 0; op < partition.invoke_position.size(); ++op) {
    events.push_back(Event{partition.invoke_position[op], op, true});
    if (partition.outcome_known[op])
      events.push_back(Event{static_cast<size_t>(partition.completion_position[op]), op, false});
  }
  std::sort(events.begin(), events.end(),
            [](const Event& a, const Event& b) { return a.position < b.position; });
  partition.input.events.reserve(events.size());
  for (const Event& event : events) partition.input.events.push_back({event.op, event.is_call});
  partition.input.op_count = partition.invoke_position.size();
}

size_t drop_irrelevant(CompiledPartition& partition) {
  size_t kept = 0;
  const size_t count = partition.input.model_ops.size();
  for (size_t op = 0; op < count; ++op) {
    if (partition.model->is_irrelevant(partition.input.model_ops[op])) continue;
    partition.input.model_ops[kept] = partition.input.model_ops[op];
    partition.invoke_position[kept] = partition.invoke_position[op];
    partition.completion_position[kept] = partition.completion_position[op];
    partition.outcome_known[kept] = partition.outcome_known[op];
    ++kept;
  }
  partition.input.model_ops.resize(kept);
  partition.invoke_position.resize(kept);
  partition.completion_position.resize(kept);
  partition.outcome_known.resize(kept);
  return count - kept;
}

}  // namespace

Result<CompiledHistory> compile_history(const History& history, const std::string& model,
                                        const Json& initial, const OpLocator& locate) {
  BOOST_OUTCOME_TRY(validate_model(model, initial));
  BOOST_OUTCOME_TRY(pairs, pair_ops(history, locate));
  CompiledHistory compiled;
  std::map<std::optional<std::string>, size_t> partition_of_key;
  for (const PairedOp& pair : pairs) {
    ++compiled.client_ops;
    const Op& invoke = history.ops[pair.invoke_position];
    const Op* completion =
        pair.completion_position >= 0 ? &history.ops[pair.completion_position] : nullptr;
    if (completion != nullptr && completion->type == OpType::fail && !is_observation(*completion)) {
      ++compiled.failed_ops;
      continue;
    }
    const bool known = completion != nullptr && completion->type != OpType::info;
    if (!known) ++compiled.unknown_outcome_ops;
    auto [it, added] = partition_of_key.emplace(invoke.key, compiled.partitions.size());
    if (added) {
      CompiledPartition partition;
      partition.key = invoke.key;
      partition.model = make_model(model, initial);
      compiled.partitions.push_back(std::move(partition));
    }
    CompiledPartition& partition = compiled.partitions[it->second];
    BOOST_OUTCOME_TRY(model_op, partition.model->add_op(invoke, known ? completion : nullptr,
                                                            locate(pair.invoke_position)));
    if (partition.model->is_unconstrained_noop(model_op)) {
      ++compiled.unconstrained_ops;
      continue;
    }
    partition.input.model_ops.push_back(model_op);
    partition.invoke_position.push_back(pair.invoke_position);
    partition.completion_position.push_back(pair.completion_position);
    partition.outcome_known.push_back(known);
  }
  for (CompiledPartition& partition : compiled.partitions) {
    compiled.irrelevant_ops += drop_irrelevant(partition);
    build_events(partition);
  }
  return compiled;
}

}  // namespace faultline
