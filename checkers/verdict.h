#pragma once
// What every checker returns: a verdict that is never a guess. unknown means the checker
// ran out of budget (time or memory) and says how far it got.
#include <string>
#include <string_view>

#include "histories/op.h"

namespace faultline {

enum class Verdict { valid, invalid, unknown };

inline std::string_view to_string(Verdict verdict) {
  switch (verdict) {
    case Verdict::valid: return "valid";
    case Verdict::invalid: return "invalid";
    case Verdict::unknown: return "unknown";
  }
  return "?";
}

struct CheckResult {
  Verdict verdict = Verdict::unknown;
  std::string checker;   // e.g. "linearizable(kv)"
  std::string summary;   // one readable paragraph: why
  Json evidence;         // machine-readable details (ops involved, states, ...)
};

}  // namespace faultline
