#include "base/options.h"

#include <cmath>

namespace faultline {

std::string_view to_string(OptionType type) {
  switch (type) {
    case OptionType::integer: return "integer";
    case OptionType::number: return "number";
    case OptionType::boolean: return "boolean";
    case OptionType::string: return "string";
    case OptionType::json: return "json";
  }
  return "?";
}

namespace {

const OptionSpec* find_option(const OptionTable& table, const std::string& name) {
  for (const auto& spec : table)
    if (spec.name == name) return &spec;
  return nullptr;
}

std::string known_names(const OptionTable& table) {
  std::string names;
  for (const auto& spec : table) names += (names.empty() ? "" : ", ") + spec.name;
  return names.empty() ? "none" : names;
}

bool has_type(const Json& value, OptionType type) {
  switch (type) {
    case OptionType::integer: return value.is_number_integer();
    case OptionType::number: return value.is_number() && std::isfinite(value.get<double>());
    case OptionType::boolean: return value.is_boolean();
    case OptionType::string: return value.is_string();
    case OptionType::json: return true;
  }
  return false;
}

Result<void> check_value(const OptionSpec& spec, const Json& value, const std::string& where) {
  if (!has_type(value, spec.type))
    return fail(where + " must be " + (spec.type == OptionType::integer ? "an " : "a ") +
                std::string(to_string(spec.type)) + ", got " + value.dump());
  if (spec.type == OptionType::integer || spec.type == OptionType::number) {
    double number = value.get<double>();
    if ((spec.min && number < *spec.min) || (spec.max && number > *spec.max)) {
      Json low = spec.min ? Json(*spec.min) : Json("-inf"), high = spec.max ? Json(*spec.max) : Json("inf");
      return fail(where + " must be in [" + low.dump() + ", " + high.dump() + "], got " + value.dump());
    }
  }
  if (spec.type == OptionType::string && !spec.choices.empty()) {
    const std::string text = value.get<std::string>();
    bool known = false;
    std::string listed;
    for (const auto& choice : spec.choices) {
      known = known || choice == text;
      listed += (listed.empty() ? "" : "|") + choice;
    }
    if (!known) return fail(where + " must be one of " + listed + ", got \"" + text + "\"");
  }
  return outcome::success();
}

}  // namespace

Result<Json> resolve_options(const OptionTable& table, const Json& given, const std::string& what) {
  if (!given.is_null() && !given.is_object()) return fail(what + ": options must be a JSON object");
  Json resolved = Json::object();
  if (given.is_object()) {
    for (const auto& [name, value] : given.items()) {
      const OptionSpec* spec = find_option(table, name);
      if (spec == nullptr)
        return fail(what + ": unknown option \"" + name + "\" (known: " + known_names(table) + ")");
      BOOST_OUTCOME_TRYV(check_value(*spec, value, what + ": option " + name));
      resolved[name] = value;
    }
  }
  for (const auto& spec : table)
    if (!resolved.contains(spec.name) && !spec.default_value.is_null()) resolved[spec.name] = spec.default_value;
  return resolved;
}

Result<std::pair<std::string, Json>> parse_assignment(const std::string& text) {
  auto equals = text.find('=');
  if (equals == std::string::npos || equals == 0)
    return fail("expected name=value, got \"" + text + "\"");
  std::string name = text.substr(0, equals);
  std::string raw = text.substr(equals + 1);
  Json value = Json::parse(raw, nullptr, /*allow_exceptions=*/false);
  if (value.is_discarded()) value = raw;
  return std::make_pair(std::move(name), std::move(value));
}

std::vector<std::string> describe_options(const OptionTable& table) {
  std::vector<std::string> lines;
  for (const auto& spec : table) {
    std::string line = spec.name + " (" + std::string(to_string(spec.type));
    if (!spec.default_value.is_null()) line += ", default " + spec.default_value.dump();
    line += "): " + spec.description;
    if (!spec.choices.empty()) {
      std::string listed;
      for (const auto& choice : spec.choices) listed += (listed.empty() ? "" : "|") + choice;
      line += " [" + listed + "]";
    }
    lines.push_back(std::move(line));
  }
  return lines;
}

}  // namespace faultline
