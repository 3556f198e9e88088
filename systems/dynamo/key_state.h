#pragma once
// The state a replica holds for one key: one of the lattice types of crdt.h, chosen by the
// run's conflict resolution. Merging, comparing, hashing and encoding states, and what a
// client reads from one.
#include <cstdint>
#include <optional>
#include <variant>

#include "base/result.h"
#include "systems/dynamo/crdt.h"

namespace faultline::dynamo {

using KeyState = std::variant<LwwValue, Siblings, Orswot, PnCounter>;

// What the workload's values are: registers (register, session, register-delete), sets of
// integers, or counters.
enum class Shape { registers, sets, counters };

// The lattice join of two states of the same type.
KeyState merge_states(const KeyState& a, const KeyState& b);
// a <= b in the lattice: b already holds everything a holds.
bool state_leq(const KeyState& a, const KeyState& b);
// The planted ap.siblings-collapsed merge: of two version-vectored states, the one whose
// clock has the larger sum wins whole, as if concurrent states were ordered.
KeyState collapse_by_clock_sum(const KeyState& a, const KeyState& b);

// A stable 64-bit hash of the state's canonical encoding (Merkle leaves, acknowledgements).
uint64_t state_digest(const KeyState& state);
// A deleted key: a LWW tombstone, or siblings that are all tombstones.
bool is_tombstone(const KeyState& state);
// The version vector of a Siblings or Orswot state; nullopt for the other types.
std::optional<VersionVector> state_clock(const KeyState& state);

Json state_to_json(const KeyState& state);
Result<KeyState> state_from_json(const Json& json);
// A state that may be absent (null in JSON: the key was never written there).
Json optional_state_to_json(const std::optional<KeyState>& state);
Result<std::optional<KeyState>> optional_state_from_json(const Json& json);

// The value a client read reports: a register's value (the largest live sibling; null
// when deleted or never written), a set's elements in order, a counter's total.
Json read_value(const std::optional<KeyState>& state, Shape shape);
// The causal context a read-modify-write sends back with its update: the version vector of
// siblings, or the LWW timestamp; null when the state carries none.
Json read_context(const std::optional<KeyState>& state);

}  // namespace faultline::dynamo
