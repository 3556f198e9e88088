#include "framework/runtime/frame.h"

#include <cstdint>

#include "base/assert.h"
#include "histories/json_input.h"

namespace faultline::runtime {

namespace {

std::string length_prefix(size_t length) {
  std::string prefix(kFrameHeaderBytes, '\0');
  for (size_t i = 0; i < kFrameHeaderBytes; ++i)
    prefix[kFrameHeaderBytes - 1 - i] = static_cast<char>((length >> (8 * i)) & 0xff);
  return prefix;
}

size_t read_length(std::string_view header) {
  size_t length = 0;
  for (char byte : header) length = (length << 8) | static_cast<unsigned char>(byte);
  return length;
}

// The start of a frame's text for an error line, cut before a character, never inside one.
std::string excerpt(const Json& value) {
  constexpr size_t kExcerptBytes = 80;
  std::string text = value.dump();
  if (text.size() <= kExcerptBytes) return text;
  size_t cut = kExcerptBytes;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;  // a UTF-8 continuation byte
  return text.substr(0, cut) + "...";
}

// The endpoint a frame names, or nullopt when the field is missing or not an endpoint id.
std::optional<EndpointId> endpoint_field(const Json& object, const char* name) {
  if (!object.contains(name)) return std::nullopt;
  const auto value = json_int64(object.at(name));
  if (!value || *value < 0 || *value > INT32_MAX) return std::nullopt;
  return static_cast<EndpointId>(*value);
}

}  // namespace

Result<std::string> encode_frame(const Frame& frame) {
  FAULTLINE_ASSERT(frame.from >= 0 && frame.to >= 0, "a frame joins two endpoints");
  std::string text;
  try {
    text = Json{{"from", frame.from}, {"to", frame.to}, {"msg", frame.msg}}.dump();
  } catch (const Json::type_error& e) {
    return fail(std::string("a message the wire cannot carry: ") + e.what());
  }
  if (text.size() > kMaxFrameBytes)
    return fail("a frame of " + std::to_string(text.size()) + " bytes exceeds the limit of " +
                std::to_string(kMaxFrameBytes));
  return length_prefix(text.size()) + text;
}

// The consumed prefix is dropped once it is at least half the buffer, so the reader holds at
// most about twice what is unread (at most a frame and a length), however the reads split.
void FrameReader::feed(std::string_view bytes) {
  if (error_) return;
  if (offset_ > 0 && offset_ * 2 >= buffer_.size()) {
    buffer_.erase(0, offset_);
    offset_ = 0;
  }
  buffer_.append(bytes);
}

Result<std::optional<Frame>> FrameReader::failed(std::string why) {
  error_ = std::move(why);
  return fail(*error_);
}

Result<std::optional<Frame>> FrameReader::next() {
  if (error_) return fail(*error_);
  if (buffered_bytes() < kFrameHeaderBytes) return std::optional<Frame>{};
  const size_t length = read_length(std::string_view(buffer_).substr(offset_, kFrameHeaderBytes));
  if (length > kMaxFrameBytes)
    return failed("a frame of " + std::to_string(length) + " bytes exceeds the limit of " +
                  std::to_string(kMaxFrameBytes));
  if (buffered_bytes() < kFrameHeaderBytes + length) return std::optional<Frame>{};
  const std::string_view text = std::string_view(buffer_).substr(offset_ + kFrameHeaderBytes, length);
  offset_ += kFrameHeaderBytes + length;
  auto json = parse_json_input(text);
  if (!json) return failed("a frame that is not JSON: " + json.error().message);
  const Json& value = json.value();
  if (!value.is_object() || !value.contains("msg")) return failed("a frame without \"msg\": " + excerpt(value));
  const auto from = endpoint_field(value, "from");
  const auto to = endpoint_field(value, "to");
  if (!from || !to) return failed("a frame whose \"from\" or \"to\" is not an endpoint id: " + excerpt(value));
  return std::optional<Frame>(Frame{.from = *from, .to = *to, .msg = value.at("msg")});
}

}  // namespace faultline::runtime
