#include "histories/edn.h"

#include <cctype>
#include <charconv>
#include <cmath>
#include <limits>
#include <optional>

namespace faultline {
namespace {

class EdnReader {
 public:
  EdnReader(std::string_view text, const std::string& source, const EdnOptions& options)
      : text_(text), source_(source), line_(options.first_line), max_depth_(options.max_depth) {}

  Result<std::vector<EdnForm>> read_all(bool unwrap_outer_collection) {
    std::vector<EdnForm> forms;
    skip_blank();
    char close = 0;
    if (unwrap_outer_collection && !at_end() && (peek() == '[' || peek() == '(')) {
      close = take() == '[' ? ']' : ')';
    }
    while (true) {
      skip_blank();
      if (close != 0 && at_end()) return error(std::string("missing '") + close + "'");
      if (close != 0 && peek() == close) {
        take();
        close = 0;
        continue;
      }
      if (at_end()) return forms;
      int line = line_;
      BOOST_OUTCOME_TRY(value, read_form());
      forms.push_back(EdnForm{std::move(value), line});
    }
  }

 private:
  bool at_end() const { return pos_ >= text_.size(); }
  char peek() const { return text_[pos_]; }
  char take() {
    char c = text_[pos_++];
    if (c == '\n') ++line_;
    return c;
  }
  decltype(fail("")) error(const std::string& what) const {
    return fail(source_ + ":" + std::to_string(line_) + ": " + what);
  }

  void skip_blank() {
    while (!at_end()) {
      char c = peek();
      if (c == ';') {
        while (!at_end() && peek() != '\n') take();
      } else if (std::isspace(static_cast<unsigned char>(c)) || c == ',') {
        take();
      } else {
        return;
      }
    }
  }

  static bool is_delimiter(char c) {
    return std::isspace(static_cast<unsigned char>(c)) || c == ',' || c == '(' || c == ')' ||
           c == '[' || c == ']' || c == '{' || c == '}' || c == '"' || c == ';';
  }

  std::string_view read_token() {
    size_t start = pos_;
    while (!at_end() && !is_delimiter(peek())) take();
    return text_.substr(start, pos_ - start);
  }

  Result<Json> read_form() {
    if (++depth_ > max_depth_) return error("EDN nested too deeply (more than " + std::to_string(max_depth_) + " levels)");
    auto result = read_form_at_depth();
    --depth_;
    return result;
  }

  Result<Json> read_form_at_depth() {
    skip_blank();
    if (at_end()) return error("unexpected end of input (an unclosed bracket?)");
    char c = peek();
    switch (c) {
      case '[': take(); return read_sequence(']');
      case '(': take(); return read_sequence(')');
      case '{': take(); return read_map();
      case '"': take(); return read_string();
      case '\\': take(); return read_character();
      case '#': take(); return read_dispatch();
      case ']': case ')': case '}': return error(std::string("unexpected '") + c + "'");
      default: return read_atom();
    }
  }

  Result<Json> read_sequence(char close) {
    Json array = Json::array();
    while (true) {
      skip_blank();
      if (at_end()) return error(std::string("missing '") + close + "'");
      if (peek() == close) {
        take();
        return array;
      }
      BOOST_OUTCOME_TRY(element, read_form());
      array.push_back(std::move(element));
    }
  }

  static std::string key_name(const Json& key) {
    return key.is_string() ? key.get<std::string>() : key.dump();
  }

  Result<Json> read_map() {
    Json object = Json::object();
    while (true) {
      skip_blank();
      if (at_end()) return error("missing '}'");
      if (peek() == '}') {
        take();
        return object;
      }
      BOOST_OUTCOME_TRY(key, read_form());
      skip_blank();
      if (!at_end() && peek() == '}') return error("a map has a key without a value");
      BOOST_OUTCOME_TRY(value, read_form());
      object[key_name(key)] = std::move(value);
    }
  }

  Result<Json> read_string() {
    std::string text;
    while (true) {
      if (at_end()) return error("unterminated string");
      char c = take();
      if (c == '"') return utf8_text(std::move(text), "a string");
      if (c != '\\') {
        text += c;
        continue;
      }
      if (at_end()) return error("unterminated string");
      char escaped = take();
      switch (escaped) {
        case 'n': text += '\n'; break;
        case 't': text += '\t'; break;
        case 'r': text += '\r'; break;
        case '"': text += '"'; break;
        case '\\': text += '\\'; break;
        default: text += '\\'; text += escaped; break;  // rare (\uXXXX): kept verbatim
      }
    }
  }

  Result<Json> read_character() {
    std::string_view name = read_token();
    if (name.empty() && !at_end()) return Json(std::string(1, take()));
    if (name == "newline") return Json("\n");
    if (name == "space") return Json(" ");
    if (name == "tab") return Json("\t");
    return utf8_text(std::string(name), "a character");
  }

  Result<Json> read_dispatch() {
    if (at_end()) return error("'#' at end of input");
    if (peek() == '{') {
      take();
      return read_sequence('}');  // a set: order is kept as written
    }
    if (peek() == '_') {
      take();
      BOOST_OUTCOME_TRY(read_form());  // #_ discards the next form
      skip_blank();
      if (at_end() || peek() == ']' || peek() == ')' || peek() == '}')
        return error("'#_' discards the last form of a collection; not supported");
      return read_form();
    }
    std::string_view tag = read_token();
    if (tag.empty()) return error("unsupported '#' form");
    return read_form();  // a tagged literal (#inst, #uuid, #jepsen.history.Op{...}): keep the value
  }

  Result<Json> read_atom() {
    std::string_view token = read_token();
    if (token.empty()) return error(std::string("unexpected character '") + take() + "'");
    if (token == "nil") return Json(nullptr);
    if (token == "true") return Json(true);
    if (token == "false") return Json(false);
    if (token[0] == ':') return utf8_text(std::string(token.substr(token.size() > 1 && token[1] == ':' ? 2 : 1)), "a keyword");
    char first = token[0];
    bool numeric = std::isdigit(static_cast<unsigned char>(first)) ||
                   ((first == '-' || first == '+') && token.size() > 1 &&
                    std::isdigit(static_cast<unsigned char>(token[1])));
    if (!numeric) return utf8_text(std::string(token), "a symbol");
    return read_number(token);
  }

  // JSON text must be UTF-8 (RFC 8259, section 8.1); nlohmann throws when it prints other bytes.
  Result<Json> utf8_text(std::string text, const char* what) const {
    if (size_t bad = first_invalid_utf8(text); bad != std::string::npos)
      return error(std::string("invalid UTF-8 in ") + what + " (byte " + std::to_string(bad + 1) + ")");
    return Json(std::move(text));
  }

  // Clojure's integer syntax (LispReader): [+-]? then 0, a decimal, 0x hex or 0 octal, then
  // an optional N (a bigint, equal to the same long in Clojure).
  static std::optional<std::pair<std::string_view, int>> integer_digits(std::string_view unsigned_text) {
    std::string_view digits = unsigned_text;
    if (!digits.empty() && digits.back() == 'N') digits.remove_suffix(1);
    if (digits.empty()) return std::nullopt;
    auto all_of = [](std::string_view text, std::string_view allowed) {
      return !text.empty() && text.find_first_not_of(allowed) == std::string_view::npos;
    };
    if (digits.size() > 2 && digits[0] == '0' && (digits[1] == 'x' || digits[1] == 'X') &&
        all_of(digits.substr(2), "0123456789abcdefABCDEF"))
      return std::pair{digits.substr(2), 16};
    if (digits.size() > 1 && digits[0] == '0' && all_of(digits.substr(1), "01234567"))
      return std::pair{digits.substr(1), 8};
    if (all_of(digits, "0123456789") && (digits[0] != '0' || digits.size() == 1)) return std::pair{digits, 10};
    return std::nullopt;
  }

  Result<Json> read_number(std::string_view token) {
    const bool negative = token[0] == '-';
    const std::string_view unsigned_text = token[0] == '-' || token[0] == '+' ? token.substr(1) : token;
    if (auto integer = integer_digits(unsigned_text)) return read_integer(token, integer->first, integer->second, negative);
    if (unsigned_text.find_first_not_of("0123456789N") == std::string_view::npos)
      return error("bad number \"" + excerpt(token) + "\"");  // e.g. 089: neither decimal nor octal
    if (token.back() == 'M')
      return error("the BigDecimal " + excerpt(token) + " cannot be compared exactly; not supported");
    double real = 0;
    const char* begin = token.data() + (token[0] == '+' ? 1 : 0);
    auto [end, ec] = std::from_chars(begin, token.data() + token.size(), real);
    if (ec == std::errc::result_out_of_range)
      return error("the number " + excerpt(token) + " is out of the range of a double");
    if (ec != std::errc() || end != token.data() + token.size() || !std::isfinite(real))
      return error("bad number \"" + excerpt(token) + "\"");
    return Json(real);
  }

  // Exact in -2^63 .. 2^64-1 (JSON integers nlohmann holds); beyond, refused: as a double,
  // two different integers would compare equal.
  Result<Json> read_integer(std::string_view token, std::string_view digits, int base, bool negative) {
    uint64_t magnitude = 0;
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), magnitude, base);
    const uint64_t most_negative = uint64_t{1} << 63;
    if (ec != std::errc() || end != digits.data() + digits.size() || (negative && magnitude > most_negative))
      return error("the integer " + excerpt(token) + " is beyond the 64-bit range (-2^63 .. 2^64-1)");
    // Within int64 an integer is signed, as this reader always made it, so equal values hash
    // equally (nlohmann's hash tells a signed 5 from an unsigned 5).
    if (!negative && magnitude > uint64_t{std::numeric_limits<int64_t>::max()}) return Json(magnitude);
    if (!negative) return Json(static_cast<int64_t>(magnitude));
    if (magnitude == most_negative) return Json(std::numeric_limits<int64_t>::min());
    return Json(-static_cast<int64_t>(magnitude));
  }

  std::string_view text_;
  const std::string& source_;
  int line_ = 1;
  int max_depth_ = kMaxNestingDepth;
  size_t pos_ = 0;
  int depth_ = 0;
};

}  // namespace

Result<std::vector<EdnForm>> parse_edn_forms(std::string_view text, const std::string& source,
                                             const EdnOptions& options) {
  return EdnReader(text, source, options).read_all(options.unwrap_outer_collection);
}

}  // namespace faultline
