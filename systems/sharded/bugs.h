#pragma once
// The planted bugs of the sharded store (issue 13, item 6): each a named switch with the real
// bug it mirrors (/work/shared/research/bugs.md, section 4). All false is the correct store.
// Each switch is read at the one place its bug lives (shard_kv.cpp).
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "framework/system.h"

namespace faultline::sharded {

inline constexpr const char* kBugMigrationLostWrites = "shard.migration-lost-writes";
inline constexpr const char* kBugHandoffReadWindow = "shard.handoff-read-window";
inline constexpr const char* kBugStaleRouteNoEpoch = "shard.stale-route-no-epoch";
inline constexpr const char* kBugOrphanVisible = "shard.orphan-visible";
inline constexpr const char* kBugDedupNotMigrated = "shard.dedup-not-migrated";

struct Bugs {
  bool serves_while_sending = false;    // migration-lost-writes: no freeze; the pull copies live data
  bool reads_while_pulling = false;     // handoff-read-window: a destination reads before its install
  bool serves_moved_out = false;        // stale-route-no-epoch: a former owner still takes requests
  bool keeps_orphans_readable = false;  // orphan-visible: collection keeps the data and reads see it
  bool install_drops_sessions = false;  // dedup-not-migrated: sessions stay behind at the source
};

std::vector<BugSpec> bug_specs();
// The switches for SystemConfig::bug (none when absent); an unknown name is an error.
Result<Bugs> bugs_from_name(const std::optional<std::string>& name);

}  // namespace faultline::sharded
