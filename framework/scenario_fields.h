#pragma once
// One table of the scenario's plain settings (name in the header, flag, help, kind, bounds,
// and the member it sets). It drives the history header (write and read), the command-line
// flags, the `faultline run ...` line printed for a seed, and validation, so a new setting
// is one row. The settings with registry meaning (system, workload, nemesis, mix, bug,
// --param) and the script are handled next to the table, once in each place.
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "framework/scenario.h"

namespace faultline {

enum class FieldKind {
  duration,      // int64 ns; flag text "10s", "500ms"; header integer ns
  seed,          // uint64; a decimal integer
  count,         // int; a decimal integer
  number,        // double
  flag,          // bool; the flag sets it
  negated_flag,  // bool; the flag clears it (--no-final-reads)
};

struct ScenarioField {
  std::string_view header_key;  // in the header's "params" ("link.loss_probability": nested),
                                // or at the top level when top_level
  std::string_view flag;        // "--time"
  std::string_view help;
  FieldKind kind;
  double min = 0;               // inclusive bounds of the value (ns for durations)
  double max = 0;
  bool top_level = false;
  bool omitted_when_default = false;  // left out of the header unless changed (run limits)
  std::function<Json(const Scenario&)> get;
  std::function<void(Scenario&, const Json&)> set;  // the value is already checked
};

const std::vector<ScenarioField>& scenario_fields();

// From a flag's text: parsed by kind and bounds-checked; errors name the flag.
Result<void> set_field_from_text(const ScenarioField& field, Scenario& scenario, const std::string& text);
// From a header value: type- and bounds-checked; errors start with `where` (file:line).
Result<void> set_field_from_json(const ScenarioField& field, Scenario& scenario, const Json& value,
                                 const std::string& where);
// The field's value as its flag would take it ("10s", "0.2", "7").
std::string field_text(const ScenarioField& field, const Scenario& scenario);
// Its value lies within its bounds; the error names the flag.
Result<void> check_field(const ScenarioField& field, const Scenario& scenario);

// The flags that rerun this scenario exactly: system, workload, nodes, seed, and every other
// setting that differs from its default ("--system raft --nodes 3 --seed 7 --time 30s ...").
// A script cannot be given as flags; its history's header replays it.
std::string scenario_flags_text(const Scenario& scenario);

}  // namespace faultline
