#include "systems/single/messages.h"

namespace faultline::single {

void to_json(Json& json, const SingleMessage& message) {
  if (const auto* request = std::get_if<Request>(&message)) {
    json = {{"type", "request"}, {"id", request->id}, {"f", request->f},
            {"key", request->key}, {"value", request->value}};
  } else {
    const auto& reply = std::get<Reply>(message);
    json = {{"type", "reply"}, {"id", reply.id}, {"applied", reply.applied}, {"value", reply.value},
            {"error", reply.error}};
  }
}

void from_json(const Json& json, SingleMessage& message) {
  const std::string type = json.at("type").get<std::string>();
  if (type == "request") {
    message = Request{.id = json.at("id").get<uint64_t>(), .f = json.at("f").get<std::string>(),
                      .key = json.at("key").get<std::string>(), .value = json.at("value")};
  } else if (type == "reply") {
    message = Reply{.id = json.at("id").get<uint64_t>(), .applied = json.at("applied").get<bool>(),
                    .value = json.at("value"), .error = json.at("error").get<std::string>()};
  } else {
    throw Json::other_error::create(501, "unknown single-store message type " + type, &json);
  }
}

}  // namespace faultline::single
