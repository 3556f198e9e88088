#pragma once
// A small exhaustive linearizability checker for the kv model, written straight from the
// definition (DESIGN.md and Jepsen) and sharing no code with checkers/: it tries every order
// of every subset of ops, over all keys at once (so it also checks the key split). Only for
// histories of a few ops.
#include <map>
#include <optional>
#include <vector>

#include "histories/history.h"

namespace faultline::testing_support {

class ReferenceKvChecker {
 public:
  explicit ReferenceKvChecker(const History& history) {
    std::map<int64_t, size_t> open;
    for (size_t position = 0; position < history.ops.size(); ++position) {
      const Op& op = history.ops[position];
      if (op.is_nemesis()) continue;
      if (op.type == OpType::invoke) {
        open[op.process] = ops_.size();
        ops_.push_back(RefOp{op, std::nullopt, position, kNever});
        continue;
      }
      RefOp& ref = ops_[open.at(op.process)];
      open.erase(op.process);
      ref.completion = op;
      if (op.type != OpType::info) ref.returned_at = position;
    }
    // fail ops certainly did not happen, except a cas "mismatch", an observation
    std::erase_if(ops_, [](const RefOp& ref) {
      return ref.completion && ref.completion->type == OpType::fail && !ref.mismatch();
    });
  }

  bool linearizable() {
    used_.assign(ops_.size(), false);
    return search(std::map<std::string, Json>{});
  }

 private:
  static constexpr size_t kNever = ~size_t{0};
  struct RefOp {
    Op invoke;
    std::optional<Op> completion;
    size_t invoked_at;
    size_t returned_at;  // kNever: info or never completed
    bool known() const { return returned_at != kNever; }
    bool mismatch() const {
      return completion && completion->type == OpType::fail && completion->error == std::optional<std::string>("mismatch");
    }
  };

  // Applies op; false if it cannot happen in this state.
  static bool apply(const RefOp& op, std::map<std::string, Json>& state) {
    Json& value = state[op.invoke.key.value_or("")];
    const std::string& f = op.invoke.f;
    if (f == "read") return !op.known() || value == op.completion->value;
    if (f == "write") {
      value = op.invoke.value;
      return true;
    }
    const Json& expected = op.invoke.value[0];
    if (op.mismatch()) return value != expected;
    if (value == expected) {
      value = op.invoke.value[1];
      return true;
    }
    return !op.known();  // an info cas whose value differs: a no-op
  }

  bool search(const std::map<std::string, Json>& state) {
    bool all_known_done = true;
    for (size_t i = 0; i < ops_.size(); ++i) all_known_done &= used_[i] || !ops_[i].known();
    if (all_known_done) return true;
    for (size_t i = 0; i < ops_.size(); ++i) {
      if (used_[i] || !may_go_next(i)) continue;
      std::map<std::string, Json> next = state;
      if (!apply(ops_[i], next)) continue;
      used_[i] = true;
      bool found = search(next);
      used_[i] = false;
      if (found) return true;
    }
    return false;
  }

  // Real-time order: every unused op that returned before this one was invoked must come first.
  bool may_go_next(size_t candidate) const {
    for (size_t j = 0; j < ops_.size(); ++j) {
      if (!used_[j] && ops_[j].known() && ops_[j].returned_at < ops_[candidate].invoked_at)
        return false;
    }
    return true;
  }

  std::vector<RefOp> ops_;
  std::vector<bool> used_;
};

}  // namespace faultline::testing_support
