#pragma once
// The Dynamo store's planted bugs (../shared/research/bugs.md, section 5): each a named
// switch, off in the correct store, with the published bug it mirrors.
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "framework/system.h"

namespace faultline::dynamo {

struct Bugs {
  bool lww_clock_skew = false;           // LWW timestamps from the raw clock, no max(seen) bump
  bool sloppy_quorum_counted = false;    // fallbacks count toward strict R and W
  bool tombstone_resurrection = false;   // tombstones reaped after the grace period, unconfirmed
  bool siblings_collapsed = false;       // concurrent versions ordered by clock sum
  bool counter_retry_double = false;     // forwarded updates retried at another owner, no dedup
  bool nonblocking_read_repair = false;  // "blocking" read repair done in the background
  bool handoff_write_loss = false;       // handoff declared after the first copy; later writes not forwarded
  bool actor_id_reuse = false;           // actor = node id, no epochs
};

std::vector<BugSpec> bug_specs();
// The switches of the named bug (none when absent); an unknown name is an error.
Result<Bugs> bugs_from_name(const std::optional<std::string>& name);

}  // namespace faultline::dynamo
