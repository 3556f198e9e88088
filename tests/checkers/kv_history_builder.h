#pragma once
// Terse construction of session / append histories for the session and staleness tests: one
// line per call, line i at time i ms, so a difference of lines is a difference of ms.
#include <optional>
#include <string>

#include "histories/history.h"

namespace faultline::testing_support {

inline constexpr int64_t kLineNs = 1'000'000;

class KvHistoryBuilder {
 public:
  KvHistoryBuilder& invoke(int64_t process, const std::string& f, const std::string& key, Json value = nullptr,
                           std::optional<int64_t> node = std::nullopt) {
    Op& op = add(process, OpType::invoke, f, key, std::move(value));
    op.node = node;
    return *this;
  }
  KvHistoryBuilder& complete(int64_t process, OpType type, const std::string& f, const std::string& key,
                             Json value = nullptr, std::optional<int64_t> node = std::nullopt,
                             std::optional<std::string> role = std::nullopt) {
    Op& op = add(process, type, f, key, std::move(value));
    op.node = node;
    op.role = std::move(role);
    return *this;
  }
  // A write / append that completes at once with `type`.
  KvHistoryBuilder& write(int64_t process, const std::string& key, int64_t value, OpType type = OpType::ok) {
    return invoke(process, "write", key, value).complete(process, type, "write", key, value);
  }
  KvHistoryBuilder& append(int64_t process, const std::string& key, int64_t element, OpType type = OpType::ok) {
    return invoke(process, "append", key, element).complete(process, type, "append", key, element);
  }
  // An ok read that completes at once, answered by `node`.
  KvHistoryBuilder& read(int64_t process, const std::string& key, Json value, std::optional<int64_t> node = std::nullopt,
                         std::optional<std::string> role = std::nullopt) {
    return invoke(process, "read", key, nullptr, node).complete(process, OpType::ok, "read", key, std::move(value), node, std::move(role));
  }
  // Marks the last line (and its invoke, for a whole read) final.
  KvHistoryBuilder& final_read(int64_t process, const std::string& key, Json value, std::optional<int64_t> node = std::nullopt) {
    read(process, key, std::move(value), node);
    history_.ops[history_.ops.size() - 2].final = true;
    history_.ops.back().final = true;
    return *this;
  }
  KvHistoryBuilder& nemesis(const std::string& f) {
    add(kNemesisProcess, OpType::info, f, "", nullptr).key.reset();
    return *this;
  }
  const History& history() const { return history_; }

 private:
  Op& add(int64_t process, OpType type, const std::string& f, const std::string& key, Json value) {
    Op op;
    op.index = static_cast<int64_t>(history_.ops.size());
    op.time_ns = op.index * kLineNs;
    op.process = process;
    op.type = type;
    op.f = f;
    op.key = key;
    op.value = std::move(value);
    history_.ops.push_back(std::move(op));
    return history_.ops.back();
  }
  History history_;
};

}  // namespace faultline::testing_support
