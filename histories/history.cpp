#include "histories/history.h"

#include <algorithm>
#include <utility>

namespace faultline {
namespace {

// A heap block of `bytes`: glibc malloc adds a 16-byte header and rounds up to 16.
size_t heap_block(size_t bytes) { return bytes == 0 ? 0 : (bytes + 16 + 15) / 16 * 16; }

// A std::string's heap part: none within the small-string buffer (15 chars in libstdc++).
size_t string_heap(size_t length) { return length <= 15 ? 0 : heap_block(length + 1); }

}  // namespace

std::string op_location(const History& history, const std::string& source, size_t position) {
  if (position >= history.op_lines.size()) return source + ":?";
  return source + ":" + std::to_string(history.op_lines[position]);
}

Result<void> require_unique_op_indexes(const History& history, const std::string& source) {
  const std::vector<Op>& ops = history.ops;
  bool increasing = true;
  for (size_t position = 1; position < ops.size() && increasing; ++position)
    increasing = ops[position - 1].index < ops[position].index;
  if (increasing) return outcome::success();
  std::vector<std::pair<int64_t, size_t>> by_index;  // (index, position), sorted
  by_index.reserve(ops.size());
  for (size_t position = 0; position < ops.size(); ++position) by_index.emplace_back(ops[position].index, position);
  std::sort(by_index.begin(), by_index.end());
  std::optional<std::pair<size_t, size_t>> first_reuse;  // (earlier, later) with the earliest later
  for (size_t i = 1; i < by_index.size(); ++i) {
    if (by_index[i].first != by_index[i - 1].first) continue;
    if (!first_reuse || by_index[i].second < first_reuse->second)
      first_reuse = std::pair{by_index[i - 1].second, by_index[i].second};
  }
  if (!first_reuse) return outcome::success();
  return fail(op_location(history, source, first_reuse->second) + ": op index " +
              std::to_string(ops[first_reuse->second].index) + " is already used at " +
              op_location(history, source, first_reuse->first));
}

size_t approximate_memory_bytes(const Json& value) {
  // Values nest at most kMaxNestingDepth deep (histories/input_limits.h), so this recursion
  // is bounded.
  size_t bytes = sizeof(Json);
  switch (value.type()) {
    case Json::value_t::string:
      bytes += heap_block(sizeof(std::string)) + string_heap(value.get_ref<const std::string&>().size());
      break;
    case Json::value_t::array:
      bytes += heap_block(sizeof(Json::array_t)) + heap_block(value.size() * sizeof(Json));
      for (const Json& element : value) bytes += approximate_memory_bytes(element) - sizeof(Json);
      break;
    case Json::value_t::object:
      bytes += heap_block(sizeof(Json::object_t));
      for (const auto& [key, element] : value.get_ref<const Json::object_t&>()) {
        // a red-black tree node: three pointers and a color, then the key and the value
        bytes += heap_block(32 + sizeof(std::string) + sizeof(Json)) + string_heap(key.size()) +
                 approximate_memory_bytes(element) - sizeof(Json);
      }
      break;
    default:
      break;
  }
  return bytes;
}

size_t approximate_memory_bytes(const Op& op) {
  size_t bytes = sizeof(Op) + string_heap(op.f.size()) + approximate_memory_bytes(op.value) - sizeof(Json);
  if (op.key) bytes += string_heap(op.key->size());
  if (op.role) bytes += string_heap(op.role->size());
  if (op.error) bytes += string_heap(op.error->size());
  return bytes;
}

size_t approximate_memory_bytes(const History& history) {
  size_t bytes = sizeof(History) + history.op_lines.capacity() * sizeof(int64_t) +
                 history.ops.capacity() * sizeof(Op);
  if (history.header) bytes += approximate_memory_bytes(*history.header);
  for (const Op& op : history.ops) bytes += approximate_memory_bytes(op) - sizeof(Op);
  return bytes;
}

}  // namespace faultline
