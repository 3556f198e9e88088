#include "histories/json_input.h"

#include <limits>

#include "histories/input_limits.h"

namespace faultline {
namespace {

// nlohmann's DOM builder behind a SAX filter that stops at the bounds: returning false from
// a SAX event ends the parse (nlohmann, "sax_parse").
class BoundedDomBuilder {
 public:
  explicit BoundedDomBuilder(Json& root) : dom_(root, /*allow_exceptions=*/false) {}

  bool null() { return dom_.null(); }
  bool boolean(bool value) { return dom_.boolean(value); }
  bool number_integer(Json::number_integer_t value) { return dom_.number_integer(value); }
  bool number_unsigned(Json::number_unsigned_t value) { return dom_.number_unsigned(value); }
  bool number_float(Json::number_float_t value, const std::string& lexeme) {
    // nlohmann hands an integer literal it cannot hold in 64 bits to number_float.
    if (lexeme.find_first_of(".eE") == std::string::npos)
      return stop("the integer " + excerpt(lexeme) + " is beyond the 64-bit range (-2^63 .. 2^64-1)");
    return dom_.number_float(value, lexeme);
  }
  bool string(std::string& value) { return dom_.string(value); }
  bool binary(Json::binary_t& value) { return dom_.binary(value); }
  bool start_object(std::size_t size) { return deeper() && dom_.start_object(size); }
  bool key(std::string& name) { return dom_.key(name); }
  bool end_object() { return --depth_, dom_.end_object(); }
  bool start_array(std::size_t size) { return deeper() && dom_.start_array(size); }
  bool end_array() { return --depth_, dom_.end_array(); }
  bool parse_error(std::size_t byte, const std::string& /*last_token*/, const nlohmann::detail::exception&) {
    return stop("not valid JSON (syntax error at byte " + std::to_string(byte) + ")");
  }

  const std::string& error() const { return error_; }

 private:
  bool deeper() {
    if (++depth_ <= kMaxNestingDepth) return true;
    return stop("nested deeper than " + std::to_string(kMaxNestingDepth) + " levels");
  }
  bool stop(std::string why) {
    if (error_.empty()) error_ = std::move(why);
    return false;
  }

  nlohmann::detail::json_sax_dom_parser<Json> dom_;
  int depth_ = 0;
  std::string error_;
};

}  // namespace

Result<Json> parse_json_input(std::string_view text) {
  if (size_t nul = text.find('\0'); nul != std::string_view::npos)
    return fail("not valid JSON (a NUL byte at byte " + std::to_string(nul + 1) + ")");
  Json value;
  BoundedDomBuilder builder(value);
  if (Json::sax_parse(text.begin(), text.end(), &builder)) return value;
  if (size_t bad = first_invalid_utf8(text); bad != std::string_view::npos)
    return fail("not valid JSON (invalid UTF-8 at byte " + std::to_string(bad + 1) + ")");
  return fail(builder.error().empty() ? std::string("not valid JSON") : builder.error());
}

std::optional<int64_t> json_int64(const Json& value) {
  if (!value.is_number_integer()) return std::nullopt;
  if (value.is_number_unsigned() && value.get<uint64_t>() > uint64_t{std::numeric_limits<int64_t>::max()})
    return std::nullopt;
  return value.get<int64_t>();
}

}  // namespace faultline
