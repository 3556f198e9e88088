#pragma once
// Version vectors and dots (Parker et al. 1983; Preguica et al., "Dotted Version Vectors",
// 2012). An actor is one incarnation of a node's write identity: the node id in the high
// 32 bits and an epoch in the low 32 (Riak KV's per-key actor epochs, riak_kv PR 1094 and
// 1643: an actor must issue a strictly increasing, gap-free sequence of events, so a node
// that may have forgotten some of its events takes a new epoch).
#include <cstdint>
#include <map>
#include <vector>

#include "base/json.h"

namespace faultline::dynamo {

using Actor = uint64_t;

inline Actor make_actor(int node, uint32_t epoch) { return (static_cast<uint64_t>(node) << 32) | epoch; }
inline int actor_node(Actor actor) { return static_cast<int>(actor >> 32); }

// One event: the counter-th event issued by actor.
struct Dot {
  Actor actor = 0;
  uint64_t counter = 0;
  auto operator<=>(const Dot&) const = default;
};

enum class Causality { equal, before, after, concurrent };

// actor -> the number of its events seen (events 1..counter). Absent means 0.
class VersionVector {
 public:
  uint64_t get(Actor actor) const;
  bool contains(const Dot& dot) const { return get(dot.actor) >= dot.counter; }
  // Records the dot (and, by the gap-free rule, every earlier event of its actor).
  void add(const Dot& dot);
  // The next dot of actor after every event of it seen here.
  Dot next_dot(Actor actor) const { return Dot{actor, get(actor) + 1}; }
  void join(const VersionVector& other);  // pointwise maximum: the lattice join
  // Every event of this vector is in `other` (this <= other pointwise).
  bool included_in(const VersionVector& other) const;
  uint64_t sum() const;  // the total number of events; only the planted bug compares these
  bool empty() const { return entries_.empty(); }
  const std::map<Actor, uint64_t>& entries() const { return entries_; }
  bool operator==(const VersionVector&) const = default;

  Json to_json() const;  // [[actor, counter], ...] in actor order
  static VersionVector from_json(const Json& json);

 private:
  std::map<Actor, uint64_t> entries_;
};

Causality compare(const VersionVector& a, const VersionVector& b);

Json dot_to_json(const Dot& dot);
Dot dot_from_json(const Json& json);

}  // namespace faultline::dynamo
