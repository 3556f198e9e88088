#pragma once
// Messages between nodes and clients are plain immutable structs behind a shared pointer
// (a duplicated packet shares its payload). Each has a JSON form so the real runtime can
// carry it; the simulator can round-trip every message through the codec to prove it.
#include <concepts>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <variant>

#include "base/result.h"
#include "base/json.h"

namespace faultline {

// Nodes are 0..node_count-1; client endpoints are numbered after them.
using EndpointId = int32_t;

// The sender of an operator's command (a membership change, a manual failover, a shard
// move), delivered by a system's own fault package through FaultApi::send_operator_message.
// Nobody can send to it: an operator command gets no reply.
inline constexpr EndpointId kOperatorEndpoint = -2;

class Message {
 public:
  virtual ~Message() = default;
  virtual Json to_json() const = 0;
};

using MessagePtr = std::shared_ptr<const Message>;

// Turns a message's JSON form back into the message. One per system.
class MessageCodec {
 public:
  virtual ~MessageCodec() = default;
  virtual Result<MessagePtr> decode(const Json& json) const = 0;
};

// A message whose whole content is one struct `Body` with nlohmann to_json/from_json; the
// usual way for a system to define its messages (Body is typically a std::variant).
template <class Body>
class JsonMessage final : public Message {
 public:
  explicit JsonMessage(Body body) : body(std::move(body)) {}
  Json to_json() const override { return Json(body); }
  Body body;
};

// nlohmann converts a JSON float to an integer field with a plain static_cast, which is
// undefined behaviour when the value is out of the field's range (1e300 into an int64, 1e10
// into an int32, found by fuzz/fuzz_codec_raft; -5e7 into a uint64, found by
// fuzz/fuzz_codec_primary_replica). Our encoders write integers as JSON integers, so a
// decoder refuses every float that some integer field could not hold before converting:
// a float payload must lie in (-1, 2^31), the range every integer field type holds.
inline bool has_float_beyond_int32(const Json& json) {
  if (json.is_number_float()) {
    const double value = json.get<double>();
    return !(value > -1.0 && value < 2147483648.0);
  }
  if (json.is_structured()) {
    for (const Json& element : json)
      if (has_float_beyond_int32(element)) return true;
  }
  return false;
}

template <class Body>
class JsonCodec final : public MessageCodec {
 public:
  Result<MessagePtr> decode(const Json& json) const override {
    if (has_float_beyond_int32(json))
      return fail("cannot decode message: a floating-point number beyond (-1, 2^31) (integer fields are written as integers)");
    try {
      return MessagePtr(std::make_shared<JsonMessage<Body>>(json.get<Body>()));
    } catch (const nlohmann::json::exception& error) {
      return fail(std::string("cannot decode message: ") + error.what());
    }
  }
};

template <class T>
concept TaggedMessage = requires {
  { T::kType } -> std::convertible_to<const char*>;
};

template <class Body>
MessagePtr make_message(Body body) {
  // A system's codec decodes its message variant; one alternative on its own would arrive as
  // a type nobody recognises.
  static_assert(!TaggedMessage<Body>, "wrap the struct in the system's message variant: make_message(Messages{body})");
  return std::make_shared<JsonMessage<Body>>(std::move(body));
}

// The body of a message made by make_message<Body>, or nullptr if it is another kind.
template <class Body>
const Body* message_body(const MessagePtr& message) {
  auto* typed = dynamic_cast<const JsonMessage<Body>*>(message.get());
  return typed ? &typed->body : nullptr;
}

}  // namespace faultline

// A system's messages as a std::variant of plain structs, each with a kType and its fields
// listed once (NLOHMANN_DEFINE_TYPE_INTRUSIVE), travel as {"type": kType, ...fields}: no
// hand-written to_json / from_json for the variant (see systems/single/messages.h). The
// field name "type" is reserved for the tag.
namespace nlohmann {

template <class... Alternatives>
  requires(faultline::TaggedMessage<Alternatives> && ...)
struct adl_serializer<std::variant<Alternatives...>> {
  static void to_json(json& out, const std::variant<Alternatives...>& message) {
    std::visit(
        [&out](const auto& body) {
          out = body;
          out["type"] = std::decay_t<decltype(body)>::kType;
        },
        message);
  }

  static void from_json(const json& in, std::variant<Alternatives...>& message) {
    const std::string type = in.at("type").get<std::string>();
    bool found = false;
    auto try_one = [&]<class Alternative>() {
      if (found || type != Alternative::kType) return;
      message = in.get<Alternative>();
      found = true;
    };
    (try_one.template operator()<Alternatives>(), ...);
    if (!found) throw json::other_error::create(501, "unknown message type \"" + type + "\"", &in);
  }
};

}  // namespace nlohmann
