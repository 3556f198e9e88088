#pragma once
// Bounds for the numeric flags that are not scenario settings (bench, check, demo, campaign,
// shrink; those are bounded by the scenario field table). Each is a CLI11 validator run on
// the flag's text before conversion, so "-1" never wraps into a huge unsigned value and
// "nan" never slips past a range; CLI11 puts the flag's name in front of the message.
#include <cstdint>

#include <CLI/CLI.hpp>

namespace faultline::cli {

// A decimal integer in [min, max].
CLI::Validator integer_in(int64_t min, int64_t max);
// A finite decimal number in [min, max].
CLI::Validator number_in(double min, double max);
// A seed: a decimal integer in [0, 2^64).
CLI::Validator seed_value();
// Any text but the empty string (no flag or argument of faultline means anything by "").
CLI::Validator non_empty();

}  // namespace faultline::cli
