#pragma once
// Shared steps of the importers (histories from Jepsen and Porcupine into our format).
#include <string>
#include <vector>

#include "base/result.h"
#include "histories/history.h"

namespace faultline {

// DESIGN.md: a process whose op ends `info` never invokes again (Jepsen gives it a fresh id).
// Some public logs reuse the id (Porcupine's etcd logs after a timed-out read), so importers
// call this last: later ops of such a process get a fresh id above every id in the history
// (an error when the ids leave no room).
Result<void> retire_processes_after_info(std::vector<Op>& ops);

}  // namespace faultline
