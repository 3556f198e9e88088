#include "framework/cli/flag_checks.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <string>

namespace faultline::cli {

namespace {

// 1 rather than 1.000000, 0.5 as itself.
std::string number_text(double value) {
  std::string text = std::to_string(value);
  text.erase(text.find_last_not_of('0') + 1);
  if (!text.empty() && text.back() == '.') text.pop_back();
  return text;
}

bool decimal_digits(const std::string& text, bool sign_allowed) {
  const size_t start = sign_allowed && !text.empty() && text[0] == '-' ? 1 : 0;
  return text.size() > start && text.find_first_not_of("0123456789", start) == std::string::npos;
}

// The flag's text as an error quotes it: a pasted value may be long.
std::string shown_text(const std::string& text) {
  constexpr size_t kShown = 40;
  return "\"" + (text.size() <= kShown ? text : text.substr(0, kShown) + "...") + "\"";
}

}  // namespace

CLI::Validator integer_in(int64_t min, int64_t max) {
  const std::string range = "[" + std::to_string(min) + ", " + std::to_string(max) + "]";
  return CLI::Validator(
      [min, max, range](std::string& text) -> std::string {
        errno = 0;
        const long long value = std::strtoll(text.c_str(), nullptr, 10);
        if (!decimal_digits(text, true) || errno == ERANGE || value < min || value > max)
          return "expected an integer in " + range + ", got " + shown_text(text);
        return "";
      },
      "INT in " + range);
}

CLI::Validator number_in(double min, double max) {
  const std::string range = "[" + number_text(min) + ", " + number_text(max) + "]";
  return CLI::Validator(
      [min, max, range](std::string& text) -> std::string {
        errno = 0;
        char* end = nullptr;
        const double value = std::strtod(text.c_str(), &end);
        if (text.empty() || *end != '\0' || errno == ERANGE || !std::isfinite(value) || value < min || value > max)
          return "expected a number in " + range + ", got " + shown_text(text);
        return "";
      },
      "NUMBER in " + range);
}

CLI::Validator seed_value() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        errno = 0;
        std::strtoull(text.c_str(), nullptr, 10);
        if (!decimal_digits(text, false) || errno == ERANGE)
          return "expected a non-negative integer below 2^64, got " + shown_text(text);
        return "";
      },
      "SEED");
}

CLI::Validator non_empty() {
  return CLI::Validator(
      [](std::string& text) -> std::string { return text.empty() ? "expected a value, got an empty string" : ""; },
      "");
}

}  // namespace faultline::cli
