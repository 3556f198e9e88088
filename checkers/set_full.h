#pragma once
// Jepsen's set-full checker, per key (docs/checkers/set-full.md): unique-element adds and
// whole-set reads. An element that was known to be in the set (its add was acknowledged, or
// a read showed it) and that the latest reads no longer contain is lost; an element a read
// shows with no add of it that did not fail invoked before that read ended is unexpected.
// Either is invalid; stale elements (missed for a while, then always seen) are reported with
// their visibility latency and are invalid only with option linearizable.
#include <string>

#include "checkers/checker.h"

namespace faultline {

struct SetFullOptions {
  std::string add_f = "add";  // the op name of an add (e.g. Maelstrom's "broadcast")
  bool linearizable = false;  // stale elements are violations too
};

// Bad input (a read that returned a number, a duplicate element, an op that is neither an add
// nor a read, a completion with no invoke) is an error naming the op through locate.
Result<CheckResult> check_set_full(const History& history, const SetFullOptions& options, const OpLocator& locate);

// The registry entry: options add_f and linearizable.
CheckerSpec set_full_checker();

// The readable witness of a set-full result (the registry entry's render).
std::string render_set_full(const CheckResult& result);

}  // namespace faultline
