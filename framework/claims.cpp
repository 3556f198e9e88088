// judge_claim: a claim is judged by the registered checker it names; and the common claims.
#include "framework/claims.h"

#include "base/assert.h"
#include "framework/run.h"

namespace faultline {

namespace claims {

ClaimSpec linearizable(const std::string& model) {
  return ClaimSpec{.name = "linearizable",
                   .description = "every operation takes effect atomically between its invoke and its completion",
                   .checker = "linearizable",
                   .checker_options = Json{{"model", model}}};
}

ClaimSpec liveness(int64_t grace_ns) {
  return ClaimSpec{.name = "liveness",
                   .description = "once every fault has healed, every operation invoked " +
                                  std::to_string(grace_ns / 1'000'000) + " ms later gets an answer",
                   .checker = "liveness",
                   .checker_options = Json{{"grace_ns", grace_ns}}};
}

}  // namespace claims

CheckResult judge_claim(const ClaimSpec& claim, const History& history, const Registry& registry) {
  const CheckerEntry* checker = registry.checker(claim.checker);
  // make_system refused a claim naming an unknown checker before the run started.
  FAULTLINE_ASSERT(checker != nullptr, "a claim names a checker that is not registered");
  CheckResult result = run_checker_or_unknown(*checker, history, claim.checker_options);
  return result;
}

}  // namespace faultline
