#pragma once
// The Dynamo store's settings (`--param`, docs/systems/dynamo.md) and the planted-bug
// switches. Durations are on each node's own clock, in nanoseconds.
#include <cstdint>
#include <string>

#include "base/options.h"
#include "base/result.h"
#include "framework/system.h"
#include "systems/dynamo/bugs.h"
#include "systems/dynamo/key_state.h"

namespace faultline::dynamo {

inline constexpr int64_t kMillisecond = 1'000'000;

// How concurrent updates of one key are reconciled.
enum class Conflict {
  lww,        // the client reads, then writes a whole new value stamped max(clock, seen + 1)
  vclock,     // the client reads siblings and their clock, merges, writes back with that context
  lwwreg,     // CRDT LWW-register: the owner stamps the write max(clock, local + 1)
  mvreg,      // CRDT multi-value register: a write supersedes what its owner has seen
  orset,      // CRDT add-wins OR-set (ORSWOT)
  gcounter,   // CRDT grow-only counter
  pncounter,  // CRDT increment/decrement counter
};

enum class ReadRepair { blocking, async };

struct Params {
  int replicas = 3;       // N
  int read_quorum = 2;    // R
  int write_quorum = 2;   // W
  bool sloppy = true;     // sloppy quorums with hinted handoff (else strict)
  ReadRepair read_repair = ReadRepair::blocking;
  Conflict conflict = Conflict::lww;
  Shape shape = Shape::registers;  // from the workload
  int vnodes = 8;
  int64_t anti_entropy_ns = 500 * kMillisecond;
  int64_t tombstone_grace_ns = 1000 * kMillisecond;
  // Fixed timings (not params: the protocol's correctness does not depend on them).
  int64_t gossip_ns = 100 * kMillisecond;
  // A peer silent this long (5 gossip rounds) was cut off or down: the first message after
  // the silence starts an anti-entropy exchange with it.
  int64_t peer_silence_ns = 500 * kMillisecond;
  int64_t hint_delivery_ns = 100 * kMillisecond;
  int64_t handoff_ns = 50 * kMillisecond;
  int64_t replica_attempt_ns = 50 * kMillisecond;  // resend to silent replicas, try fallbacks
  int64_t coordinator_deadline_ns = 700 * kMillisecond;
  int64_t client_attempt_ns = 150 * kMillisecond;  // a silent coordinator: read elsewhere
  int64_t client_retry_ns = 200 * kMillisecond;    // resend an update to the same coordinator
  int64_t client_deadline_ns = 900 * kMillisecond;  // below the framework's 1 s op timeout

  // Any read quorum meets any write quorum.
  bool quorums_intersect() const { return !sloppy && read_quorum + write_quorum > replicas; }
  // Any two read quorums meet (a value a blocking read repaired is seen by the next read).
  bool reads_intersect() const { return !sloppy && 2 * read_quorum > replicas; }
};

struct Options {
  Params params;
  Bugs bugs;
  std::string workload;
};

// The `--param` table: n, r, w, quorum, read_repair, conflict, vnodes, anti_entropy_ms,
// tombstone_grace_ms.
const OptionTable& param_table();

// Reads SystemConfig: params (resolved against param_table()), the workload and the bug.
Result<Options> parse_options(const SystemConfig& config);

std::string to_string(Conflict conflict);

}  // namespace faultline::dynamo
