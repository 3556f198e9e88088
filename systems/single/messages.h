#pragma once
// The single store's wire messages: a client request and the node's reply. Each struct lists
// its fields once; framework/message.h turns the variant into {"type": kType, ...}.
#include <cstdint>
#include <string>
#include <variant>

#include "framework/message.h"

namespace faultline::single {

struct Request {
  static constexpr const char* kType = "request";
  uint64_t id = 0;  // the client's request number, echoed in the reply
  std::string f;    // read | write | cas | add | decrement | append
  std::string key;
  Json value;
  NLOHMANN_DEFINE_TYPE_INTRUSIVE(Request, id, f, key, value)
};

struct Reply {
  static constexpr const char* kType = "reply";
  uint64_t id = 0;
  bool applied = true;  // false: a cas whose expected value did not match (no effect)
  Json value;           // a read's result
  std::string error;    // why a request was refused (no effect); empty when none
  NLOHMANN_DEFINE_TYPE_INTRUSIVE(Reply, id, applied, value, error)
};

using SingleMessage = std::variant<Request, Reply>;

}  // namespace faultline::single
