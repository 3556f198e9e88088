#pragma once
// Terse construction of small histories with the fields the convergence and availability
// checkers read: times, nodes, final reads and nemesis lines. Each line is 1 ms after the
// previous one unless `at` sets the clock.
#include <map>
#include <optional>
#include <string>

#include "histories/history.h"

namespace faultline::testing_support {

class EventHistory {
 public:
  EventHistory& at(int64_t time_ns) {
    next_time_ns_ = time_ns;
    return *this;
  }
  EventHistory& invoke(int64_t process, const std::string& f, Json value, std::optional<std::string> key,
                       std::optional<int64_t> node = std::nullopt, bool final = false) {
    Op& op = add(process, OpType::invoke, f, std::move(value), std::move(key));
    op.node = node;
    op.final = final;
    open_[process] = history_.ops.size() - 1;
    return *this;
  }
  // Completes the process's open op (same f, key and final flag).
  EventHistory& complete(int64_t process, OpType type, Json value, std::optional<int64_t> node = std::nullopt) {
    const Op invoke = history_.ops[open_.at(process)];
    open_.erase(process);
    Op& op = add(process, type, invoke.f, std::move(value), invoke.key);
    op.node = node;
    op.final = invoke.final;
    return *this;
  }
  // An update completed at once with `type`, its completion repeating the invoke's value.
  EventHistory& update(int64_t process, const std::string& f, const std::string& key, Json value,
                       OpType type = OpType::ok) {
    invoke(process, f, value, key);
    return complete(process, type, value);
  }
  // A final read of `key` from `node` that returns `value`.
  EventHistory& final_read(int64_t process, const std::string& key, int64_t node, Json value,
                           OpType type = OpType::ok) {
    invoke(process, "read", nullptr, key, node, true);
    return complete(process, type, type == OpType::ok ? std::move(value) : Json(nullptr), node);
  }
  EventHistory& nemesis(const std::string& f, Json value = nullptr) {
    add(kNemesisProcess, OpType::info, f, std::move(value), std::nullopt);
    return *this;
  }
  const History& history() const { return history_; }
  // The index of the last line added.
  int64_t last_index() const { return history_.ops.back().index; }

 private:
  Op& add(int64_t process, OpType type, const std::string& f, Json value, std::optional<std::string> key) {
    Op op;
    op.index = static_cast<int64_t>(history_.ops.size());
    op.time_ns = next_time_ns_;
    next_time_ns_ += 1'000'000;
    op.process = process;
    op.type = type;
    op.f = f;
    op.key = std::move(key);
    op.value = std::move(value);
    history_.ops.push_back(std::move(op));
    return history_.ops.back();
  }
  History history_;
  std::map<int64_t, size_t> open_;  // process -> position of its open invoke
  int64_t next_time_ns_ = 0;
};

}  // namespace faultline::testing_support
