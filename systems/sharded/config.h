#pragma once
// The sharded store's settings (docs/systems/sharded.md): its layout and migration timing,
// plus every Raft param, which each Raft group (the controller's and the replica groups')
// runs with. Durations are in nanoseconds on the node's own clock.
#include "systems/raft/config.h"
#include "systems/sharded/bugs.h"
#include "systems/sharded/layout.h"

namespace faultline::sharded {

struct Options {
  Layout layout;
  // How often a group's leader asks the controller for the next configuration and drives its
  // moves (pulls, collection notices).
  int64_t migration_tick_ns = 100 * raft::kMillisecond;
  // How long a client waits before retrying a key its group does not serve yet.
  int64_t client_backoff_ns = 20 * raft::kMillisecond;
  raft::Options raft;  // raft's planted bugs stay off: the sharded store plants its own
  Bugs bugs;
  std::string workload = "register";  // register (write, cas) or set (add): what its reads return
};

// raft's `--param` rows plus the layout and migration rows.
const OptionTable& param_table();
Result<Options> parse_options(const SystemConfig& config);

}  // namespace faultline::sharded
