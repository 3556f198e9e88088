#pragma once
// Named options described by one table (name, type, default, range, help), shared by every
// place that takes settings by name: checker options, system params, workload options. The
// table drives validation, defaults, `--help` text and `faultline list`, so a new option is
// one row, never three hand copies.
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "base/json.h"
#include "base/result.h"

namespace faultline {

enum class OptionType { integer, number, boolean, string, json };

struct OptionSpec {
  std::string name;
  OptionType type = OptionType::json;
  Json default_value;        // null: absent unless given
  std::string description;
  std::vector<std::string> choices;  // strings only: the accepted values (empty: any)
  std::optional<double> min;         // numbers only: inclusive bounds
  std::optional<double> max;
};

using OptionTable = std::vector<OptionSpec>;

// Checks `given` (a JSON object, or null for none) against the table: an unknown name, a
// wrong type, a value out of range or not among the choices is an error that starts with
// `what` (e.g. "checker set-full") and names the option. Returns `given` with every default
// filled in.
Result<Json> resolve_options(const OptionTable& table, const Json& given, const std::string& what);

// "name=value" from a command line: the value is read as JSON when it is JSON (5, true,
// [1,2], "x") and taken as a plain string otherwise (on, lww).
Result<std::pair<std::string, Json>> parse_assignment(const std::string& text);

// One line per option: "name (type, default D): description [choices]".
std::vector<std::string> describe_options(const OptionTable& table);

std::string_view to_string(OptionType type);

}  // namespace faultline
