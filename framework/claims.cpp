// judge_claim: maps the checker a claim names to the checker itself.
#include "checkers/linearizable.h"
#include "checkers/liveness.h"
#include "framework/run.h"

namespace faultline {

CheckResult judge_claim(const ClaimSpec& claim, const History& history) {
  const Json& options = claim.checker_options;
  if (claim.checker == "linearizable") {
    LinearizabilityOptions lin;
    lin.model = options.value("model", std::string("kv"));
    if (options.contains("initial")) lin.initial = options["initial"];
    lin.time_limit_s = options.value("time_limit_s", 60.0);
    return check_linearizable(history, lin);
  }
  if (claim.checker == "liveness") {
    LivenessOptions liveness;
    liveness.grace_ns = options.value("grace_ns", liveness.grace_ns);
    return check_liveness(history, liveness);
  }
  // Not a guess: a claim nobody can judge is unknown, and says why.
  return CheckResult{Verdict::unknown, claim.checker,
                     "no checker named \"" + claim.checker + "\" is known", Json()};
}

}  // namespace faultline
