#pragma once
// Wording shared by the checkers' summaries and renderings.
#include <cstdint>
#include <string>

#include "base/json.h"

namespace faultline {

// "1 read", "3 reads": the noun's plural is taken to end in "s".
inline std::string counted(int64_t count, const std::string& noun) {
  return std::to_string(count) + " " + noun + (count == 1 ? "" : "s");
}

// A value as JSON, a long list shortened to its ends: [1, 2, 3, …, 40] (12 elements).
inline std::string brief_value(const Json& value) {
  constexpr size_t kShownEnds = 3;
  if (!value.is_array() || value.size() <= 2 * kShownEnds) return value.dump();
  std::string text = "[";
  for (size_t i = 0; i < kShownEnds; ++i) text += value[i].dump() + ", ";
  text += "…";
  for (size_t i = value.size() - kShownEnds; i < value.size(); ++i) text += ", " + value[i].dump();
  return text + "] (" + std::to_string(value.size()) + " elements)";
}

// A value as JSON for an error message, cut at 60 characters.
inline std::string quoted_value(const Json& value) {
  constexpr size_t kShownChars = 60;
  std::string text = value.dump();
  return text.size() <= kShownChars ? text : text.substr(0, kShownChars) + "...";
}

}  // namespace faultline
