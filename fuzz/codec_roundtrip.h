#pragma once
// The property of a system's message codec: arbitrary JSON decodes to a message or to an
// error (never a crash), and what decodes encodes to JSON that decodes to the same message.
#include "framework/message.h"
#include "fuzz/fuzz_check.h"
#include "histories/json_input.h"

namespace faultline::fuzz {

inline void require_codec_roundtrip(const MessageCodec& codec, const uint8_t* data, size_t size) {
  auto json = parse_json_input(as_text(data, size));
  if (!json) return;
  auto message = codec.decode(json.value());
  if (!message) return;
  const Json encoded = message.value()->to_json();
  auto again = codec.decode(encoded);
  require(again.has_value(), "an encoded message decodes");
  require(again.value()->to_json() == encoded, "a decoded message encodes to the same JSON");
}

}  // namespace faultline::fuzz
