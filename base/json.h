#pragma once
// The JSON value type every layer shares (histories, messages, scenarios, checker options).
#include <nlohmann/json.hpp>

namespace faultline {

using Json = nlohmann::json;

}  // namespace faultline
