#pragma once
// Reading typed values out of JSON a person or another program wrote (history headers,
// recorded fault events, campaign records): a hand-edited 1.5, 1e30 or -1 where an unsigned
// count belongs is an error, never a silent conversion (a float cast to an integer out of
// its range is undefined behaviour; a wrapped one is a different value).
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>
#include <utility>

#include "base/json.h"

namespace faultline {

// `value` as an integer that fits T; std::invalid_argument ("WHAT must be an integer ...")
// when it is not one.
template <class T>
T integer_value(const Json& value, const std::string& what) {
  if (value.is_number_unsigned() && std::in_range<T>(value.get<uint64_t>())) return static_cast<T>(value.get<uint64_t>());
  if (value.is_number_integer() && !value.is_number_unsigned() && std::in_range<T>(value.get<int64_t>()))
    return static_cast<T>(value.get<int64_t>());
  const std::string range = value.is_number_integer() ? " in [" + std::to_string(std::numeric_limits<T>::min()) +
                                                            ", " + std::to_string(std::numeric_limits<T>::max()) + "]"
                                                      : "";
  throw std::invalid_argument(what + " must be an integer" + range + ", got " + value.dump());
}

// object[key] as an integer that fits T; Json::out_of_range when the key is missing.
template <class T>
T integer_at(const Json& object, const char* key) {
  return integer_value<T>(object.at(key), std::string("\"") + key + "\"");
}

}  // namespace faultline
