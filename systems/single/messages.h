#pragma once
// The single store's wire messages: a client request and the node's reply.
#include <cstdint>
#include <optional>
#include <string>
#include <variant>

#include "framework/message.h"

namespace faultline::single {

struct Request {
  uint64_t id = 0;  // the client's request number, echoed in the reply
  std::string f;    // read | write | cas
  std::string key;
  Json value;
};

struct Reply {
  uint64_t id = 0;
  bool applied = true;  // false: a cas whose expected value did not match (no effect)
  Json value;           // a read's result
  std::string error;    // why a request was refused (no effect); empty when none
};

using SingleMessage = std::variant<Request, Reply>;

void to_json(Json& json, const SingleMessage& message);
void from_json(const Json& json, SingleMessage& message);

}  // namespace faultline::single
