#pragma once
// The CAP rows of `faultline demo`: the CP store (raft) and the AP store (dynamo's
// always-writeable configuration) on the same seeds, under the same partitions of a 5-node
// cluster into a minority and a majority, with clients bound to nodes (two per node, as
// Jepsen binds them). Each row gives what the clients on either side got answered, the
// claims each store made and kept, and how long after the heal its replicas agreed.
#include <string>

#include "base/result.h"
#include "framework/registry.h"

namespace faultline::cli {

// The table and one command per row that reruns its first seed; an error when a run could
// not be made. Empty when the registry lacks either store.
Result<std::string> cap_table(int seed_count, int64_t time_ns, const Registry& registry, const std::string& program);

}  // namespace faultline::cli
