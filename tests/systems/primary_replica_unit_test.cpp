// Unit tests of the primary-replica store's pieces: log positions and chains, storage
// recovery, the data kinds and sessions, params and claims, the codec, and the node's
// replication and election logic driven by hand through a FakeEnv.
#include <gtest/gtest.h>

#include "systems/primary_replica/claims.h"
#include "systems/primary_replica/client.h"
#include "systems/primary_replica/storage.h"
#include "tests/systems/primary_replica_harness.h"

namespace faultline::primary_replica::testing {
namespace {

Entry entry(int64_t epoch, int64_t index, std::string value = "") {
  if (value.empty()) return Entry{.epoch = epoch, .index = index};
  return Entry{.epoch = epoch, .index = index, .noop = false,
               .command = Command{.client = 9, .seq = index, .f = "write", .key = "k", .value = value}};
}

// ---- log ----

TEST(PrLog, PositionsOrderByEpochThenIndex) {
  EXPECT_LT((Position{1, 9}), (Position{2, 1}));
  EXPECT_LT((Position{2, 1}), (Position{2, 2}));
  EXPECT_EQ((Position{}), (Position{0, 0}));
  ReplicatedLog log;
  log.append(entry(1, 1));
  log.append(entry(1, 2, "a"));
  log.append(entry(2, 3, "b"));
  EXPECT_EQ(log.last_position(), (Position{2, 3}));
  EXPECT_EQ(log.epoch_at(0), 0);
  EXPECT_EQ(log.epoch_at(2), 1);
  EXPECT_EQ(log.first_index_of_epoch_run(2), 1);
  EXPECT_EQ(log.first_index_of_epoch_run(3), 3);
  EXPECT_EQ(log.slice(2, 5).size(), 2u);
  EXPECT_EQ(log.slice(4, 5).size(), 0u);
}

TEST(PrLog, ChainsAgreeExactlyOnEqualPrefixes) {
  ReplicatedLog a;
  ReplicatedLog b;
  for (auto* log : {&a, &b}) {
    log->append(entry(1, 1));
    log->append(entry(1, 2, "x"));
  }
  a.append(entry(1, 3, "y"));
  b.append(entry(2, 3, "y"));  // same index and command, another epoch
  EXPECT_EQ(a.chain_at(2), b.chain_at(2));
  EXPECT_NE(a.chain_at(3), b.chain_at(3));
  b.truncate_from(3);
  b.append(entry(1, 3, "y"));
  EXPECT_EQ(a.chain_at(3), b.chain_at(3));
}

// ---- storage ----

TEST(PrStorage, RecoversHardStateAndLogAndDropsATornTail) {
  SimDisk disk;
  {
    Storage storage(disk);
    EXPECT_FALSE(storage.load().hard.has_value());
    storage.save_hard_state(HardState{.epoch = 2, .vote = 1, .leading = false, .followed_epoch = 2});
    storage.save_hard_state(HardState{.epoch = 3, .vote = 2, .leading = true, .followed_epoch = 3});
    storage.append({entry(1, 1), entry(1, 2, "a"), entry(3, 3, "b")}, true);
    storage.truncate_from(3, true);
    storage.append({entry(3, 3, "c")}, true);
  }
  disk.append("log", "0123456789abcdef {\"epoch\":3,\"ind");  // a torn record
  Storage storage(disk);
  const Recovered recovered = storage.load();
  ASSERT_TRUE(recovered.hard.has_value());
  EXPECT_EQ(*recovered.hard, (HardState{.epoch = 3, .vote = 2, .leading = true, .followed_epoch = 3}));
  ASSERT_EQ(recovered.entries.size(), 3u);
  EXPECT_EQ(recovered.entries[2].command.value, Json("c"));
  storage.append({entry(3, 4, "d")}, true);  // appends follow the valid records
  EXPECT_EQ(Storage(disk).load().entries.size(), 4u);
}

TEST(PrStorage, PowerLossKeepsOnlyWhatWasSynced) {
  SimDisk disk;
  Storage storage(disk);
  storage.load();
  storage.append({entry(1, 1), entry(1, 2, "a")}, true);
  storage.append({entry(1, 3, "b")}, false);
  Rng rng(1);
  disk.on_power_loss(rng, false);
  EXPECT_EQ(Storage(disk).load().entries.size(), 2u);
}

// ---- data ----

TEST(PrStore, EveryDataKindAndAtMostOnceUpdates) {
  Store registers(DataKind::registers);
  EXPECT_EQ(registers.read("k"), Json());
  registers.apply(Command{1, 1, "write", "k", 3});
  EXPECT_FALSE(registers.apply(Command{1, 2, "cas", "k", Json::array({4, 5})}).ok);
  EXPECT_TRUE(registers.apply(Command{1, 3, "cas", "k", Json::array({3, 5})}).ok);
  EXPECT_EQ(registers.read("k"), Json(5));
  EXPECT_FALSE(registers.accepts("cas", 4));
  EXPECT_FALSE(registers.accepts("add", 1));

  Store counters(DataKind::counters);
  counters.apply(Command{1, 1, "add", "c", 5});
  counters.apply(Command{1, 1, "add", "c", 5});  // a retry: applied once
  counters.apply(Command{2, 1, "decrement", "c", 2});
  EXPECT_EQ(counters.read("c"), Json(3));
  ASSERT_TRUE(counters.cached(1, 1).has_value());
  EXPECT_FALSE(counters.cached(1, 2).has_value());
  EXPECT_FALSE(counters.accepts("add", "x"));

  Store sets(DataKind::sets);
  EXPECT_EQ(sets.read("s"), Json::array());
  sets.apply(Command{1, 1, "add", "s", 7});
  sets.apply(Command{2, 1, "add", "s", 2});
  EXPECT_EQ(sets.read("s"), Json::array({2, 7}));

  Store lists(DataKind::lists);
  lists.apply(Command{1, 1, "append", "l", 7});
  lists.apply(Command{2, 1, "append", "l", 2});
  EXPECT_EQ(lists.read("l"), Json::array({7, 2}));
  EXPECT_FALSE(data_kind_of("queue").has_value());
}

// ---- params and claims ----

TEST(PrConfig, ParamsDefaultsChoicesAndTheLeaseBound) {
  const Options defaults = options_of(3);
  EXPECT_EQ(defaults.params.replication, Replication::quorum);
  EXPECT_EQ(defaults.params.failover, Failover::automatic);
  EXPECT_FALSE(defaults.params.session_tokens);
  const Options chosen = options_of(3, {{"replication", "semi-sync"}, {"read_from", "any"}, {"session_tokens", "on"},
                                        {"failover", "manual"}, {"lease_ms", 100}});
  EXPECT_EQ(chosen.params.replication, Replication::semi_sync);
  EXPECT_EQ(chosen.params.read_from, ReadFrom::any);
  EXPECT_TRUE(chosen.params.session_tokens);
  EXPECT_EQ(chosen.params.failover, Failover::manual);
  EXPECT_EQ(chosen.params.lease_ns, 100 * kMs);
  auto parse = [](int nodes, Json params) { return parse_options(SystemConfig{.node_count = nodes, .params = params}); };
  EXPECT_FALSE(parse(3, {{"replication", "paxos"}}).has_value());
  EXPECT_FALSE(parse(3, {{"lease_ms", 300}}).has_value()) << "300 ms >= 400 * 0.8 / 1.2";
  EXPECT_TRUE(parse(3, {{"lease_ms", 266}}).has_value());
  EXPECT_FALSE(parse(3, {{"failure_timeout_ms", 100}}).has_value()) << "not above 2 heartbeats";
  EXPECT_FALSE(parse(3, {{"lease_ms", 40}}).has_value()) << "below one heartbeat";
  EXPECT_FALSE(parse(1, {{"replication", "semi-sync"}}).has_value());
  EXPECT_FALSE(parse_options(SystemConfig{.node_count = 3, .bug = std::string("pr.nope")}).has_value());
  EXPECT_EQ(acks_required(Replication::async, 5), 1);
  EXPECT_EQ(acks_required(Replication::semi_sync, 5), 2);
  EXPECT_EQ(acks_required(Replication::quorum, 5), 3);
  EXPECT_EQ(acks_required(Replication::sync, 5), 5);
}

bool claimed(const std::vector<ClaimSpec>& claims, const std::string& name) {
  for (const auto& claim : claims)
    if (claim.name == name) return claim.claimed;
  ADD_FAILURE() << "no claim " << name;
  return false;
}

TEST(PrClaims, EachConfigurationClaimsWhatItsModeKeeps) {
  auto claims = [](Json params, DataKind kind, std::string workload, int nodes = 3) {
    return claims_for(options_of(nodes, params).params, kind, workload, nodes);
  };
  const auto quorum = claims({{"replication", "quorum"}}, DataKind::registers, "register");
  EXPECT_TRUE(claimed(quorum, "linearizable"));
  EXPECT_TRUE(claimed(quorum, "liveness"));
  const auto async_auto = claims({{"replication", "async"}}, DataKind::sets, "set");
  EXPECT_FALSE(claimed(async_auto, "set-full"));
  EXPECT_TRUE(claimed(async_auto, "convergence"));
  for (const auto& claim : async_auto) {
    if (claim.name == "convergence") {
      EXPECT_EQ(claim.checker_options.at("require_acknowledged"), false);
    }
  }
  EXPECT_TRUE(claimed(claims({{"replication", "async"}, {"failover", "off"}}, DataKind::sets, "set"), "set-full"));
  EXPECT_TRUE(claimed(claims({{"replication", "sync"}}, DataKind::sets, "set"), "set-full"));
  EXPECT_TRUE(claimed(claims({{"replication", "semi-sync"}}, DataKind::sets, "set", 3), "set-full"));
  EXPECT_FALSE(claimed(claims({{"replication", "semi-sync"}}, DataKind::sets, "set", 5), "set-full"));
  const auto replica = claims({{"read_from", "replica"}}, DataKind::registers, "session");
  EXPECT_FALSE(claimed(replica, "session"));
  EXPECT_FALSE(claimed(replica, "no-stale-reads"));
  EXPECT_FALSE(claimed(replica, "linearizable"));
  const auto tokens = claims({{"read_from", "replica"}, {"session_tokens", "on"}}, DataKind::registers, "session");
  EXPECT_TRUE(claimed(tokens, "session"));
  EXPECT_FALSE(claimed(tokens, "no-stale-reads"));
  EXPECT_FALSE(claimed(claims({{"replication", "async"}, {"read_from", "replica"}, {"session_tokens", "on"}},
                              DataKind::registers, "session"),
                       "session"));
  EXPECT_TRUE(claimed(claims({{"read_from", "any"}, {"session_tokens", "on"}}, DataKind::lists, "append"), "session"));
  EXPECT_TRUE(claimed(claims({}, DataKind::counters, "counter"), "counter"));
}

// ---- codec ----

TEST(PrCodec, EveryMessageRoundTrips) {
  const std::vector<PrMessage> messages = {
      Append{.epoch = 2, .prev_index = 1, .prev_epoch = 1, .entries = {entry(2, 2, "v")}, .commit = 1, .round = 7},
      AppendReply{.epoch = 2, .success = true, .match_index = 2, .conflict_index = 0, .round = 7},
      VoteRequest{.epoch = 3, .last = {2, 9}, .pre = true, .forced = false},
      VoteReply{.epoch = 3, .granted = true, .pre = true},
      ReadIndexRequest{.epoch = 2, .id = 4},
      ReadIndexReply{.epoch = 2, .id = 4, .read_index = 9},
      ClientRequest{.client = 1, .seq = 2, .f = "cas", .key = "k", .value = Json::array({1, 2}), .local = true,
                    .token = {2, 3}},
      ClientReply{.seq = 2, .status = ReplyStatus::behind, .value = nullptr, .position = {2, 3}, .role = "replica",
                  .primary_hint = 0, .accepted = false},
      StepUp{},
  };
  Codec codec;
  for (const PrMessage& message : messages) {
    const MessagePtr original = make_message(message);
    auto decoded = codec.decode(original->to_json());
    ASSERT_TRUE(decoded.has_value()) << original->to_json().dump();
    EXPECT_EQ(decoded.value()->to_json(), original->to_json());
  }
  EXPECT_FALSE(codec.decode(Json{{"type", "gossip"}}).has_value());
}

// ---- the node, by hand ----

struct Hand {
  Hand(EndpointId self, int nodes, Json params = Json::object(), std::optional<std::string> bug = std::nullopt)
      : env(self, nodes),
        node(env, options_of(nodes, std::move(params), std::move(bug)), DataKind::registers, coverage) {
    node.start();
  }
  FakeEnv env;
  Coverage coverage;  // declared before the node, which keeps a reference to it
  PrNode node;
};

constexpr EndpointId kClient = 100;

ClientRequest write_request(int64_t seq, Json value) {
  return ClientRequest{.client = 42, .seq = seq, .f = "write", .key = "k", .value = std::move(value)};
}

TEST(PrNodeUnit, AFreshClusterStartsWithNodeZeroAsPrimaryOfEpochOne) {
  Hand primary(0, 3);
  EXPECT_EQ(primary.node.role(), Role::primary);
  EXPECT_EQ(primary.node.epoch(), 1);
  const auto appends = primary.env.take<Append>();
  ASSERT_EQ(appends.size(), 2u);
  ASSERT_EQ(appends[0].second.entries.size(), 1u);
  EXPECT_TRUE(appends[0].second.entries[0].noop);
  EXPECT_EQ(appends[0].second.entries[0].position(), (Position{1, 1}));
  Hand replica(1, 3);
  EXPECT_EQ(replica.node.role(), Role::replica);
  EXPECT_EQ(replica.node.epoch(), 1);
}

TEST(PrNodeUnit, ReplicasFenceOlderEpochsAndFollowNewerOnes) {
  Hand replica(1, 3);
  deliver(replica.node, 2, Append{.epoch = 3, .prev_index = 0, .prev_epoch = 0, .entries = {entry(3, 1)}, .commit = 0, .round = 1});
  auto replies = replica.env.take<AppendReply>();
  ASSERT_EQ(replies.size(), 1u);
  EXPECT_TRUE(replies[0].second.success);
  EXPECT_EQ(replica.node.epoch(), 3);
  EXPECT_EQ(replica.node.primary(), 2);
  deliver(replica.node, 0, Append{.epoch = 2, .prev_index = 1, .prev_epoch = 3, .entries = {entry(2, 2, "old")}, .commit = 2, .round = 9});
  replies = replica.env.take<AppendReply>();
  ASSERT_EQ(replies.size(), 1u);
  EXPECT_FALSE(replies[0].second.success);
  EXPECT_EQ(replies[0].second.epoch, 3) << "the old primary learns the newer epoch";
  EXPECT_EQ(replica.node.log().last_index(), 1);
}

TEST(PrNodeUnit, AReturningOldPrimaryTruncatesItsDivergentSuffix) {
  Hand replica(1, 3);
  deliver(replica.node, 0, Append{.epoch = 1, .prev_index = 0, .prev_epoch = 0,
                                  .entries = {entry(1, 1), entry(1, 2, "a"), entry(1, 3, "b")}, .commit = 1, .round = 1});
  ASSERT_EQ(replica.node.log().last_index(), 3);
  replica.env.take<AppendReply>();
  // The primary of epoch 2 kept only index 1 of epoch 1: a mismatch at its prev first.
  deliver(replica.node, 2, Append{.epoch = 2, .prev_index = 3, .prev_epoch = 2, .entries = {}, .commit = 1, .round = 1});
  auto replies = replica.env.take<AppendReply>();
  ASSERT_EQ(replies.size(), 1u);
  EXPECT_FALSE(replies[0].second.success);
  EXPECT_EQ(replies[0].second.conflict_index, 1) << "the start of the replica's epoch-1 run";
  deliver(replica.node, 2, Append{.epoch = 2, .prev_index = 1, .prev_epoch = 1,
                                  .entries = {entry(2, 2), entry(2, 3, "c")}, .commit = 3, .round = 2});
  replies = replica.env.take<AppendReply>();
  ASSERT_TRUE(replies[0].second.success);
  EXPECT_EQ(replica.node.log().last_position(), (Position{2, 3}));
  EXPECT_EQ(replica.node.applied_index(), 3);
  EXPECT_EQ(replica.node.store().read("k"), Json("c"));
  EXPECT_EQ(replica.node.synced_epoch(), 2);
}

TEST(PrNodeUnit, VotesCompareLastPositionsEpochFirstAndAreGivenOncePerEpoch) {
  Hand voter(1, 3);
  deliver(voter.node, 0, Append{.epoch = 2, .prev_index = 0, .prev_epoch = 0,
                                .entries = {entry(2, 1), entry(2, 2, "a"), entry(2, 3, "b")}, .commit = 3, .round = 1});
  voter.env.take<AppendReply>();
  voter.env.fire(voter.node, kSilence);  // the primary went quiet
  deliver(voter.node, 2, VoteRequest{.epoch = 5, .last = {1, 10}});
  auto replies = voter.env.take<VoteReply>();
  ASSERT_EQ(replies.size(), 1u);
  EXPECT_FALSE(replies[0].second.granted) << "a longer log of an older epoch is behind";
  deliver(voter.node, 2, VoteRequest{.epoch = 5, .last = {2, 3}});
  replies = voter.env.take<VoteReply>();
  EXPECT_TRUE(replies[0].second.granted);
  deliver(voter.node, 0, VoteRequest{.epoch = 5, .last = {3, 1}});
  replies = voter.env.take<VoteReply>();
  EXPECT_FALSE(replies[0].second.granted) << "one vote per epoch";
  // The vote is durable: a restarted voter still refuses another candidate in epoch 5.
  PrNode restarted(voter.env, options_of(3), DataKind::registers, voter.coverage);
  restarted.start();
  deliver(restarted, 0, VoteRequest{.epoch = 5, .last = {3, 1}});
  replies = voter.env.take<VoteReply>();
  ASSERT_EQ(replies.size(), 1u);
  EXPECT_FALSE(replies[0].second.granted);
  EXPECT_EQ(restarted.epoch(), 5);
}

TEST(PrNodeUnit, AReplicaHearingItsPrimaryIgnoresVotesUnlessAnOperatorForcesThem) {
  Hand voter(1, 3);
  deliver(voter.node, 0, Append{.epoch = 1, .prev_index = 0, .prev_epoch = 0, .entries = {entry(1, 1)}, .commit = 1, .round = 1});
  deliver(voter.node, 2, VoteRequest{.epoch = 2, .last = {1, 1}, .pre = true});
  deliver(voter.node, 2, VoteRequest{.epoch = 2, .last = {1, 1}});
  auto replies = voter.env.take<VoteReply>();
  ASSERT_EQ(replies.size(), 2u);
  EXPECT_FALSE(replies[0].second.granted);
  EXPECT_FALSE(replies[1].second.granted);
  EXPECT_EQ(voter.node.epoch(), 1) << "an unheeded request does not move the epoch";
  deliver(voter.node, 2, VoteRequest{.epoch = 2, .last = {1, 1}, .forced = true});
  replies = voter.env.take<VoteReply>();
  EXPECT_TRUE(replies[0].second.granted);
  EXPECT_EQ(voter.node.epoch(), 2);
}

TEST(PrNodeUnit, ASilentReplicaPreVotesThenCampaignsAndBecomesPrimary) {
  Hand replica(1, 3);
  replica.env.take<AppendReply>();
  replica.env.fire(replica.node, kSilence);
  replica.env.fire(replica.node, kCampaign);
  auto requests = replica.env.take<VoteRequest>();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_TRUE(requests[0].second.pre);
  EXPECT_EQ(requests[0].second.epoch, 2);
  EXPECT_EQ(replica.node.epoch(), 1) << "a pre-vote does not bump the epoch";
  deliver(replica.node, 2, VoteReply{.epoch = 2, .granted = true, .pre = true});
  requests = replica.env.take<VoteRequest>();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_FALSE(requests[0].second.pre);
  EXPECT_EQ(replica.node.role(), Role::candidate);
  EXPECT_EQ(replica.node.epoch(), 2);
  deliver(replica.node, 2, VoteReply{.epoch = 2, .granted = true});
  EXPECT_EQ(replica.node.role(), Role::primary);
  EXPECT_EQ(replica.node.log().last_position(), (Position{2, 1})) << "a no-op of the new epoch";
}

TEST(PrNodeUnit, ManualFailoverCampaignsOnlyOnTheOperatorsCommand) {
  Hand replica(1, 3, {{"failover", "manual"}});
  replica.env.fire(replica.node, kSilence);
  EXPECT_FALSE(replica.env.has_timer(kCampaign)) << "manual: silence alone starts nothing";
  deliver(replica.node, 2, VoteRequest{.epoch = 2, .last = {1, 1}, .pre = true});  // a stray pre-vote
  replica.env.take<VoteReply>();
  replica.node.on_message(2, make_message(PrMessage{StepUp{}}));
  EXPECT_FALSE(replica.env.has_timer(kStepUp)) << "only the operator may order a failover";
  replica.node.on_message(kOperatorEndpoint, make_message(PrMessage{StepUp{}}));
  replica.env.fire(replica.node, kStepUp);
  const auto requests = replica.env.take<VoteRequest>();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_TRUE(requests[0].second.forced);
  EXPECT_EQ(replica.node.epoch(), 2);
}

// Node 0 of 5 with a lease from nodes 1 and 2; a write, then acknowledgements one by one.
// Returns how many replica acknowledgements it took before the client heard ok.
int acknowledgements_before_ok(const std::string& replication) {
  Hand primary(0, 5, {{"replication", replication}});
  primary.env.take<Append>();
  for (EndpointId peer : {1, 2})
    deliver(primary.node, peer, AppendReply{.epoch = 1, .success = true, .match_index = 1, .round = 1});
  EXPECT_TRUE(primary.node.lease_valid());
  deliver(primary.node, kClient, write_request(1, "v"));
  for (int acks = 0; acks <= 4; ++acks) {
    for (const auto& [to, reply] : primary.env.take<ClientReply>()) {
      EXPECT_EQ(to, kClient);
      EXPECT_EQ(reply.status, ReplyStatus::ok);
      EXPECT_EQ(reply.position, (Position{1, 2}));
      return acks;
    }
    if (acks < 4)
      deliver(primary.node, acks + 1, AppendReply{.epoch = 1, .success = true, .match_index = 2, .round = 2});
  }
  return -1;
}

TEST(PrNodeUnit, EachReplicationModeAcknowledgesAfterItsCount) {
  EXPECT_EQ(acknowledgements_before_ok("async"), 0);
  EXPECT_EQ(acknowledgements_before_ok("semi-sync"), 1);
  EXPECT_EQ(acknowledgements_before_ok("quorum"), 2);
  EXPECT_EQ(acknowledgements_before_ok("sync"), 4);
}

TEST(PrNodeUnit, APrimaryStopsAcceptingWritesWhenItsLeaseRunsOut) {
  Hand primary(0, 3);
  deliver(primary.node, 1, AppendReply{.epoch = 1, .success = true, .match_index = 1, .round = 1});
  ASSERT_TRUE(primary.node.lease_valid());
  primary.env.fire(primary.node, kHeartbeat);  // round 2, unanswered
  primary.env.fire(primary.node, kLease);      // both ticks' lease periods pass
  EXPECT_FALSE(primary.node.lease_valid());
  primary.env.take<Append>();
  deliver(primary.node, kClient, write_request(1, "v"));
  auto replies = primary.env.take<ClientReply>();
  ASSERT_EQ(replies.size(), 1u);
  EXPECT_EQ(replies[0].second.status, ReplyStatus::not_primary);
  EXPECT_FALSE(replies[0].second.accepted);
  EXPECT_EQ(primary.node.log().last_index(), 1) << "refused, not logged";
  EXPECT_EQ(primary.node.role(), Role::primary) << "still primary: a majority may come back";
}

TEST(PrNodeUnit, APrimaryThatHearsANewerEpochStepsDownAndLeavesItsWritesInDoubt) {
  Hand primary(0, 3);
  deliver(primary.node, 1, AppendReply{.epoch = 1, .success = true, .match_index = 1, .round = 1});
  deliver(primary.node, kClient, write_request(1, "v"));
  primary.env.take<ClientReply>();
  deliver(primary.node, 2, AppendReply{.epoch = 4, .success = false, .round = 2});
  EXPECT_EQ(primary.node.role(), Role::replica);
  EXPECT_EQ(primary.node.epoch(), 4);
  auto replies = primary.env.take<ClientReply>();
  ASSERT_EQ(replies.size(), 1u);
  EXPECT_EQ(replies[0].second.status, ReplyStatus::not_primary);
  EXPECT_TRUE(replies[0].second.accepted) << "the write may still commit: the client reports info";
}

TEST(PrNodeUnit, AReplicaAnswersASessionReadOnlyOnceItHasAppliedTheToken) {
  Hand replica(1, 3, {{"read_from", "replica"}, {"session_tokens", "on"}});
  deliver(replica.node, 0, Append{.epoch = 1, .prev_index = 0, .prev_epoch = 0,
                                  .entries = {entry(1, 1), entry(1, 2, "a"), entry(1, 3, "b")}, .commit = 2, .round = 1});
  replica.env.take<AppendReply>();
  ClientRequest read{.client = 42, .seq = 1, .f = "read", .key = "k", .value = nullptr, .local = true, .token = {1, 3}};
  deliver(replica.node, kClient, read);
  auto replies = replica.env.take<ClientReply>();
  ASSERT_EQ(replies.size(), 1u);
  EXPECT_EQ(replies[0].second.status, ReplyStatus::behind);
  deliver(replica.node, 0, Append{.epoch = 1, .prev_index = 3, .prev_epoch = 1, .entries = {}, .commit = 3, .round = 2});
  deliver(replica.node, kClient, read);
  replies = replica.env.take<ClientReply>();
  ASSERT_EQ(replies.size(), 1u);
  EXPECT_EQ(replies[0].second.status, ReplyStatus::ok);
  EXPECT_EQ(replies[0].second.value, Json("b"));
  EXPECT_EQ(replies[0].second.position, (Position{1, 3}));
}

TEST(PrNodeUnit, APrimaryReadWaitsForItsEpochToCommitAndAMajorityRound) {
  Hand primary(0, 3);
  deliver(primary.node, kClient, ClientRequest{.client = 42, .seq = 1, .f = "read", .key = "k", .value = nullptr});
  EXPECT_TRUE(primary.env.take<ClientReply>().empty()) << "no entry of epoch 1 committed yet";
  deliver(primary.node, 1, AppendReply{.epoch = 1, .success = true, .match_index = 1, .round = 1});
  EXPECT_TRUE(primary.env.take<ClientReply>().empty()) << "the round sent after the read is not confirmed";
  deliver(primary.node, 1, AppendReply{.epoch = 1, .success = true, .match_index = 1, .round = 2});
  auto replies = primary.env.take<ClientReply>();
  ASSERT_EQ(replies.size(), 1u);
  EXPECT_EQ(replies[0].second.status, ReplyStatus::ok);
  EXPECT_EQ(replies[0].second.role, "primary");
}

// Links reorder: a refusal sent before a later success can arrive after it. The primary then
// counts only what the refusal says the replica holds, and resends from there.
TEST(PrNodeUnit, ARefusalOvertakenByALaterSuccessLowersTheMatchAndResends) {
  Hand primary(0, 3);
  deliver(primary.node, 1, AppendReply{.epoch = 1, .success = true, .match_index = 1, .round = 1});
  for (int64_t seq = 1; seq <= 3; ++seq) deliver(primary.node, kClient, write_request(seq, "v"));
  deliver(primary.node, 1, AppendReply{.epoch = 1, .success = true, .match_index = 4, .round = 2});
  EXPECT_EQ(primary.node.commit_index(), 4);
  primary.env.take<Append>();
  deliver(primary.node, 1, AppendReply{.epoch = 1, .success = false, .conflict_index = 2, .round = 1});
  const auto resent = primary.env.take<Append>();
  ASSERT_EQ(resent.size(), 1u);
  EXPECT_EQ(resent[0].first, 1);
  EXPECT_EQ(resent[0].second.prev_index, 1) << "resent from what the refusal says node 2 holds";
  EXPECT_EQ(primary.node.commit_index(), 4) << "the commit index never goes back";
}

// The client side of fencing: once a node answered in epoch 3, an answer from epoch 2 (a
// deposed primary) is ignored and the op moves to the next node with the same seq.
class FakeClientEnv final : public ClientEnv {
 public:
  EndpointId self() const override { return 10; }
  int node_count() const override { return 3; }
  void send(EndpointId to, MessagePtr message) override {
    const auto* body = message_body<PrMessage>(message);
    ASSERT_NE(body, nullptr);
    sent.emplace_back(to, std::get<ClientRequest>(*body));
  }
  TimerId set_timer(int64_t, uint64_t) override { return next_timer_++; }
  void cancel_timer(TimerId) override {}
  int64_t now_ns() const override { return 0; }
  int64_t monotonic_ns() const override { return 0; }
  Disk& disk() override { return disk_; }
  Rng& rng() override { return rng_; }
  void complete(Completion completion) override { completions.push_back(std::move(completion)); }

  std::vector<std::pair<EndpointId, ClientRequest>> sent;
  std::vector<Completion> completions;

 private:
  SimDisk disk_;
  Rng rng_{5};
  TimerId next_timer_ = 1;
};

TEST(PrClientUnit, AnswersFromAnOlderEpochThanOneSeenAreIgnored) {
  FakeClientEnv env;
  PrClient client(env, options_of(3));
  auto answer = [&](EndpointId from, int64_t epoch, Json value) {
    client.on_message(from, make_pr_message(ClientReply{.seq = env.sent.back().second.seq, .status = ReplyStatus::ok,
                                                        .value = std::move(value), .position = {epoch, 1},
                                                        .role = "primary", .epoch = epoch}));
  };
  client.invoke(ClientOp{.f = "read", .key = "k", .value = nullptr, .node = std::nullopt});
  answer(env.sent.back().first, 3, Json(1));
  ASSERT_EQ(env.completions.size(), 1u);
  client.invoke(ClientOp{.f = "write", .key = "k", .value = 2, .node = std::nullopt});
  const auto [old_primary, request] = env.sent.back();
  answer(old_primary, 2, Json(2));
  EXPECT_EQ(env.completions.size(), 1u) << "an answer from epoch 2 completed the op";
  ASSERT_EQ(env.sent.back().first, (old_primary + 1) % 3) << "the op moves to the next node";
  EXPECT_EQ(env.sent.back().second.seq, request.seq) << "with the same seq: deduplicated if it was applied";
  answer(env.sent.back().first, 3, Json(2));
  ASSERT_EQ(env.completions.size(), 2u);
  EXPECT_EQ(env.completions.back().type, OpType::ok);
}

}  // namespace
}  // namespace faultline::primary_replica::testing
