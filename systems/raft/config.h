#pragma once
// Tunables of the Raft store and the planted-bug switches. Every duration is on the node's
// own clock (Env::now_ns), in nanoseconds.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/options.h"
#include "base/result.h"
#include "framework/random.h"
#include "framework/system.h"

namespace faultline::raft {

inline constexpr int64_t kMillisecond = 1'000'000;

struct Params {
  int64_t heartbeat_ns = 50 * kMillisecond;
  int64_t election_timeout_min_ns = 300 * kMillisecond;  // randomized in [min, 2*min)
  int max_entries_per_append = 16;
  int64_t snapshot_threshold = 256;  // applied entries past the snapshot before compacting
  int64_t lazy_fsync_ns = 1000 * kMillisecond;  // only used by raft.ack-before-fsync
  // Client side.
  int64_t client_attempt_timeout_ns = 200 * kMillisecond;
  // Below the framework's default op timeout (1 s), so an unanswered read ends as fail, not
  // info.
  int64_t client_op_timeout_ns = 900 * kMillisecond;
};

// One switch per planted bug (issue 3, item 6). All false is the correct system.
struct Bugs {
  bool commit_prior_term = false;
  bool vote_not_durable = false;
  bool ack_before_fsync = false;
  bool read_without_leader_check = false;
  bool no_client_dedup = false;
  bool skip_up_to_date_check = false;
  bool truncate_on_stale_append = false;

  // The safety assertions a planted bug may trip (issue 10, item 7): a build with one bug
  // stays blind only to what that bug can break, never to the rest. Defined in bugs.cpp.
  bool can_elect_two_leaders_in_a_term() const;  // a forgotten vote is granted twice
  bool can_lose_committed_entries() const;        // a committed entry overwritten or forgotten
};

struct Options {
  Params params;
  Bugs bugs;
};

// The planted bugs, for `faultline list` and SystemConfig::bug.
std::vector<BugSpec> bug_specs();
// The switches for SystemConfig::bug (none when absent); an unknown name is an error.
Result<Bugs> bugs_from_name(const std::optional<std::string>& name);

// The `--param` table (docs/systems/raft.md): durations in ms, defaults those of Params.
const OptionTable& param_table();

// What a swarm (`--nemesis all`) draws for this seed: heartbeat, election timeout, batch size,
// snapshot threshold and client deadlines, each within its valid range and consistent with
// the params given by hand (`given`, kept by the caller).
Json swarm_params(Rng& rng, const Json& given);

// Reads SystemConfig: params (resolved against param_table()) and the bug name.
Result<Options> parse_options(const SystemConfig& config);

}  // namespace faultline::raft
