#pragma once
// Reading a recorded fault event's values (what replay applies). A recorded event may come
// from a hand-edited header, so a value of the wrong type is an exception the script check
// reports before the run (framework/script_check.h), never a silent conversion: 1.5 or
// 2^32 is not node 1 or node 0.
#include <cstdint>
#include <stdexcept>
#include <string>
#include <utility>

#include "base/json_fields.h"
#include "framework/message.h"

namespace faultline::nemesis {

inline EndpointId node_value(const Json& value) { return integer_value<EndpointId>(value, "a node id"); }

// A link [from, to].
inline std::pair<EndpointId, EndpointId> link_value(const Json& value) {
  if (!value.is_array() || value.size() != 2)
    throw std::invalid_argument("a link must be [from, to], got " + value.dump());
  return {node_value(value[0]), node_value(value[1])};
}

inline double probability_value(const Json& value, const char* what) {
  if (!value.is_number() || !(value.get<double>() >= 0 && value.get<double>() <= 1))
    throw std::invalid_argument(std::string(what) + " must be a probability in [0, 1], got " + value.dump());
  return value.get<double>();
}

}  // namespace faultline::nemesis
