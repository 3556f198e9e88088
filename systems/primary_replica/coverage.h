#pragma once
// Which of the store's interesting branches a run reached, counted for a campaign's protocol
// coverage (issue 10, item 4): a branch no seed reaches is a part of the protocol the
// campaign could not have found a bug in. One instance per System, shared by its nodes,
// which only add to it: no protocol decision reads it (it survives crashes, unlike a node).
#include <cstdint>

#include "base/json.h"

namespace faultline::primary_replica {

struct Coverage {
  uint64_t primaries_elected = 0;            // an election won (not a restart resuming its epoch)
  uint64_t stale_epoch_appends_fenced = 0;   // a deposed primary's stream refused
  uint64_t log_too_short = 0;                // consistency check: no entry at prev
  uint64_t diverged_at_prev = 0;             // consistency check: another epoch at prev
  uint64_t divergent_suffixes_truncated = 0; // a returning old primary's suffix cut
  uint64_t writes_refused_without_lease = 0; // a primary whose lease ran out
  uint64_t writes_lost_with_primacy = 0;     // another entry took a waiting write's index
  uint64_t retries_answered_from_session = 0;
  uint64_t session_reads_behind = 0;         // a replica not yet at the client's token

  Json to_json() const {
    return {{"primaries_elected", primaries_elected},
            {"stale_epoch_appends_fenced", stale_epoch_appends_fenced},
            {"log_too_short", log_too_short},
            {"diverged_at_prev", diverged_at_prev},
            {"divergent_suffixes_truncated", divergent_suffixes_truncated},
            {"writes_refused_without_lease", writes_refused_without_lease},
            {"writes_lost_with_primacy", writes_lost_with_primacy},
            {"retries_answered_from_session", retries_answered_from_session},
            {"session_reads_behind", session_reads_behind}};
  }
};

}  // namespace faultline::primary_replica
