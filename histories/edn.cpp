#include "histories/edn.h"

#include <cctype>
#include <charconv>
#include <cstdlib>

namespace faultline {
namespace {

class EdnReader {
 public:
  EdnReader(std::string_view text, const std::string& source) : text_(text), source_(source) {}

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
  static constexpr int kMaxDepth = 256;  // deeper nesting is not a history; avoid overflow

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
    if (++depth_ > kMaxDepth) return error("EDN nested too deeply");
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
      if (c == '"') return Json(std::move(text));
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
    return Json(std::string(name));
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
    if (token[0] == ':') return Json(std::string(token.substr(token[1] == ':' ? 2 : 1)));
    char first = token[0];
    bool numeric = std::isdigit(static_cast<unsigned char>(first)) ||
                   ((first == '-' || first == '+') && token.size() > 1 &&
                    std::isdigit(static_cast<unsigned char>(token[1])));
    if (!numeric) return Json(std::string(token));  // a symbol
    return read_number(token);
  }

  Result<Json> read_number(std::string_view token) {
    std::string text(token);
    if (text.back() == 'N' || text.back() == 'M') text.pop_back();  // bigint / bigdecimal
    if (text[0] == '+') text.erase(0, 1);
    int64_t integer = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), integer);
    if (ec == std::errc() && end == text.data() + text.size()) return Json(integer);
    char* double_end = nullptr;
    double real = std::strtod(text.c_str(), &double_end);
    if (double_end == text.c_str() + text.size()) return Json(real);
    return error("bad number \"" + std::string(token) + "\"");
  }

  std::string_view text_;
  const std::string& source_;
  int line_ = 1;
  size_t pos_ = 0;
  int depth_ = 0;
};

}  // namespace

Result<std::vector<EdnForm>> parse_edn_forms(std::string_view text, const std::string& source,
                                             bool unwrap_outer_collection) {
  return EdnReader(text, source).read_all(unwrap_outer_collection);
}

}  // namespace faultline
