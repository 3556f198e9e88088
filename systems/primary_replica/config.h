#pragma once
// The settings of the primary-replica store (docs/systems/primary-replica.md): the
// replication mode, where reads go, session tokens, how failover happens, and its timers.
// Every duration is measured with the node's own timers (Env::set_timer), which clock drift
// affects and clock jumps do not; no decision reads the node's clock (Env::now_ns).
#include <cstdint>
#include <string>

#include "base/options.h"
#include "base/result.h"
#include "framework/random.h"
#include "framework/system.h"
#include "systems/primary_replica/bugs.h"

namespace faultline::primary_replica {

inline constexpr int64_t kMillisecond = 1'000'000;

// When the primary acknowledges a write: after its own durable write (async), after one
// replica's too (semi-sync), after every replica's (sync), after a majority's (quorum).
enum class Replication { async, semi_sync, sync, quorum };
// Where a client sends reads the workload did not address to a node.
enum class ReadFrom { primary, replica, any };
// Who starts an election: nobody (node 0 is the primary for ever), an operator's command, or
// a replica that has not heard from the primary for the failure timeout.
enum class Failover { off, manual, automatic };

// The clock nemesis skews a clock by up to 20% (framework: nemesis/clock.cpp); the lease is
// checked against it (docs/systems/primary-replica.md, "The lease and clock skew").
inline constexpr double kMaxClockDrift = 0.2;

struct Params {
  Replication replication = Replication::quorum;
  ReadFrom read_from = ReadFrom::primary;
  bool session_tokens = false;
  Failover failover = Failover::automatic;
  int64_t heartbeat_ns = 50 * kMillisecond;
  int64_t failure_timeout_ns = 400 * kMillisecond;  // a replica campaigns after [T, 2T) of silence
  int64_t lease_ns = 250 * kMillisecond;            // a primary accepts writes this long after a majority heard it
  int max_entries_per_append = 32;
  // Client side: an attempt moves to another node after this; an op gives up after the
  // second (below the runner's 1 s op timeout, so an unanswered read ends as fail).
  int64_t client_attempt_timeout_ns = 200 * kMillisecond;
  int64_t client_op_timeout_ns = 900 * kMillisecond;
  int64_t client_backoff_ns = 20 * kMillisecond;  // before retrying a node that asked to wait
  // Only used by planted bugs (not settable): the lazy fsync period of pr.ack-before-fsync,
  // the replication wait of pr.sync-silently-async and pr.outcome-misreported.
  int64_t lazy_fsync_ns = 1000 * kMillisecond;
  int64_t replication_wait_ns = 100 * kMillisecond;
};

struct Options {
  Params params;
  Bugs bugs;
  int node_count = 3;
};

std::string to_string(Replication replication);
std::string to_string(ReadFrom read_from);
std::string to_string(Failover failover);

// The `--param` table (docs/systems/primary-replica.md), defaults those of Params.
const OptionTable& param_table();

// What a swarm (`--nemesis all`) draws for this seed: the timers (heartbeat, failure timeout,
// lease), the batch size and the client deadlines, each valid alone and together
// (check_combination), and consistent with the params given by hand (`given`, kept by the
// caller). The configuration (replication, read_from, session tokens, failover) is never
// drawn: it decides what the store claims, and a user picks it (`faultline matrix` runs them
// all); docs/systems/primary-replica.md, "Swarm".
Json swarm_params(Rng& rng, const Json& given);

// Reads SystemConfig: params (resolved against param_table()), node count and bug name.
Result<Options> parse_options(const SystemConfig& config);

// Acknowledgements a write needs, the primary's included.
int acks_required(Replication replication, int node_count);

}  // namespace faultline::primary_replica
