#pragma once
// Wording shared by the checkers' summaries and renderings.
#include <cstdint>
#include <string>

namespace faultline {

// "1 read", "3 reads": the noun's plural is taken to end in "s".
inline std::string counted(int64_t count, const std::string& noun) {
  return std::to_string(count) + " " + noun + (count == 1 ? "" : "s");
}

}  // namespace faultline
