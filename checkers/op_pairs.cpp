#include "checkers/op_pairs.h"

#include <map>

namespace faultline {

std::string_view OpPair::outcome_name() const {
  return completion == nullptr ? "pending" : to_string(completion->type);
}

Result<std::vector<OpPair>> pair_client_ops(const History& history, const OpLocator& locate) {
  std::vector<OpPair> ops;
  std::map<int64_t, size_t> open;  // process -> its open op in ops
  for (size_t position = 0; position < history.ops.size(); ++position) {
    const Op& op = history.ops[position];
    if (op.is_nemesis()) continue;
    auto it = open.find(op.process);
    if (op.type == OpType::invoke) {
      if (it != open.end())
        return fail(locate(position) + ": process " + std::to_string(op.process) + " invokes while its op from " +
                    locate(ops[it->second].invoke_position) + " is still open");
      open.emplace(op.process, ops.size());
      ops.push_back(OpPair{
          .invoke_position = position, .completion_position = std::nullopt, .invoke = &op, .completion = nullptr});
      continue;
    }
    if (it == open.end())
      return fail(locate(position) + ": a completion (" + std::string(to_string(op.type)) + ") of process " +
                  std::to_string(op.process) + " with no open invoke");
    OpPair& client_op = ops[it->second];
    if (client_op.invoke->f != op.f || client_op.invoke->key != op.key)
      return fail(locate(position) + ": the completion's f/key differ from its invoke at " +
                  locate(client_op.invoke_position));
    client_op.completion_position = position;
    client_op.completion = &op;
    open.erase(it);
  }
  return ops;
}

std::optional<int64_t> as_int64(const Json& value) {
  if (value.is_number_unsigned()) {
    const auto number = value.get<uint64_t>();
    if (number > static_cast<uint64_t>(INT64_MAX)) return std::nullopt;
    return static_cast<int64_t>(number);
  }
  if (value.is_number_integer()) return value.get<int64_t>();
  return std::nullopt;
}

}  // namespace faultline
