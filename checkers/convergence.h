#pragma once
// Eventual convergence after the final heal, per key (docs/checkers/convergence.md): the
// final reads (`"final": true`, read from every node once the nemesis healed everything and
// the cluster was left alone) agree, every value they return was attempted, and (unless
// require_acknowledged is false) every acknowledged update survives in the agreed value.
// Also measures the time to agreement when final reads are repeated in rounds.
#include <string>

#include "checkers/checker.h"
#include "checkers/verdict.h"

namespace faultline {

// The registry entry "convergence": options type (auto|set|counter|register|append),
// require_acknowledged, subset_sum_limit.
CheckerSpec convergence_checker();

// The summary and, per key that failed (or lost updates), one line of witness.
std::string render_convergence_text(const CheckResult& result);

}  // namespace faultline
