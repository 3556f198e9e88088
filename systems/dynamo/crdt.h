#pragma once
// The replicated value types, each a join-semilattice (Shapiro, Preguica, Baquero, Zawirski,
// "Conflict-free Replicated Data Types", SSS 2011): merge is commutative, associative and
// idempotent, so replicas that have seen the same updates hold the same state whatever the
// order, duplication or retransmission of the messages that carried them.
//   LwwValue   last-writer-wins register: the larger (timestamp, writer, value) wins
//   Siblings   multi-value register with dotted version vectors (Preguica et al. 2012; Riak
//              KV's allow_mult siblings with dvv_enabled): concurrent writes are all kept
//   Orswot     add-wins observed-remove set without tombstones (Bieniusa et al. 2012,
//              "An optimized conflict-free replicated set"; riak_dt_orswot)
//   PnCounter  increment/decrement counter: one G-counter of increments and one of
//              decrements, each a per-actor maximum (Shapiro et al. 2011, Spec. 6 and 7)
#include <cstdint>
#include <map>
#include <vector>

#include "base/json.h"
#include "systems/dynamo/version_vector.h"

namespace faultline::dynamo {

// A null value is a tombstone: the key was deleted at `timestamp_ns` (Cassandra's model).
struct LwwValue {
  int64_t timestamp_ns = 0;
  Actor writer = 0;  // breaks ties between equal timestamps
  Json value;
  bool operator==(const LwwValue&) const = default;
};
// The winner of two writes: larger timestamp, then larger writer, then larger value text.
const LwwValue& lww_winner(const LwwValue& a, const LwwValue& b);

struct Sibling {
  Dot dot;     // the write that produced the value
  Json value;  // null: a tombstone (a delete)
  bool operator==(const Sibling&) const = default;
};

class Siblings {
 public:
  // A write that has seen `context` (the clock the client read): it replaces every sibling
  // the context covers and keeps the others as concurrent siblings (DVV update).
  Siblings write(const VersionVector& context, const Dot& dot, Json value) const;
  const VersionVector& clock() const { return clock_; }
  const std::vector<Sibling>& entries() const { return entries_; }
  bool operator==(const Siblings&) const = default;

  Json to_json() const;
  static Siblings from_json(const Json& json);
  friend Siblings merge(const Siblings& a, const Siblings& b);

 private:
  VersionVector clock_;           // every write this replica has seen
  std::vector<Sibling> entries_;  // the writes not yet superseded, by dot
};
Siblings merge(const Siblings& a, const Siblings& b);

class Orswot {
 public:
  Orswot add(Actor actor, int64_t element) const;
  // Removes what this replica has observed of the element; a concurrent add elsewhere, whose
  // dot this clock has not seen, survives the merge (add wins).
  Orswot remove(int64_t element) const;
  std::vector<int64_t> elements() const;
  const VersionVector& clock() const { return clock_; }
  bool operator==(const Orswot&) const = default;

  Json to_json() const;
  static Orswot from_json(const Json& json);
  friend Orswot merge(const Orswot& a, const Orswot& b);

 private:
  VersionVector clock_;
  std::map<int64_t, std::vector<Dot>> entries_;  // element -> the adds that put it there
};
Orswot merge(const Orswot& a, const Orswot& b);

class PnCounter {
 public:
  // A positive amount counts up, a negative one down, both under `actor`.
  PnCounter add(Actor actor, int64_t amount) const;
  int64_t value() const;
  bool operator==(const PnCounter&) const = default;

  Json to_json() const;
  static PnCounter from_json(const Json& json);
  friend PnCounter merge(const PnCounter& a, const PnCounter& b);

 private:
  std::map<Actor, int64_t> increments_;
  std::map<Actor, int64_t> decrements_;
};
PnCounter merge(const PnCounter& a, const PnCounter& b);

}  // namespace faultline::dynamo
