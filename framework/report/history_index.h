#pragma once
// A history's lines looked up by `index`, and each client op's invoke paired with its
// completion (Jepsen's rule: a process runs one op at a time). Tolerant: a report draws
// whatever a history holds, so a line that pairs with nothing is kept alone.
#include <cstdint>
#include <optional>
#include <unordered_map>
#include <vector>

#include "histories/history.h"

namespace faultline::report {

class HistoryIndex {
 public:
  explicit HistoryIndex(const History& history);

  const History& history() const { return history_; }
  std::optional<size_t> position_of(int64_t index) const;
  // The other line of the op a client line belongs to (its completion, or its invoke).
  std::optional<size_t> partner(size_t position) const;
  // The op's invoke line, for a client line (itself when it is an invoke or stands alone).
  size_t invoke_of(size_t position) const;
  // When the op at this line began and ended: invoke and completion times (an op never
  // completed ends with the history).
  int64_t start_ns(size_t position) const;
  int64_t end_ns(size_t position) const;

 private:
  const History& history_;
  std::unordered_map<int64_t, size_t> positions_;  // looked up only, never iterated
  std::vector<int64_t> partner_;                   // per line; -1: none
};

}  // namespace faultline::report
