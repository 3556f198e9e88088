// The header reader of `repro` and `shrink`: the first line of a history file, parsed with
// the input bounds, then turned into a scenario. Any scenario it accepts must write back to
// a header that reads as the same scenario's header.
#include "framework/scenario.h"
#include "fuzz/fuzz_check.h"
#include "histories/json_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace faultline;
  const std::string_view text = fuzz::as_text(data, size);
  auto header = parse_json_input(text.substr(0, text.find('\n')));
  if (!header) return 0;
  auto scenario = scenario_from_header(header.value(), "fuzz.jsonl:1");
  if (!scenario) return 0;
  const Json written = scenario_to_header(scenario.value());
  auto again = scenario_from_header(written, "fuzz.jsonl:1");
  fuzz::require(again.has_value(), "a header written from an accepted scenario is accepted");
  fuzz::require(scenario_to_header(again.value()) == written, "a scenario's header round-trips");
  return 0;
}
