#pragma once
// The single store's planted bugs: each a named switch with the real bug it mirrors
// (/work/shared/research/bugs.md). All false is the correct store.
#include <string>
#include <vector>

#include "base/result.h"
#include "framework/system.h"

namespace faultline::single {

inline constexpr const char* kBugAckBeforeFsync = "single.ack-before-fsync";
inline constexpr const char* kBugLostAdd = "single.lost-add";
inline constexpr const char* kBugDoubleIncrement = "single.double-increment";

struct Bugs {
  bool ack_before_fsync = false;  // group commit done wrong: ack, fsync 50 ms later
  bool drop_last_record = false;  // recovery treats the log's last record as a torn tail
  bool no_request_dedup = false;  // a retried or duplicated request is applied again
};

std::vector<BugSpec> bug_specs();
// The switches for SystemConfig::bug (none when absent); an unknown name is an error.
Result<Bugs> bugs_from_name(const std::optional<std::string>& name);

}  // namespace faultline::single
