#pragma once
// The `route-stale` fault package (issue 13): a client's configuration refresh is delayed.
// Each start holds the replies of every routing node (the shard controller, as
// ShardedSystem::nodes_in_role names it) to clients for 200 ms to 3 s, with as much jitter
// again, so refreshes arrive late and out of order: a client routes by a configuration that
// newer ones have replaced while its answer was under way (MongoDB's routers caching a
// stale chunk map, SERVER-28943). Stop lets the replies through again.
#include <string>

#include "framework/nemesis.h"

namespace faultline::sharded {

// option: "" only.
Result<NemesisPtr> make_route_stale_nemesis(const std::string& option);

}  // namespace faultline::sharded
