#pragma once
// A checker as a registry entry (DESIGN.md, "Verdicts"): its name, what it proves, the
// options it takes (one table), and the pure function History -> CheckResult. The
// composition root registers the built-in checkers; a user's program registers its own the
// same way. Checkers never see framework or systems types, so any history can be checked.
#include <functional>
#include <string>

#include "base/options.h"
#include "base/result.h"
#include "checkers/verdict.h"
#include "histories/history.h"

namespace faultline {

// Names an op for error messages, given its position in history.ops (e.g. "file.jsonl:12").
using OpLocator = std::function<std::string(size_t position)>;

// "#<index>": the locator used when a history has no file behind it.
std::string locate_by_index(const History& history, size_t position);

struct CheckerSpec {
  std::string name;         // e.g. "set-full"
  std::string description;  // one line: what a valid verdict proves
  OptionTable options;
  // options arrive resolved (validated, defaults filled in). Input this checker cannot read
  // (a read of a set that returned a number, an op with no invoke) is an error naming the op
  // through locate, never a verdict.
  std::function<Result<CheckResult>(const History&, const Json& options, const OpLocator& locate)> check;
  // The readable text of a result, witness included; empty means the summary alone.
  std::function<std::string(const CheckResult&)> render;
  // Judges what happens after the heal (recovery, convergence): a run stopped early, by a
  // broken invariant, has no such part, so the claim is left unknown there.
  bool needs_whole_run = false;
};

// Resolves the options, then checks. Every error (bad options, bad input) is returned.
Result<CheckResult> run_checker(const CheckerSpec& spec, const History& history, const Json& options,
                                const OpLocator& locate);

// For claims judged at the end of a run: an error becomes verdict unknown with the error
// as its summary (never a guess).
CheckResult run_checker_or_unknown(const CheckerSpec& spec, const History& history, const Json& options);

// The result as text for a terminal: the checker's own rendering, or its summary.
std::string render_result(const CheckerSpec& spec, const CheckResult& result);

}  // namespace faultline
