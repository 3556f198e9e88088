#pragma once
// A whole history: the optional header (the scenario that produced it, needed for replay)
// and the operation lines in file order, which is real-time order.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "histories/op.h"

namespace faultline {

inline constexpr int kHistoryFormatVersion = 1;

struct History {
  std::optional<Json> header;  // the first line when it has no "type"
  std::vector<Op> ops;
  // The file line of each op when the history was read from a file (one entry per op);
  // empty otherwise.
  std::vector<int64_t> op_lines;
};

// "source:line" for the op at `position` in history.ops, as errors name ops; "source:?"
// when the history does not know the op's line.
std::string op_location(const History& history, const std::string& source, size_t position);

// Op indexes name ops in every witness, so two ops with one index would make a witness
// ambiguous: the error names the first reuse in history order and both lines.
Result<void> require_unique_op_indexes(const History& history, const std::string& source);

// The bytes an op or a history takes in memory, approximately (its structs, strings and JSON
// values, with the allocator's and containers' overhead estimated): what a checker's memory
// cap counts for the parsed history itself.
size_t approximate_memory_bytes(const Json& value);
size_t approximate_memory_bytes(const Op& op);
size_t approximate_memory_bytes(const History& history);

}  // namespace faultline
