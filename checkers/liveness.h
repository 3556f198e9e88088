#pragma once
// Liveness after healing: once the faults have stopped (the nemesis "heal" event, or the
// start of a run without faults) and a grace period has passed, every client operation
// gets an answer. An operation invoked after that point that ends "info", that fails with
// the error "timeout" (nobody answered), or that never completes is a violation; a definite
// answer, ok or fail (a cas whose expected value did not match), is not.
// The claim assumes the heal restores a loss-free network: a history whose header states a
// permanent link loss (params.link.loss_probability > 0, the --loss flag) is not judged
// (verdict unknown, evidence {"not_judged": ..., "loss_probability": p}).
#include "checkers/checker.h"
#include "checkers/verdict.h"
#include "histories/history.h"

namespace faultline {

struct LivenessOptions {
  int64_t grace_ns = 2'000'000'000;  // time the system may take to recover after healing
};

CheckResult check_liveness(const History& history, const LivenessOptions& options);

// The registry entry: option grace_ns.
CheckerSpec liveness_checker();

}  // namespace faultline
