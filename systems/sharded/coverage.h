#pragma once
// Which parts of the move protocol a run reached, for a campaign's protocol coverage
// (issue 10, item 4). Shared by the system's nodes, which only add to it; no protocol
// decision reads it.
#include <cstdint>

#include "base/json.h"
#include "systems/raft/coverage.h"

namespace faultline::sharded {

struct Coverage {
  uint64_t configs_created = 0;    // the controller applied a change that made a configuration
  uint64_t configs_learned = 0;    // a group applied the next configuration
  uint64_t shards_frozen = 0;      // a leaving shard stopped serving at its source
  uint64_t pulls_early = 0;        // a pull reached a source that had not frozen the shard yet
  uint64_t shards_installed = 0;   // a destination applied a shard's data
  uint64_t shards_collected = 0;   // a source dropped a shard its destination installed
  uint64_t wrong_group_replies = 0;  // a command or read refused: its key's shard is not served there
  raft::Coverage raft;             // every Raft group's branches together

  Json to_json() const {
    Json json = {{"configs_created", configs_created}, {"configs_learned", configs_learned},
                 {"shards_frozen", shards_frozen},     {"pulls_early", pulls_early},
                 {"shards_installed", shards_installed}, {"shards_collected", shards_collected},
                 {"wrong_group_replies", wrong_group_replies}};
    const Json raft_counts = raft.to_json();  // items() of a temporary would dangle
    for (const auto& [name, value] : raft_counts.items()) json["raft_" + name] = value;
    return json;
  }
};

}  // namespace faultline::sharded
