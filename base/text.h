#pragma once
// Text helpers every layer shares.
#include <string>
#include <string_view>

namespace faultline {

// The names in order, separated by `separator`: "a, b, c". Any range of strings.
template <class Names>
std::string joined(const Names& names, std::string_view separator = ", ") {
  std::string text;
  bool first = true;
  for (const auto& name : names) {
    if (!first) text += separator;
    text += name;
    first = false;
  }
  return text;
}

}  // namespace faultline
