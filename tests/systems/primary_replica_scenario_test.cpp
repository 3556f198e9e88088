// Scripted scenarios of the primary-replica store (issue 11, item 6): the primary isolated,
// automatic and manual failover, an old primary returning and truncating its divergent
// suffix, a lagging replica serving a session read only once it caught up, and what async
// replication gives up. Every cluster checks the invariants after every simulated event and
// round-trips every message through the codec; each scenario runs over several seeds.
#include <gtest/gtest.h>

#include "tests/systems/primary_replica_harness.h"

namespace faultline::primary_replica::testing {
namespace {

class PrScenario : public ::testing::TestWithParam<uint64_t> {};

std::set<int> all_but(int excluded, int nodes) {
  std::set<int> rest;
  for (int i = 0; i < nodes; ++i)
    if (i != excluded) rest.insert(i);
  return rest;
}

ClientOp write_at(int node, const std::string& key, Json value) {
  return ClientOp{.f = "write", .key = key, .value = std::move(value), .node = node};
}

ClientOp read_at(int node, const std::string& key) {
  return ClientOp{.f = "read", .key = key, .value = nullptr, .node = node};
}

// The primary cut off from both replicas: its lease runs out and it refuses writes (a
// definite failure: not logged), the majority elects the next epoch's primary, which holds
// every acknowledged write; on its return the old primary follows the new epoch.
TEST_P(PrScenario, PrimaryIsolatedLosesItsLeaseAndTheMajorityElectsTheNextEpoch) {
  Cluster c(3, GetParam());
  ASSERT_EQ(c.wait_primary(), 0);
  ASSERT_TRUE(c.write("x", 1));
  c.isolate(0);
  c.run_for(400 * kMs);  // beyond the lease (250 ms) with 20% drift
  EXPECT_FALSE(c.node(0)->lease_valid());
  auto refused = c.submit(write_at(0, "x", 2), 1 * kSec);
  ASSERT_TRUE(refused);
  EXPECT_NE(refused->type, OpType::ok) << "an isolated primary acknowledged a write";
  const auto next = c.wait_primary(all_but(0, 3), 5 * kSec, /*newer_than_epoch=*/1);
  ASSERT_TRUE(next) << "no new primary after the primary was isolated";
  EXPECT_GT(c.node(*next)->epoch(), 1);
  EXPECT_EQ(c.read("x"), Json(1)) << "the acknowledged write is on the new primary";
  ASSERT_TRUE(c.write("x", 3));
  c.heal_all();
  c.run_for(1 * kSec);
  EXPECT_EQ(c.node(0)->role(), Role::replica);
  EXPECT_EQ(c.node(0)->epoch(), c.node(*next)->epoch());
  EXPECT_TRUE(c.converged());
  EXPECT_FALSE(c.violation()) << *c.violation();
}

// A write the old primary logged while it still held its lease, but could not replicate,
// is not acknowledged; after the failover the old primary's log diverges from the new
// epoch's, and on its return it truncates that suffix and rejoins as a replica.
TEST_P(PrScenario, AReturningOldPrimaryTruncatesItsDivergentSuffix) {
  Cluster c(3, GetParam());
  ASSERT_EQ(c.wait_primary(), 0);
  ASSERT_TRUE(c.write("x", 1));
  c.isolate(0);
  const int64_t old_last = c.node(0)->log().last_index();
  auto doubtful = c.submit(write_at(0, "x", 99), 1 * kSec);
  ASSERT_TRUE(doubtful);
  EXPECT_NE(doubtful->type, OpType::ok);
  const bool logged = c.node(0)->log().last_index() > old_last;
  const auto next = c.wait_primary(all_but(0, 3), 5 * kSec, 1);
  ASSERT_TRUE(next);
  ASSERT_TRUE(c.write("x", 2));
  c.heal_all();
  ASSERT_TRUE(c.run_until([&] { return c.converged(); }, 3 * kSec));
  EXPECT_EQ(c.node(0)->role(), Role::replica);
  const Json reached = c.system().run_metrics();  // protocol coverage (coverage.h)
  EXPECT_GT(reached["primaries_elected"].get<int>(), 0) << reached.dump();
  if (logged) {  // the lease was still valid when the write arrived: the entry was dropped
    EXPECT_NE(c.node(0)->log().epoch_at(old_last + 1), 1) << "the divergent entry survived";
    EXPECT_GT(reached["divergent_suffixes_truncated"].get<int>(), 0) << reached.dump();
  } else {
    EXPECT_GT(reached["writes_refused_without_lease"].get<int>(), 0) << reached.dump();
  }
  EXPECT_EQ(c.node(0)->store().read("x"), Json(2));
  EXPECT_EQ(c.read("x"), Json(2));
  EXPECT_FALSE(c.violation()) << *c.violation();
}

// Quorum replication: every acknowledged write survives the primary's crash.
TEST_P(PrScenario, AcknowledgedWritesSurviveThePrimarysCrash) {
  Cluster c(3, GetParam());
  ASSERT_EQ(c.wait_primary(), 0);
  for (int value = 1; value <= 5; ++value) ASSERT_TRUE(c.write("x", value));
  c.sim().crash(0, CrashMode::power_loss);
  const auto next = c.wait_primary(all_but(0, 3), 5 * kSec, 1);
  ASSERT_TRUE(next);
  EXPECT_EQ(c.read("x"), Json(5));
  c.sim().restart(0);
  ASSERT_TRUE(c.run_until([&] { return c.converged(); }, 3 * kSec));
  EXPECT_EQ(c.node(0)->store().read("x"), Json(5));
  EXPECT_FALSE(c.violation()) << *c.violation();
}

// failover=manual: a silent primary is not replaced until an operator orders the failover.
TEST_P(PrScenario, ManualFailoverWaitsForTheOperator) {
  Cluster c(3, GetParam(), Json{{"failover", "manual"}});
  ASSERT_EQ(c.wait_primary(), 0);
  ASSERT_TRUE(c.write("x", 1));
  c.isolate(0);
  c.run_for(3 * kSec);
  EXPECT_EQ(c.primary(all_but(0, 3)), std::nullopt) << "an election without the operator's command";
  for (int node : all_but(0, 3)) c.sim().send_operator_message(node, make_pr_message(StepUp{}));
  const auto next = c.wait_primary(all_but(0, 3), 5 * kSec, 1);
  ASSERT_TRUE(next) << "no primary after the operator's failover";
  EXPECT_EQ(c.read("x"), Json(1));
  c.heal_all();
  ASSERT_TRUE(c.run_until([&] { return c.converged(); }, 3 * kSec));
  EXPECT_EQ(c.node(0)->role(), Role::replica);
  EXPECT_FALSE(c.violation()) << *c.violation();
}

// read_from=replica with session tokens: a replica that has not applied the session's last
// write does not answer (the read times out as a definite failure) until it has caught up.
TEST_P(PrScenario, ALaggingReplicaServesASessionReadOnlyOnceCaughtUp) {
  Cluster c(3, GetParam(), Json{{"read_from", "replica"}, {"session_tokens", "on"}});
  ASSERT_EQ(c.wait_primary(), 0);
  c.cut(0, 2);  // node 2 lags: it hears neither the primary nor, through it, the write
  const EndpointId session = c.session();
  auto wrote = c.submit_in(session, write_at(0, "x", 7));
  ASSERT_TRUE(wrote);
  ASSERT_EQ(wrote->type, OpType::ok);
  auto early = c.submit_in(session, read_at(2, "x"));
  ASSERT_TRUE(early);
  EXPECT_NE(early->type, OpType::ok) << "a lagging replica answered a session read: " << early->value;
  EXPECT_GT(c.system().run_metrics()["session_reads_behind"].get<int>(), 0);
  c.heal_all();
  auto caught_up = c.submit_in(session, read_at(2, "x"));
  ASSERT_TRUE(caught_up);
  ASSERT_EQ(caught_up->type, OpType::ok);
  EXPECT_EQ(caught_up->value, Json(7));
  EXPECT_EQ(caught_up->role, "replica");
  EXPECT_FALSE(c.violation()) << *c.violation();
}

// Without session tokens the same lagging replica answers at once, with the stale value:
// what read_from=replica gives up (read-your-writes).
TEST_P(PrScenario, WithoutTokensALaggingReplicaAnswersStale) {
  Cluster c(3, GetParam(), Json{{"read_from", "replica"}, {"session_tokens", "off"}});
  ASSERT_EQ(c.wait_primary(), 0);
  c.cut(0, 2);
  const EndpointId session = c.session();
  auto wrote = c.submit_in(session, write_at(0, "x", 7));
  ASSERT_TRUE(wrote);
  ASSERT_EQ(wrote->type, OpType::ok);
  auto stale = c.submit_in(session, read_at(2, "x"));
  ASSERT_TRUE(stale);
  ASSERT_EQ(stale->type, OpType::ok);
  EXPECT_EQ(stale->value, Json(nullptr)) << "the replica cannot have seen the write";
  EXPECT_FALSE(c.violation()) << *c.violation();
}

// async + auto failover: the primary acknowledges a write on its own durable write; if it is
// cut off before shipping it, the next epoch's primary never had it and the old primary
// drops it on its return (Jepsen Redis Sentinel; MongoDB w:1 rollbacks).
TEST_P(PrScenario, AsyncFailoverLosesAnAcknowledgedWrite) {
  Cluster c(3, GetParam(), Json{{"replication", "async"}});
  ASSERT_EQ(c.wait_primary(), 0);
  ASSERT_TRUE(c.write("x", 1));
  c.run_for(200 * kMs);  // replicated everywhere
  c.sim().cut_link(0, 1);  // the primary can still hear the replicas (its lease holds) but
  c.sim().cut_link(0, 2);  // no longer ship them anything
  auto acked = c.submit(write_at(0, "x", 2));
  ASSERT_TRUE(acked);
  ASSERT_EQ(acked->type, OpType::ok) << "async acknowledges on the primary's own durable write";
  const auto next = c.wait_primary(all_but(0, 3), 5 * kSec, 1);
  ASSERT_TRUE(next);
  c.heal_all();
  ASSERT_TRUE(c.run_until([&] { return c.converged(); }, 3 * kSec));
  EXPECT_EQ(c.read("x"), Json(1)) << "the acknowledged write 2 was lost, as async allows";
  EXPECT_FALSE(c.violation()) << *c.violation();
}

// partition:leader and kill:leader aim at FaultApi::leader(), which is the primary of the
// newest epoch (PrSystem::leader), not a deposed primary that has not heard of it yet.
TEST_P(PrScenario, TheLeaderFaultsTargetIsThePrimaryOfTheNewestEpoch) {
  Cluster c(3, GetParam());
  ASSERT_EQ(c.wait_primary(), 0);
  EXPECT_EQ(c.sim().leader(), 0);
  c.isolate(0);
  const auto next = c.wait_primary(all_but(0, 3), 5 * kSec, 1);
  ASSERT_TRUE(next);
  EXPECT_EQ(c.sim().leader(), *next);
  c.heal_all();
  c.run_for(1 * kSec);
  EXPECT_EQ(c.sim().leader(), *next);
}

INSTANTIATE_TEST_SUITE_P(Seeds, PrScenario, ::testing::Values(1, 2, 3, 4, 5));

}  // namespace
}  // namespace faultline::primary_replica::testing
