#pragma once
// JSON text from outside (history lines, headers, message payloads) parsed within the bounds
// of histories/input_limits.h. nlohmann's own parser would accept what later breaks us: a
// value nested 100,000 deep (its DOM copies and prints recursively: a stack overflow), an
// integer beyond 64 bits (silently a double, so two different values compare equal) and a
// NUL byte (taken as the end of the text, so what follows is ignored).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/json.h"
#include "base/result.h"

namespace faultline {

// The one JSON value `text` holds. Errors say what is wrong without a location ("not valid
// JSON (syntax error at byte 12)"); callers prefix "file:line: ".
Result<Json> parse_json_input(std::string_view text);

// The value of an integer in the int64 range; nullopt for anything else (a non-integer, or
// 2^63 .. 2^64-1, which nlohmann holds as unsigned).
std::optional<int64_t> json_int64(const Json& value);

}  // namespace faultline
