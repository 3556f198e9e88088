// Scripted scenarios of the Dynamo store on the simulator, invariants checked after every
// event: writes on both sides of a partition then a heal, strict and sloppy quorums, hinted
// handoff, read repair, anti-entropy, a node down past the tombstone grace period, and a
// membership change.
#include <gtest/gtest.h>

#include "tests/systems/dynamo_harness.h"

namespace faultline::dynamo::testing {
namespace {

Json set_of(std::vector<int64_t> elements) { return Json(std::move(elements)); }

bool every_node_reads(Cluster& cluster, const std::string& key, const Json& expected) {
  for (int node = 0; node < cluster.size(); ++node)
    if (cluster.read_at(node, key) != expected) return false;
  return true;
}

// Dynamo's "always writeable" promise (DeCandia et al. 2007, 4.6): each side of a partition
// takes adds; after the heal, hints and anti-entropy bring every replica to the union.
TEST(DynamoScenario, AddsOnBothSidesOfAPartitionConvergeAfterHeal) {
  Cluster cluster(5, "set", {{"conflict", "orset"}});
  const std::string key = key_owned_by(5, {0, 1, 2});
  cluster.partition({{0, 3}, {1, 2, 4}});
  EXPECT_TRUE(cluster.ok(cluster.op_at(0, "add", key, 10)));  // owner 0 and fallback 3
  EXPECT_TRUE(cluster.ok(cluster.op_at(4, "add", key, 20)));  // owners 1 and 2
  cluster.heal_all();
  EXPECT_TRUE(cluster.run_until([&] { return cluster.owners_agree(key) && cluster.hint_count() == 0; }, 5 * kSec));
  EXPECT_TRUE(every_node_reads(cluster, key, set_of({10, 20})));
  EXPECT_GT(cluster.system().telemetry().hints_stored, 0u);
  EXPECT_GT(cluster.system().telemetry().hints_delivered, 0u);
  EXPECT_FALSE(cluster.violation()) << *cluster.violation();
}

// A strict quorum counts only the key's owners (Gifford 1979): a coordinator cut off from
// all but one owner cannot assemble W = 2 and the update is not acknowledged.
TEST(DynamoScenario, StrictQuorumRefusesWithoutTwoOwners) {
  Cluster cluster(5, "register", {{"conflict", "lww"}, {"quorum", "strict"}});
  const std::string key = key_owned_by(5, {0, 1, 2});
  cluster.partition({{0, 3, 4}, {1, 2}});
  const auto cut_off = cluster.op_at(0, "write", key, 1);
  ASSERT_TRUE(cut_off.has_value());
  EXPECT_NE(cut_off->type, OpType::ok);
  EXPECT_TRUE(cluster.ok(cluster.op_at(1, "write", key, 2)));
  cluster.heal_all();
  cluster.run_for(3 * kSec);
  EXPECT_TRUE(cluster.owners_agree(key));
  EXPECT_FALSE(cluster.violation()) << *cluster.violation();
}

// Sloppy quorum and hinted handoff (Dynamo 4.6): with two owners unreachable, fallbacks keep
// hinted copies, count toward W, and hand them to the owners once they return.
TEST(DynamoScenario, SloppyQuorumHintsAreDeliveredWhenOwnersReturn) {
  Cluster cluster(5, "register", {{"conflict", "lww"}});
  const std::string key = key_owned_by(5, {0, 1, 2});
  cluster.partition({{0, 3, 4}, {1}, {2}});
  EXPECT_TRUE(cluster.ok(cluster.op_at(0, "write", key, 7)));
  EXPECT_GT(cluster.hint_count(), 0u);
  EXPECT_FALSE(cluster.replica(1, key).has_value());
  cluster.heal_all();
  EXPECT_TRUE(cluster.run_until([&] { return cluster.hint_count() == 0; }, 3 * kSec));
  EXPECT_TRUE(cluster.owners_agree(key));
  EXPECT_EQ(cluster.read_at(1, key), 7);
  EXPECT_FALSE(cluster.violation()) << *cluster.violation();
}

// Read repair (Dynamo 4.5; Cassandra's blocking read repair): a read that finds an owner
// behind writes the merged state back to it before answering.
TEST(DynamoScenario, BlockingReadRepairFixesAStaleOwner) {
  Cluster cluster(5, "register", {{"conflict", "lww"}, {"quorum", "strict"}, {"anti_entropy_ms", 600'000}});
  const std::string key = key_owned_by(5, {0, 1, 2});
  cluster.partition({{0, 1, 3, 4}, {2}});
  EXPECT_TRUE(cluster.ok(cluster.op_at(0, "write", key, 5)));
  cluster.heal_all();
  cluster.partition({{0, 2, 3, 4}, {1}});  // the read's quorum is 0 and the stale 2
  EXPECT_EQ(cluster.read_at(3, key), 5);
  EXPECT_TRUE(cluster.replica(2, key).has_value());
  EXPECT_GT(cluster.system().telemetry().read_repairs, 0u);
  EXPECT_FALSE(cluster.violation()) << *cluster.violation();
}

// Anti-entropy (Dynamo 4.7): with no reads at all, Merkle exchanges bring a replica that
// missed a write up to date.
TEST(DynamoScenario, AntiEntropyRepairsWithoutReads) {
  Cluster cluster(5, "register", {{"conflict", "lww"}, {"quorum", "strict"}, {"anti_entropy_ms", 100}});
  const std::string key = key_owned_by(5, {0, 1, 2});
  cluster.partition({{0, 1, 3, 4}, {2}});
  EXPECT_TRUE(cluster.ok(cluster.op_at(0, "write", key, 9)));
  EXPECT_FALSE(cluster.replica(2, key).has_value());
  cluster.heal_all();
  EXPECT_TRUE(cluster.run_until([&] { return cluster.owners_agree(key); }, 5 * kSec));
  EXPECT_GT(cluster.system().telemetry().anti_entropy_keys, 0u);
  EXPECT_FALSE(cluster.violation()) << *cluster.violation();
}

// A peer heard from after a silence (cut off, down) gets an anti-entropy exchange at once,
// as Cassandra replays hints when gossip sees a node come back: with the periodic exchanges
// effectively off, the owner that missed a write catches up right after the heal.
TEST(DynamoScenario, AntiEntropyStartsWhenACutOffPeerIsHeardAgain) {
  Cluster cluster(5, "register", {{"conflict", "lww"}, {"quorum", "strict"}, {"anti_entropy_ms", 600'000}});
  const std::string key = key_owned_by(5, {0, 1, 2});
  cluster.partition({{0, 1, 3, 4}, {2}});
  EXPECT_TRUE(cluster.ok(cluster.op_at(0, "write", key, 9)));
  cluster.run_for(1 * kSec);  // longer than peer_silence_ns
  EXPECT_FALSE(cluster.replica(2, key).has_value());
  cluster.heal_all();
  EXPECT_TRUE(cluster.run_until([&] { return cluster.owners_agree(key); }, 1 * kSec));
  EXPECT_GT(cluster.system().telemetry().anti_entropy_keys, 0u);
  EXPECT_FALSE(cluster.violation()) << *cluster.violation();
}

// Riak's notfound_ok = false, for stand-ins: fallbacks holding nothing for a key do not make
// a read quorum after one missed round with the owners. Here the owners miss the first ask
// (links from the coordinator cut for 30 ms) and answer the resend slowly (20 ms); both
// fallbacks (the coordinator itself and node 4) hold nothing and answer at once. Counting them
// would answer "no value" for a key every owner holds.
TEST(DynamoScenario, FallbacksHoldingNothingDoNotOutvoteOwnersThatMissedOneAsk) {
  Cluster cluster(5, "register", {{"conflict", "lww"}, {"anti_entropy_ms", 600'000}});
  const std::string key = key_owned_by(5, {0, 1, 2});
  EXPECT_TRUE(cluster.ok(cluster.op_at(0, "write", key, 7)));
  cluster.run_for(1 * kSec);
  for (int owner : {0, 1, 2}) {
    cluster.sim().cut_link(3, owner);
    cluster.sim().set_link_quality(owner, 3, LinkQuality{.latency_ns_base = 20 * kMs});
  }
  std::optional<Completion> done;
  cluster.start(ClientOp{.f = "read", .key = key, .value = nullptr, .node = 3}, [&](const Completion& c) { done = c; });
  cluster.run_for(30 * kMs);
  for (int owner : {0, 1, 2}) cluster.sim().heal_link(3, owner);
  ASSERT_TRUE(cluster.run_until([&] { return done.has_value(); }, 2 * kSec));
  EXPECT_EQ(done->type, OpType::ok);
  EXPECT_EQ(done->value, 7);
  EXPECT_FALSE(cluster.violation()) << *cluster.violation();
}

// Vector clocks with siblings (Riak's allow_mult): concurrent writes on both sides of a
// partition are both kept; a read-modify-write with the merged context replaces both.
TEST(DynamoScenario, ConcurrentVclockWritesBecomeSiblingsThenOneValue) {
  Cluster cluster(5, "register", {{"conflict", "vclock"}});
  const std::string key = key_owned_by(5, {0, 1, 2});
  cluster.partition({{0, 3}, {1, 2, 4}});
  EXPECT_TRUE(cluster.ok(cluster.op_at(0, "write", key, 1)));
  EXPECT_TRUE(cluster.ok(cluster.op_at(1, "write", key, 2)));
  cluster.heal_all();
  EXPECT_TRUE(cluster.run_until([&] { return cluster.owners_agree(key) && cluster.hint_count() == 0; }, 5 * kSec));
  const auto merged = cluster.replica(0, key);
  ASSERT_TRUE(merged.has_value());
  EXPECT_EQ(std::get<Siblings>(*merged).entries().size(), 2u);
  EXPECT_TRUE(cluster.ok(cluster.op_at(2, "write", key, 3)));
  cluster.run_for(2 * kSec);
  const auto resolved = cluster.replica(0, key);
  ASSERT_TRUE(resolved.has_value());
  EXPECT_EQ(std::get<Siblings>(*resolved).entries().size(), 1u);
  EXPECT_EQ(cluster.read_at(4, key), 3);
  EXPECT_FALSE(cluster.violation()) << *cluster.violation();
}

// Deletes: a node down past the grace period still holds the old value. The correct store
// keeps the tombstone until every node confirmed it, so the value never comes back; the
// planted ap.tombstone-resurrection reaps on age alone and the stale copy returns (Cassandra
// gc_grace_seconds zombies).
Json read_after_stale_owner_returns(std::optional<std::string> bug) {
  Cluster cluster(5, "register-delete", {{"conflict", "lww"}, {"quorum", "strict"}, {"tombstone_grace_ms", 200}},
                  std::move(bug));
  const std::string key = key_owned_by(5, {0, 1, 2});
  EXPECT_TRUE(cluster.ok(cluster.op_at(0, "write", key, 4)));
  cluster.run_for(1 * kSec);
  cluster.sim().crash(2, CrashMode::kill);
  EXPECT_TRUE(cluster.ok(cluster.op_at(0, "write", key, Json())));  // the delete
  cluster.run_for(3 * kSec);  // well past the grace period
  cluster.sim().restart(2);
  cluster.run_for(3 * kSec);  // anti-entropy and reap rounds
  EXPECT_FALSE(cluster.violation()) << *cluster.violation();
  return cluster.read_at(0, key);
}

TEST(DynamoScenario, ANodeDownPastTheGracePeriodCannotResurrectADelete) {
  EXPECT_EQ(read_after_stale_owner_returns(std::nullopt), Json());
  EXPECT_EQ(read_after_stale_owner_returns("ap.tombstone-resurrection"), 4);
}

// Membership (Dynamo 4.9): a node leaves, handing its keys to the nodes that replace it,
// and joins again; every acknowledged add survives both moves.
TEST(DynamoScenario, LeaveAndJoinKeepEveryAdd) {
  Cluster cluster(5, "set", {{"conflict", "orset"}});
  std::vector<std::string> keys;
  for (int i = 0; i < 6; ++i) keys.push_back("k" + std::to_string(i));
  for (size_t i = 0; i < keys.size(); ++i) EXPECT_TRUE(cluster.ok(cluster.op_at(0, "add", keys[i], int(i))));
  cluster.sim().send_operator_message(2, make_dynamo_message(MemberCommand{.action = "leave"}));
  EXPECT_TRUE(cluster.run_until(
      [&] { return cluster.node(2)->ring().membership(2).status == MemberStatus::out; }, 10 * kSec))
      << to_string(cluster.node(2)->ring().membership(2).status);
  // Out of the ring, it hands its copies on and drops each once its owners acknowledged it.
  EXPECT_TRUE(cluster.run_until([&] { return cluster.node(2)->storage().data().empty(); }, 5 * kSec));
  for (size_t i = 0; i < keys.size(); ++i) EXPECT_TRUE(cluster.ok(cluster.op_at(1, "add", keys[i], 100 + int(i))));
  cluster.sim().send_operator_message(2, make_dynamo_message(MemberCommand{.action = "join"}));
  EXPECT_TRUE(cluster.run_until(
      [&] { return cluster.node(0)->ring().membership(2).status == MemberStatus::member; }, 10 * kSec));
  cluster.run_for(3 * kSec);
  for (size_t i = 0; i < keys.size(); ++i)
    EXPECT_TRUE(every_node_reads(cluster, keys[i], set_of({int64_t(i), 100 + int64_t(i)}))) << keys[i];
  EXPECT_GT(cluster.system().telemetry().membership_changes, 0u);
  EXPECT_FALSE(cluster.violation()) << *cluster.violation();
}

// Counters: an increment retried by the client is applied once (request ids remembered
// durably by the node the client addressed and by the owner that applied it).
TEST(DynamoScenario, PnCounterCountsEachIncrementOnceAcrossPartitions) {
  Cluster cluster(5, "counter", {{"conflict", "pncounter"}});
  const std::string key = key_owned_by(5, {0, 1, 2});
  cluster.partition({{0, 3}, {1, 2, 4}});
  EXPECT_TRUE(cluster.ok(cluster.op_at(0, "add", key, 3)));
  EXPECT_TRUE(cluster.ok(cluster.op_at(4, "add", key, 4)));
  EXPECT_TRUE(cluster.ok(cluster.op_at(4, "decrement", key, 2)));
  cluster.heal_all();
  EXPECT_TRUE(cluster.run_until([&] { return cluster.owners_agree(key) && cluster.hint_count() == 0; }, 5 * kSec));
  EXPECT_TRUE(every_node_reads(cluster, key, 5));
  EXPECT_FALSE(cluster.violation()) << *cluster.violation();
}

}  // namespace
}  // namespace faultline::dynamo::testing
