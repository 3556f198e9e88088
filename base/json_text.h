#pragma once
// Appending JSON text to a string without building a Json first: the hot paths (history
// lines, Raft's log records) write millions of small objects per campaign. Each function
// writes exactly what Json::dump() would, so files and digests stay byte-identical.
#include <charconv>
#include <cstdint>
#include <string>
#include <string_view>

#include "base/json.h"

namespace faultline {

inline void append_integer(std::string& out, int64_t number) {
  char digits[24];
  const auto end = std::to_chars(digits, digits + sizeof digits, number).ptr;
  out.append(digits, end);
}

inline void append_unsigned(std::string& out, uint64_t number) {
  char digits[24];
  const auto end = std::to_chars(digits, digits + sizeof digits, number).ptr;
  out.append(digits, end);
}

// A quoted JSON string; text that needs escaping (or is not ASCII) goes through nlohmann,
// which escapes and validates it.
inline void append_json_string(std::string& out, std::string_view text) {
  for (char ch : text) {
    const auto byte = static_cast<unsigned char>(ch);
    if (ch == '"' || ch == '\\' || byte < 0x20 || byte >= 0x80) {
      out += Json(std::string(text)).dump();
      return;
    }
  }
  out += '"';
  out += text;
  out += '"';
}

inline void append_json(std::string& out, const Json& value) {
  switch (value.type()) {
    case Json::value_t::null: out += "null"; return;
    case Json::value_t::boolean: out += value.get<bool>() ? "true" : "false"; return;
    case Json::value_t::number_integer: append_integer(out, value.get<int64_t>()); return;
    case Json::value_t::number_unsigned: append_unsigned(out, value.get<uint64_t>()); return;
    case Json::value_t::string: append_json_string(out, value.get_ref<const std::string&>()); return;
    default: out += value.dump(); return;
  }
}

}  // namespace faultline
