#pragma once
// The planted bugs of the primary-replica store (issue 11, item 4): each a named switch with
// the real bug it mirrors (/work/shared/research/bugs.md, section 3). All false is the
// correct store. The code reads each switch at the one place the bug lives.
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "framework/system.h"

namespace faultline::primary_replica {

inline constexpr const char* kBugAsyncFailoverLoss = "pr.async-failover-loss";
inline constexpr const char* kBugNoFencingSplitBrain = "pr.no-fencing-split-brain";
inline constexpr const char* kBugStaleDirtyReadPrimary = "pr.stale-dirty-read-primary";
inline constexpr const char* kBugElectLaggingReplica = "pr.elect-lagging-replica";
inline constexpr const char* kBugSyncSilentlyAsync = "pr.sync-silently-async";
inline constexpr const char* kBugOutcomeMisreported = "pr.outcome-misreported";
inline constexpr const char* kBugSessionLaggingReplica = "pr.session-lagging-replica";
inline constexpr const char* kBugAckBeforeFsync = "pr.ack-before-fsync";
inline constexpr const char* kBugHwTruncationDivergence = "pr.hw-truncation-divergence";

struct Bugs {
  bool acks_after_local_write = false;    // async-failover-loss: any mode acks like async
  bool no_fencing = false;                // no-fencing-split-brain: quorum of the visible, old epochs accepted
  bool reads_without_barrier = false;     // stale-dirty-read-primary: local, uncommitted reads
  bool elects_without_log_check = false;  // elect-lagging-replica: votes ignore (epoch, index)
  bool degrades_to_async = false;         // sync-silently-async: ack locally after a wait
  bool fails_doubtful_writes = false;     // outcome-misreported: doubt answered as failure
  bool replicas_ignore_tokens = false;    // session-lagging-replica
  bool acks_before_fsync = false;         // ack-before-fsync: the log is fsynced on a timer
  bool truncates_to_local_hw = false;     // hw-truncation-divergence: restart truncates to HW
};

std::vector<BugSpec> bug_specs();
// The switches for SystemConfig::bug (none when absent); an unknown name is an error.
Result<Bugs> bugs_from_name(const std::optional<std::string>& name);

}  // namespace faultline::primary_replica
