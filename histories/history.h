#pragma once
// A whole history: the optional header (the scenario that produced it, needed for replay)
// and the operation lines in file order, which is real-time order.
#include <optional>
#include <vector>

#include "histories/op.h"

namespace faultline {

inline constexpr int kHistoryFormatVersion = 1;

struct History {
  std::optional<Json> header;  // the first line when it has no "type"
  std::vector<Op> ops;
};

}  // namespace faultline
