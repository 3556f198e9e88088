#include "checkers/client_ops.h"

#include <map>

namespace faultline {

OpType ClientOp::outcome(const History& history) const {
  const Op* done = completion(history);
  return done == nullptr ? OpType::info : done->type;
}

std::optional<int64_t> ClientOp::node(const History& history) const {
  if (invoke(history).node) return invoke(history).node;
  const Op* done = completion(history);
  return done == nullptr ? std::nullopt : done->node;
}

size_t ClientOp::effective_end(const History& history) const {
  return outcome(history) == OpType::info ? kNeverPosition : completion_position;
}

bool ClientOp::is_final(const History& history) const {
  const Op* done = completion(history);
  return invoke(history).final || (done != nullptr && done->final);
}

Result<std::vector<ClientOp>> pair_client_ops(const History& history, const OpLocator& locate) {
  std::vector<ClientOp> ops;
  std::map<int64_t, size_t> open;  // process -> index into ops
  for (size_t position = 0; position < history.ops.size(); ++position) {
    const Op& op = history.ops[position];
    if (op.is_nemesis()) continue;
    auto it = open.find(op.process);
    if (op.type == OpType::invoke) {
      if (it != open.end())
        return fail(locate(position) + ": process " + std::to_string(op.process) + " invokes while its op from " +
                    locate(ops[it->second].invoke_position) + " is still open");
      open.emplace(op.process, ops.size());
      ops.push_back(ClientOp{.invoke_position = position});
      continue;
    }
    if (it == open.end())
      return fail(locate(position) + ": a completion (" + std::string(to_string(op.type)) + ") of process " +
                  std::to_string(op.process) + " with no open invoke");
    ClientOp& paired = ops[it->second];
    const Op& invoke = paired.invoke(history);
    if (invoke.f != op.f || invoke.key != op.key)
      return fail(locate(position) + ": the completion's f/key differ from its invoke at " +
                  locate(paired.invoke_position));
    paired.completion_position = position;
    open.erase(it);
  }
  return ops;
}

}  // namespace faultline
