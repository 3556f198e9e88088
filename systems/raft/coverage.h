#pragma once
// Which of the protocol's interesting branches a run reached, counted for a campaign's
// protocol coverage (issue 10, item 4): a branch no seed reaches is a part of Raft the
// campaign could not have found a bug in. One instance per System, shared by its nodes,
// which only add to it: no protocol decision reads it (it survives crashes, unlike a node).
#include <cstdint>

#include "base/json.h"

namespace faultline::raft {

struct Coverage {
  uint64_t leaders_elected = 0;
  uint64_t votes_refused_log_behind = 0;   // Figure 2 RequestVote: candidate's log not up to date (5.4.1)
  uint64_t stale_term_messages = 0;        // Figure 2 receiver rule 1: a request from an older term
  uint64_t prev_log_term_mismatches = 0;   // receiver rule 2: the terms at prevLogIndex differ
  uint64_t log_too_short = 0;              // receiver rule 2: no entry at prevLogIndex
  uint64_t conflicting_entries_truncated = 0;  // receiver rule 3: an existing entry conflicts
  uint64_t snapshots_installed = 0;        // section 7
  uint64_t read_indexes_confirmed = 0;     // diss. 6.4: a heartbeat round confirmed a read
  uint64_t retries_answered_from_session = 0;  // diss. 6.3: a command already applied
  uint64_t writes_proxied = 0;             // diss. 6.2: a follower forwarded a bound client's write

  Json to_json() const {
    return {{"leaders_elected", leaders_elected},
            {"votes_refused_log_behind", votes_refused_log_behind},
            {"stale_term_messages", stale_term_messages},
            {"prev_log_term_mismatches", prev_log_term_mismatches},
            {"log_too_short", log_too_short},
            {"conflicting_entries_truncated", conflicting_entries_truncated},
            {"snapshots_installed", snapshots_installed},
            {"read_indexes_confirmed", read_indexes_confirmed},
            {"retries_answered_from_session", retries_answered_from_session},
            {"writes_proxied", writes_proxied}};
  }
};

}  // namespace faultline::raft
