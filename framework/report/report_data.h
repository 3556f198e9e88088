#pragma once
// The data a run's HTML report draws (html_page.h embeds it as JSON): the client ops paired
// and packed into arrays (20,000 ops stay a few MB), the fault intervals, availability per
// fault window, each claim with its evidence, the checker's text, its context and where its
// witness is, and the recorded messages.
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "checkers/verdict.h"
#include "histories/history.h"

namespace faultline::report {

struct ClaimView {
  std::string name;
  std::string description;
  std::string checker;  // the result's checker field, e.g. "linearizable(kv)"
  bool claimed = true;
  Verdict verdict = Verdict::unknown;
  std::string summary;
  Json evidence;
  Json checker_options;
  std::string witness_text;  // the checker's own rendering of a result that is not valid
};

struct RunReport {
  History history;
  std::vector<ClaimView> claims;
  std::optional<std::string> invariant_violation;
  Json aborted;                // results.json's "aborted": null when the run finished
  std::vector<Json> messages;  // messages.jsonl: its header line, then one per message; empty: none
  std::string source;          // the history's path
  std::vector<std::pair<std::string, std::string>> commands;  // (what it does, the command line)
};

Json run_report_data(const RunReport& report);

// A value as the report keeps it: itself, or a string of its first characters when long.
Json bounded_value(const Json& value);

}  // namespace faultline::report
