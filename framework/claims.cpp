// judge_claim: a claim is judged by the registered checker it names.
#include "base/assert.h"
#include "framework/run.h"

namespace faultline {

CheckResult judge_claim(const ClaimSpec& claim, const History& history, const Registry& registry) {
  const CheckerEntry* checker = registry.checker(claim.checker);
  // make_system refused a claim naming an unknown checker before the run started.
  FAULTLINE_ASSERT(checker != nullptr, "a claim names a checker that is not registered");
  CheckResult result = run_checker_or_unknown(*checker, history, claim.checker_options);
  return result;
}

}  // namespace faultline
