#pragma once
// The claims most systems make, written once: a system lists them in claims() instead of
// spelling out the checker, its options and the sentence each time.
#include <cstdint>
#include <string>

#include "framework/system.h"

namespace faultline::claims {

// Every op takes effect atomically between its invoke and its completion (checker
// linearizable with this model).
ClaimSpec linearizable(const std::string& model = "kv");

// After the final heal and grace_ns, every op invoked gets an answer (checker liveness).
ClaimSpec liveness(int64_t grace_ns = 2'000'000'000);

}  // namespace faultline::claims
