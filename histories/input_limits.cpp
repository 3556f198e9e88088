#include "histories/input_limits.h"

namespace faultline {
namespace {

bool is_continuation(unsigned char byte) { return (byte & 0xC0) == 0x80; }

// The length of the well-formed UTF-8 sequence at the start of `text`, or 0 (RFC 3629,
// section 4, the UTF8-octets grammar).
size_t sequence_length(std::string_view text) {
  const auto byte = [&](size_t i) { return static_cast<unsigned char>(text[i]); };
  const unsigned char first = byte(0);
  if (first < 0x80) return 1;
  size_t length = 0;
  unsigned char second_low = 0x80, second_high = 0xBF;
  if (first >= 0xC2 && first <= 0xDF) {
    length = 2;
  } else if (first >= 0xE0 && first <= 0xEF) {
    length = 3;
    if (first == 0xE0) second_low = 0xA0;   // no overlong forms
    if (first == 0xED) second_high = 0x9F;  // no surrogates
  } else if (first >= 0xF0 && first <= 0xF4) {
    length = 4;
    if (first == 0xF0) second_low = 0x90;   // no overlong forms
    if (first == 0xF4) second_high = 0x8F;  // nothing above U+10FFFF
  } else {
    return 0;
  }
  if (text.size() < length || byte(1) < second_low || byte(1) > second_high) return 0;
  for (size_t i = 2; i < length; ++i)
    if (!is_continuation(byte(i))) return 0;
  return length;
}

}  // namespace

std::string excerpt(std::string_view text, size_t max_bytes) {
  if (text.size() <= max_bytes) return std::string(text);
  size_t cut = max_bytes;
  for (int back = 0; back < 3 && cut > 0 && is_continuation(static_cast<unsigned char>(text[cut])); ++back)
    --cut;
  return std::string(text.substr(0, cut)) + "...";
}

size_t first_invalid_utf8(std::string_view text) {
  for (size_t position = 0; position < text.size();) {
    const size_t length = sequence_length(text.substr(position));
    if (length == 0) return position;
    position += length;
  }
  return std::string_view::npos;
}

}  // namespace faultline
