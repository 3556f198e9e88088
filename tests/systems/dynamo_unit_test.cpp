// Unit tests of the Dynamo store's parts: ring placement and membership, quorum assembly,
// version-vector order, the CRDTs' merge laws (rapidcheck: commutative, associative,
// idempotent, on states the protocol's own operations reach), Merkle trees, durable storage
// and the params table.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <set>

#include "framework/sim_disk.h"
#include "systems/dynamo/config.h"
#include "systems/dynamo/key_state.h"
#include "systems/dynamo/merkle.h"
#include "systems/dynamo/quorum.h"
#include "systems/dynamo/ring.h"
#include "systems/dynamo/storage.h"

namespace faultline::dynamo {
namespace {

std::string key(int i) { return "k" + std::to_string(i); }

// --- ring placement

TEST(DynamoRing, PreferenceListsAreNDistinctNodesAndDeterministic) {
  const Ring ring(5, 8, 3);
  const Ring again(5, 8, 3);
  std::map<int, int> first_owner_count;
  for (int i = 0; i < 200; ++i) {
    const uint64_t hash = Ring::key_hash(key(i));
    const auto owners = ring.preference_list(hash);
    ASSERT_EQ(owners.size(), 3u);
    EXPECT_EQ(std::set<int>(owners.begin(), owners.end()).size(), 3u);
    EXPECT_EQ(owners, again.preference_list(hash));
    const auto fallbacks = ring.fallbacks(hash);
    EXPECT_EQ(fallbacks.size(), 2u);  // the other members, none an owner
    for (int f : fallbacks) EXPECT_EQ(std::count(owners.begin(), owners.end(), f), 0);
    ++first_owner_count[owners.front()];
  }
  // Virtual nodes spread keys: every node coordinates some of 200 keys.
  EXPECT_EQ(first_owner_count.size(), 5u);
}

TEST(DynamoRing, FewerMembersThanReplicasGivesShortLists) {
  Ring ring(2, 4, 3);
  EXPECT_EQ(ring.preference_list(Ring::key_hash("k")).size(), 2u);
  EXPECT_TRUE(ring.fallbacks(Ring::key_hash("k")).empty());
}

TEST(DynamoRing, LeavingNodeOwnsUntilOut) {
  Ring ring(5, 8, 3);
  // A key node 2 owns.
  std::string owned;
  for (int i = 0; owned.empty(); ++i) {
    const auto list = ring.preference_list(Ring::key_hash(key(i)));
    if (std::count(list.begin(), list.end(), 2)) owned = key(i);
  }
  const uint64_t hash = Ring::key_hash(owned);
  const auto before = ring.preference_list(hash);
  ring.set_status(2, MemberStatus::leaving);
  EXPECT_EQ(ring.preference_list(hash), before);  // still an owner while it hands off
  const auto targets = ring.leave_targets(2, hash);
  ASSERT_EQ(targets.size(), 1u);  // exactly the node that takes its place
  EXPECT_EQ(std::count(before.begin(), before.end(), targets[0]), 0);
  ring.set_status(2, MemberStatus::out);
  const auto after = ring.preference_list(hash);
  EXPECT_EQ(std::count(after.begin(), after.end(), 2), 0);
  EXPECT_EQ(std::count(after.begin(), after.end(), targets[0]), 1);
  EXPECT_FALSE(ring.may_own(2, hash));
}

TEST(DynamoRing, JoiningNodeOwnsAKeyOnceItsSourcesHandedIt) {
  Ring ring(5, 8, 3);
  ring.set_status(4, MemberStatus::out);
  std::string gained;
  for (int i = 0; gained.empty(); ++i) {
    Ring full(5, 8, 3);
    const auto list = full.preference_list(Ring::key_hash(key(i)));
    if (std::count(list.begin(), list.end(), 4)) gained = key(i);
  }
  const uint64_t hash = Ring::key_hash(gained);
  const auto without = ring.preference_list(hash);
  ring.set_status(4, MemberStatus::joining);
  EXPECT_EQ(ring.preference_list(hash), without);  // not before its data arrived
  EXPECT_TRUE(ring.may_own(4, hash));
  std::vector<int> sources;
  for (int node = 0; node < 4; ++node)
    if (ring.is_join_source(node, 4, hash)) sources.push_back(node);
  ASSERT_EQ(sources.size(), 1u);  // the one node it displaces
  EXPECT_FALSE(ring.join_complete(4));
  ring.mark_handed_off(4, sources[0]);
  const auto with = ring.preference_list(hash);
  EXPECT_EQ(std::count(with.begin(), with.end(), 4), 1);
  EXPECT_EQ(std::count(with.begin(), with.end(), sources[0]), 0);
  for (int node = 0; node < 4; ++node) ring.mark_handed_off(4, node);
  EXPECT_TRUE(ring.join_complete(4));
}

TEST(DynamoRing, MembershipMergeIsALattice) {
  Ring a(4, 4, 3), b(4, 4, 3), c(4, 4, 3);
  a.set_status(1, MemberStatus::leaving);
  b.set_status(3, MemberStatus::out);
  b.set_status(3, MemberStatus::joining);
  c = b;
  b.mark_handed_off(3, 0);
  c.mark_handed_off(3, 2);
  Ring ab = a, ba = b;
  EXPECT_TRUE(ab.merge(b));
  ba.merge(a);
  EXPECT_EQ(ab, ba);
  Ring abc = ab;
  abc.merge(c);
  EXPECT_EQ(abc.membership(3).handed_off, (std::set<int>{0, 2}));
  EXPECT_FALSE(abc.merge(abc));
  Ring decoded(4, 4, 3);
  ASSERT_TRUE(decoded.load_membership(abc.to_json()).has_value());
  EXPECT_EQ(decoded, abc);
}

// --- quorum assembly

TEST(DynamoQuorum, StrictCountsOnlyOwners) {
  QuorumTracker quorum({1, 2, 3}, 2, false);
  quorum.owner_answered(1);
  quorum.fallback_answered(4, 2);
  EXPECT_FALSE(quorum.satisfied());
  EXPECT_EQ(quorum.missing_owners(), (std::vector<int>{2, 3}));
  quorum.owner_answered(7);  // not an owner
  EXPECT_FALSE(quorum.satisfied());
  quorum.owner_answered(3);
  EXPECT_TRUE(quorum.satisfied());
}

TEST(DynamoQuorum, SloppyCountsOneStandInPerOwnerAndPerFallback) {
  QuorumTracker quorum({1, 2, 3}, 3, true);
  quorum.owner_answered(1);
  quorum.fallback_answered(4, 2);
  quorum.fallback_answered(4, 3);  // a fallback stands in for one owner only
  EXPECT_FALSE(quorum.satisfied());
  EXPECT_EQ(quorum.missing_owners(), (std::vector<int>{3}));
  quorum.fallback_answered(5, 3);
  EXPECT_TRUE(quorum.satisfied());
}

TEST(DynamoQuorum, RequiredIsCappedAndReassignKeepsCurrentOwners) {
  QuorumTracker quorum({1, 2}, 3, false);  // a ring with fewer members than N
  quorum.owner_answered(1);
  EXPECT_FALSE(quorum.satisfied());
  quorum.owner_answered(2);
  EXPECT_TRUE(quorum.satisfied());
  quorum.reassign({2, 4});
  EXPECT_FALSE(quorum.satisfied());
  EXPECT_EQ(quorum.missing_owners(), (std::vector<int>{4}));
}

// --- version vectors

TEST(DynamoVersionVector, CausalOrder) {
  VersionVector a, b;
  EXPECT_EQ(compare(a, b), Causality::equal);
  a.add({1, 2});
  EXPECT_EQ(compare(a, b), Causality::after);
  EXPECT_EQ(compare(b, a), Causality::before);
  b.add({2, 1});
  EXPECT_EQ(compare(a, b), Causality::concurrent);
  b.join(a);
  EXPECT_EQ(compare(a, b), Causality::before);
  EXPECT_TRUE(b.contains({1, 1}));
  EXPECT_FALSE(b.contains({1, 3}));
  EXPECT_EQ(b.next_dot(1), (Dot{1, 3}));
  a.add({1, 0});  // no event
  EXPECT_EQ(VersionVector::from_json(b.to_json()), b);
  EXPECT_EQ(make_actor(3, 7) >> 32, 3u);
  EXPECT_EQ(actor_node(make_actor(3, 7)), 3);
}

// --- CRDT semantics

TEST(DynamoCrdt, SiblingsKeepConcurrentWritesAndDropSeenOnes) {
  const Siblings empty;
  const Siblings x = empty.write({}, {make_actor(1, 1), 1}, 10);
  const Siblings y = empty.write({}, {make_actor(2, 1), 1}, 20);  // concurrent with x
  const Siblings both = merge(x, y);
  EXPECT_EQ(both.entries().size(), 2u);
  EXPECT_EQ(read_value(KeyState(both), Shape::registers), 20);  // the largest live sibling
  const Siblings later = both.write(both.clock(), {make_actor(1, 1), 2}, 5);  // read both, then wrote
  EXPECT_EQ(later.entries().size(), 1u);
  EXPECT_EQ(merge(later, x), later);
  EXPECT_EQ(read_value(KeyState(later), Shape::registers), 5);
  const Siblings deleted = later.write(later.clock(), {make_actor(2, 1), 2}, Json());
  EXPECT_TRUE(is_tombstone(KeyState(deleted)));
  EXPECT_EQ(read_value(KeyState(deleted), Shape::registers), Json());
}

TEST(DynamoCrdt, OrswotAddWinsOverAConcurrentRemove) {
  const Orswot base = Orswot().add(make_actor(1, 1), 7);
  const Orswot removed = base.remove(7);
  const Orswot readded = base.add(make_actor(2, 1), 7);  // concurrent with the remove
  EXPECT_EQ(merge(removed, readded).elements(), (std::vector<int64_t>{7}));
  EXPECT_TRUE(merge(removed, base).elements().empty());  // the remove saw the only add
}

TEST(DynamoCrdt, CollapsedMergeDropsAConcurrentAdd) {
  const Orswot a = Orswot().add(make_actor(1, 1), 1).add(make_actor(1, 1), 2);
  const Orswot b = Orswot().add(make_actor(2, 1), 3);
  const KeyState correct = merge_states(KeyState(a), KeyState(b));
  const KeyState collapsed = collapse_by_clock_sum(KeyState(a), KeyState(b));
  EXPECT_EQ(read_value(correct, Shape::sets), (Json{1, 2, 3}));
  EXPECT_EQ(read_value(collapsed, Shape::sets), (Json{1, 2}));
}

TEST(DynamoCrdt, CountersAndLww) {
  const PnCounter c = PnCounter().add(make_actor(1, 1), 5).add(make_actor(2, 1), -2).add(make_actor(1, 1), 1);
  EXPECT_EQ(c.value(), 4);
  EXPECT_EQ(merge(c, PnCounter().add(make_actor(1, 1), 3)).value(), 4);  // per-actor maxima
  const LwwValue old{10, make_actor(1, 1), 1}, newer{11, make_actor(0, 1), 2}, tie{10, make_actor(2, 1), 3};
  EXPECT_EQ(lww_winner(old, newer), newer);
  EXPECT_EQ(lww_winner(old, tie), tie);  // equal stamps: the larger writer
  EXPECT_EQ(read_context(KeyState(newer)), 11);
}

TEST(DynamoCrdt, StatesRoundTripThroughJson) {
  const std::vector<KeyState> states = {
      LwwValue{-5, make_actor(1, 2), Json()}, Siblings().write({}, {make_actor(1, 1), 1}, 3),
      Orswot().add(make_actor(3, 1), 9), PnCounter().add(make_actor(1, 1), -4)};
  for (const KeyState& state : states) {
    auto decoded = state_from_json(state_to_json(state));
    ASSERT_TRUE(decoded.has_value());
    EXPECT_EQ(decoded.value(), state);
    EXPECT_EQ(state_digest(decoded.value()), state_digest(state));
  }
  EXPECT_FALSE(state_from_json(Json{{"nope", 1}}).has_value());
  EXPECT_FALSE(state_from_json(Json{{"lww", {{"ts", "x"}}}}).has_value());
}

// --- merge laws on states the protocol reaches: three replicas apply updates under their
// own actors (vclock writes carry the clock of some replica, as a client's read would) and
// merge each other's states in a random order.

enum class Kind { lww, siblings, orswot, counter };

KeyState initial(Kind kind) {
  switch (kind) {
    case Kind::lww: return LwwValue{};
    case Kind::siblings: return Siblings();
    case Kind::orswot: return Orswot();
    case Kind::counter: return PnCounter();
  }
  return LwwValue{};
}

KeyState update(Kind kind, const KeyState& state, int replica, const VersionVector& context, int value) {
  const Actor actor = make_actor(replica, 1);
  switch (kind) {
    case Kind::lww: return lww_winner(std::get<LwwValue>(state), LwwValue{value % 4, actor, value});
    case Kind::siblings: {
      const auto& s = std::get<Siblings>(state);
      return s.write(context, Dot{actor, std::max(s.clock().get(actor), context.get(actor)) + 1}, value);
    }
    case Kind::orswot: {
      const auto& s = std::get<Orswot>(state);
      return value % 3 == 0 ? s.remove(value % 5) : s.add(actor, value % 5);
    }
    case Kind::counter: return std::get<PnCounter>(state).add(actor, value % 7 - 3);
  }
  return state;
}

std::vector<KeyState> reachable_states(Kind kind) {
  std::vector<KeyState> replicas(3, initial(kind));
  const int steps = *rc::gen::inRange(0, 25);
  for (int step = 0; step < steps; ++step) {
    const int at = *rc::gen::inRange(0, 3);
    const int other = *rc::gen::inRange(0, 3);
    if (*rc::gen::arbitrary<bool>()) {
      const auto clock = state_clock(replicas[other]);
      replicas[at] = update(kind, replicas[at], at, clock.value_or(VersionVector()), *rc::gen::inRange(0, 100));
    } else {
      replicas[at] = merge_states(replicas[at], replicas[other]);
    }
  }
  return replicas;
}

void check_laws(Kind kind) {
  const auto s = reachable_states(kind);
  const KeyState &a = s[0], &b = s[1], &c = s[2];
  RC_ASSERT(merge_states(a, b) == merge_states(b, a));
  RC_ASSERT(merge_states(merge_states(a, b), c) == merge_states(a, merge_states(b, c)));
  RC_ASSERT(merge_states(a, a) == a);
  RC_ASSERT(state_leq(a, merge_states(a, b)));
}

RC_GTEST_PROP(DynamoMergeLaws, LwwRegister, ()) { check_laws(Kind::lww); }
RC_GTEST_PROP(DynamoMergeLaws, DottedSiblings, ()) { check_laws(Kind::siblings); }
RC_GTEST_PROP(DynamoMergeLaws, Orswot, ()) { check_laws(Kind::orswot); }
RC_GTEST_PROP(DynamoMergeLaws, PnCounter, ()) { check_laws(Kind::counter); }

// --- Merkle trees

TEST(DynamoMerkle, RootsAgreeExactlyWhenContentsDoAndDescentFindsTheLeaf) {
  std::map<std::string, uint64_t> a;
  for (int i = 0; i < 20; ++i) a[key(i)] = 1000 + i;
  std::map<std::string, uint64_t> b = a;
  EXPECT_EQ(MerkleTree(a).root(), MerkleTree(b).root());
  b["k7"] = 1;
  const MerkleTree ta(a), tb(b);
  EXPECT_NE(ta.root(), tb.root());
  int index = 0;  // descend through the one differing child at each level
  for (int level = 1; level <= MerkleTree::kDepth; ++level) {
    int differing = 0;
    for (int child : {2 * index, 2 * index + 1})
      if (ta.hash_at(level, child) != tb.hash_at(level, child)) {
        index = child;
        ++differing;
      }
    ASSERT_EQ(differing, 1);
  }
  EXPECT_EQ(index, MerkleTree::leaf_of("k7"));
  EXPECT_EQ(MerkleTree({}).root(), 0u);
  b.erase("k7");
  EXPECT_NE(MerkleTree(b).root(), ta.root());
}

// --- storage

TEST(DynamoStorage, EverythingSurvivesARestartAndCompaction) {
  SimDisk disk;
  {
    Storage storage(disk);
    storage.load();
    storage.put_key("a", LwwValue{1, 2, 3});
    storage.put_hint({2, "b"}, PnCounter().add(7, 1));
    storage.set_epoch(4);
    storage.raise_timestamp_floor(99);
    storage.set_member_commands({"leave"});
    storage.put_request(17, RequestRecord{.request = 3, .target = 1, .applied = true});
    storage.put_key("gone", LwwValue{});
    storage.erase_key("gone");
    for (int i = 0; i < 4000; ++i) storage.put_key("big", LwwValue{i, 0, std::string(100, 'x')});  // compacts
  }
  Rng rng(1);
  disk.on_power_loss(rng, true);
  Storage storage(disk);
  storage.load();
  EXPECT_EQ(storage.key("a"), KeyState(LwwValue{1, 2, 3}));
  EXPECT_FALSE(storage.key("gone").has_value());
  EXPECT_EQ(std::get<LwwValue>(*storage.key("big")).timestamp_ns, 3999);
  EXPECT_EQ(storage.hint({2, "b"}), KeyState(PnCounter().add(7, 1)));
  EXPECT_EQ(storage.epoch(), 4u);
  EXPECT_EQ(storage.timestamp_floor(), 99);
  EXPECT_EQ(storage.member_commands(), std::vector<std::string>{"leave"});
  ASSERT_TRUE(storage.request(17).has_value());
  EXPECT_EQ(storage.request(17)->target, 1);
  EXPECT_LT(disk.read("dynamo.log").size(), 400'000u);
}

// --- params

TEST(DynamoConfig, DefaultsConflictsAndRefusals) {
  auto options = parse_options(SystemConfig{.node_count = 5, .workload = "set"});
  ASSERT_TRUE(options.has_value());
  const Params& p = options.value().params;
  EXPECT_EQ(p.replicas, 3);
  EXPECT_EQ(p.read_quorum, 2);
  EXPECT_EQ(p.write_quorum, 2);
  EXPECT_TRUE(p.sloppy);
  EXPECT_EQ(p.conflict, Conflict::orset);
  EXPECT_FALSE(p.quorums_intersect());
  auto strict = parse_options(SystemConfig{.node_count = 5, .params = {{"quorum", "strict"}}, .workload = "register"});
  ASSERT_TRUE(strict.has_value());
  EXPECT_TRUE(strict.value().params.quorums_intersect());
  EXPECT_EQ(strict.value().params.conflict, Conflict::lww);
  EXPECT_FALSE(parse_options(SystemConfig{.node_count = 5, .params = {{"conflict", "vclock"}}, .workload = "counter"}));
  EXPECT_FALSE(parse_options(SystemConfig{.node_count = 5, .params = {{"conflict", "orset"}}, .workload = "register"}));
  EXPECT_FALSE(parse_options(SystemConfig{.node_count = 2, .workload = "set"}));  // n = 3 > 2 nodes
  EXPECT_FALSE(parse_options(SystemConfig{.node_count = 5, .params = {{"r", 4}}, .workload = "set"}));
  EXPECT_FALSE(parse_options(SystemConfig{.node_count = 5, .workload = "append"}));
  EXPECT_FALSE(parse_options(SystemConfig{.node_count = 5, .bug = "ap.nope", .workload = "set"}));
  EXPECT_TRUE(parse_options(SystemConfig{.node_count = 5, .bug = "ap.actor-id-reuse", .workload = "set"}));
}

}  // namespace
}  // namespace faultline::dynamo
