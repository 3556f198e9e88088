#pragma once
// Terse construction of small histories for the checker tests.
#include "histories/history.h"

namespace faultline::testing_support {

// The op that would come next in `history`: its index is the history's length and its time
// 1 us per line.
inline Op next_op(const History& history, int64_t process, OpType type, const std::string& f,
                  const std::optional<std::string>& key, Json value) {
  Op op;
  op.index = static_cast<int64_t>(history.ops.size());
  op.time_ns = op.index * 1000;
  op.process = process;
  op.type = type;
  op.f = f;
  op.key = key;
  op.value = std::move(value);
  return op;
}

class HistoryBuilder {
 public:
  HistoryBuilder& invoke(int64_t process, const std::string& f, Json value = nullptr,
                         std::optional<std::string> key = std::nullopt) {
    return add(process, OpType::invoke, f, std::move(value), std::move(key));
  }
  HistoryBuilder& ok(int64_t process, const std::string& f, Json value = nullptr,
                     std::optional<std::string> key = std::nullopt) {
    return add(process, OpType::ok, f, std::move(value), std::move(key));
  }
  HistoryBuilder& fail(int64_t process, const std::string& f, Json value = nullptr,
                       std::optional<std::string> key = std::nullopt,
                       std::optional<std::string> error = std::nullopt) {
    add(process, OpType::fail, f, std::move(value), std::move(key));
    history_.ops.back().error = std::move(error);
    return *this;
  }
  HistoryBuilder& info(int64_t process, const std::string& f, Json value = nullptr,
                       std::optional<std::string> key = std::nullopt) {
    return add(process, OpType::info, f, std::move(value), std::move(key));
  }
  // An op that completes before the next one starts.
  HistoryBuilder& op(int64_t process, const std::string& f, Json invoke_value, Json ok_value,
                     std::optional<std::string> key = std::nullopt) {
    invoke(process, f, std::move(invoke_value), key);
    return ok(process, f, std::move(ok_value), key);
  }
  const History& history() const { return history_; }

 private:
  HistoryBuilder& add(int64_t process, OpType type, const std::string& f, Json value,
                      std::optional<std::string> key) {
    Op op;
    op.index = static_cast<int64_t>(history_.ops.size());
    op.time_ns = op.index;
    op.process = process;
    op.type = type;
    op.f = f;
    op.key = std::move(key);
    op.value = std::move(value);
    history_.ops.push_back(std::move(op));
    return *this;
  }
  History history_;
};

}  // namespace faultline::testing_support
