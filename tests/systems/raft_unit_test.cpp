// Unit tests of the Raft store's parts: the log, durable storage and its recovery after
// power losses (including torn writes), the state machine's sessions, the codec, and the
// client's outcomes.
#include <limits>

#include <gtest/gtest.h>

#include "framework/sim_disk.h"
#include "systems/raft/log.h"
#include "systems/raft/messages.h"
#include "systems/raft/state_machine.h"
#include "systems/raft/storage.h"

namespace faultline::raft {
namespace {

Entry command_entry(int64_t term, int64_t index, int value) {
  return Entry{term, index, false, Command{7, index, "write", "k", value}, 0};
}

std::vector<Entry> entries(int64_t from, int64_t to, int64_t term) {
  std::vector<Entry> out;
  for (int64_t i = from; i <= to; ++i) out.push_back(command_entry(term, i, static_cast<int>(i)));
  return out;
}

TEST(RaftLog, TermsChainsAndFastBackupHelpers) {
  RaftLog log;
  for (const auto& e : entries(1, 3, 1)) log.append(e);
  for (const auto& e : entries(4, 6, 3)) log.append(e);
  EXPECT_EQ(log.last_index(), 6);
  EXPECT_EQ(log.last_term(), 3);
  EXPECT_EQ(log.term_at(0), 0);
  EXPECT_EQ(log.term_at(7), std::nullopt);
  EXPECT_EQ(log.first_index_of_term_run(6), 4);
  EXPECT_EQ(log.last_index_of_term(1), 3);
  EXPECT_EQ(log.last_index_of_term(2), std::nullopt);
  // Same prefix, same chain; a different entry changes every later chain.
  RaftLog other;
  for (const auto& e : entries(1, 3, 1)) other.append(e);
  EXPECT_EQ(other.chain_at(3), log.chain_at(3));
  other.append(command_entry(3, 4, 99));
  EXPECT_NE(other.chain_at(4), log.chain_at(4));
  // Compaction keeps the suffix and its chains.
  const auto chain5 = log.chain_at(5);
  log.compact(4);
  EXPECT_EQ(log.base_index(), 4);
  EXPECT_EQ(log.base_term(), 3);
  EXPECT_EQ(log.chain_at(5), chain5);
  log.truncate_from(6);
  EXPECT_EQ(log.last_index(), 5);
}

TEST(RaftStorage, RecoversHardStateLogAndSnapshot) {
  SimDisk disk;
  {
    Storage storage(disk);
    storage.load();
    storage.save_hard_state({3, 1}, true);
    storage.append(entries(1, 5, 2), true);
    storage.truncate_from(4, true);
    storage.append(entries(4, 6, 3), true);
  }
  Storage storage(disk);
  Recovered r = storage.load();
  EXPECT_EQ(r.hard.term, 3);
  EXPECT_EQ(r.hard.vote, 1);
  ASSERT_EQ(r.entries.size(), 6u);
  EXPECT_EQ(r.entries[3].term, 3);
  // A snapshot at 5 keeps entry 6 in a new log file.
  storage.save_snapshot({5, 3, 42, Json{{"data", Json::object()}, {"sessions", Json::array()}}}, entries(6, 6, 3));
  storage.append(entries(7, 7, 3), true);
  Storage again(disk);
  Recovered r2 = again.load();
  EXPECT_EQ(r2.snapshot.index, 5);
  EXPECT_EQ(r2.snapshot.chain, 42u);
  ASSERT_EQ(r2.entries.size(), 2u);
  EXPECT_EQ(r2.entries[0].index, 6);
  EXPECT_EQ(r2.entries[1].index, 7);
}

// Power loss: unsynced appends vanish, a torn tail is cut off, and appends after recovery
// follow the valid data.
TEST(RaftStorage, PowerLossDropsUnsyncedAndTornTail) {
  for (uint64_t seed = 1; seed <= 50; ++seed) {
    SimDisk disk;
    Storage storage(disk);
    storage.load();
    storage.append(entries(1, 3, 1), true);
    storage.append(entries(4, 9, 1), false);
    storage.save_hard_state({5, 2}, false);
    Rng rng(seed);
    disk.on_power_loss(rng, /*torn_writes=*/true);
    Storage after(disk);
    Recovered r = after.load();
    ASSERT_GE(r.entries.size(), 3u) << "synced entries lost";
    ASSERT_LE(r.entries.size(), 9u);
    for (size_t k = 0; k < r.entries.size(); ++k) EXPECT_EQ(r.entries[k].index, static_cast<int64_t>(k + 1));
    EXPECT_TRUE(r.hard.term == 0 || r.hard.term == 5);  // unsynced: lost or kept whole
    const auto n = static_cast<int64_t>(r.entries.size());
    after.append(entries(n + 1, n + 2, 2), true);
    Storage third(disk);
    Recovered r3 = third.load();
    ASSERT_EQ(r3.entries.size(), r.entries.size() + 2);
    EXPECT_EQ(r3.entries.back().term, 2);
  }
}

// An interrupted snapshot (the snapshot is durable but the new log file is not) falls
// back to the previous log file, which still holds everything.
TEST(RaftStorage, InterruptedLogRewriteFallsBackToPreviousFile) {
  SimDisk disk;
  Storage storage(disk);
  storage.load();
  storage.append(entries(1, 8, 1), true);
  const std::string previous_log(disk.read("log.0"));
  storage.save_snapshot({4, 1, 9, Json()}, entries(5, 8, 1));
  // Simulate the crash between the snapshot's fsync and the new log file's: empty the
  // new file (slot 1) as a lost overwrite would have left it, and the previous file as it
  // was (it is emptied only after the new one is durable).
  disk.overwrite("log.1", "");
  disk.fsync("log.1");
  disk.overwrite("log.0", previous_log);
  disk.fsync("log.0");
  Storage after(disk);
  Recovered r = after.load();
  EXPECT_EQ(r.snapshot.index, 4);
  ASSERT_EQ(r.entries.size(), 4u);
  EXPECT_EQ(r.entries.front().index, 5);
  EXPECT_EQ(r.entries.back().index, 8);
}

// Found by the default campaign (raft seed 51075, the correct build): a follower took a
// snapshot at 10, so its new log file copied 11..13; a new leader's entry at 11 conflicted,
// the follower truncated 11..13, appended the new 11 and acknowledged it; killed, it
// recovered the previous log file instead (the new one held fewer entries than its header
// said, which looked like an interrupted rewrite), and the acknowledged entry was gone.
TEST(RaftStorage, TruncatingCopiedEntriesSurvivesARestart) {
  SimDisk disk;
  Storage storage(disk);
  storage.load();
  storage.append(entries(1, 13, 6), true);
  storage.save_snapshot({10, 6, 9, Json()}, entries(11, 13, 6));
  storage.truncate_from(11, true);
  storage.append(entries(11, 11, 7), true);
  Storage after(disk);
  Recovered r = after.load();
  EXPECT_EQ(r.snapshot.index, 10);
  ASSERT_EQ(r.entries.size(), 1u);
  EXPECT_EQ(r.entries.front().index, 11);
  EXPECT_EQ(r.entries.front().term, 7);
}

TEST(RaftStorage, CorruptRecordsAreRejected) {
  const std::string line = frame_record(Json{{"a", 1}});
  EXPECT_TRUE(parse_record(std::string_view(line).substr(0, line.size() - 1)));
  std::string bad = line;
  bad[20] = 'x';
  EXPECT_FALSE(parse_record(std::string_view(bad).substr(0, bad.size() - 1)));
  EXPECT_FALSE(parse_record("short"));
}

TEST(RaftKv, SessionsApplyARetryOnce) {
  KvStore kv;
  const Command cas{1, 1, "cas", "k", Json::array({nullptr, 5})};
  EXPECT_TRUE(kv.apply(cas, true).ok);
  EXPECT_TRUE(kv.apply(cas, true).ok) << "a retry gets the recorded answer";
  EXPECT_EQ(kv.read("k"), Json(5));
  EXPECT_FALSE(kv.apply(Command{1, 2, "cas", "k", Json::array({0, 6})}, true).ok);
  // Without sessions the retry runs again and fails: the planted no-client-dedup bug.
  KvStore plain;
  EXPECT_TRUE(plain.apply(cas, false).ok);
  EXPECT_FALSE(plain.apply(cas, false).ok);
  // Sessions survive a snapshot.
  KvStore copy;
  copy.restore(kv.to_json());
  EXPECT_TRUE(copy.cached(Command{.client = 1, .seq = 2}).has_value());
  EXPECT_EQ(copy.read("k"), Json(5));
}

TEST(RaftMessages, EveryKindRoundTrips) {
  const std::vector<RaftMessage> messages = {
      {VoteRequest{3, 10, 2, true}},
      {VoteResponse{3, true, false}},
      {AppendRequest{4, 5, 3, entries(6, 7, 4), 5, 9}},
      {AppendResponse{4, false, 0, 3, 2, 9}},
      {SnapshotRequest{4, 100, 3, 77, std::make_shared<const Json>(Json{{"data", {{"k", 1}}}}), 2}},
      {ReadIndexRequest{4, 8}},
      {ReadIndexReply{4, 8, 120}},
      {ClientRequest{1ull << 40, 3, "cas", "k", Json::array({1, 2})}},
      {ClientRequest{.client = 7, .seq = 2, .f = "write", .key = "k", .value = 3, .proxy = true, .reply_to = 9}},
      {ClientReply{3, ReplyStatus::not_leader, nullptr, 2, true}},
  };
  Codec codec;
  for (const auto& message : messages) {
    const Json json = message;
    auto decoded = codec.decode(json);
    ASSERT_TRUE(decoded) << json.dump();
    EXPECT_EQ(decoded.value()->to_json(), json);
  }
  EXPECT_FALSE(codec.decode(Json{{"type", "nope"}}));
}

}  // namespace
}  // namespace faultline::raft

namespace faultline::raft {
namespace {

Entry command_entry(std::string f, std::string key, Json value) {
  return Entry{.term = 4, .index = 10, .noop = false,
               .command = Command{.client = 1ull << 40, .seq = 3, .f = std::move(f), .key = std::move(key), .value = std::move(value)}};
}

// The storage hot path writes and reads entries without building Json: the text must be
// what Json would write, and reading it back must give what Json::parse would.
TEST(RaftEntry, DirectEncodingAndDecodingEqualJson) {
  const std::vector<Entry> entries = {
      Entry{.term = 4, .index = 9},
      command_entry("cas", "k\"1", Json::array({1, nullptr})),
      command_entry("write", "k", 7),
      command_entry("write", "k", -7),
      command_entry("write", "k", std::numeric_limits<uint64_t>::max()),
      command_entry("write", "k", 2.5),
      command_entry("write", "k\\", "a \"quoted\" value"),
      command_entry("write", "\xc3\xa9t\xc3\xa9", nullptr),
      command_entry("cas", "k", Json{{"from", 1}, {"to", "},\"i\":3"}}),
  };
  for (const Entry& e : entries) {
    const std::string text = encode_entry(e);
    EXPECT_EQ(text, Json(e).dump());
    const Entry parsed = Json::parse(text).get<Entry>();
    EXPECT_EQ(parsed.command, e.command);
    EXPECT_EQ(chain_hash(5, parsed), chain_hash(5, e));
    if (auto decoded = decode_entry(text)) {  // nullopt only for strings with escapes
      EXPECT_EQ(decoded->command, parsed.command) << text;
      EXPECT_EQ(decoded->command.value.type(), parsed.command.value.type()) << text;
      EXPECT_EQ(decoded->noop, parsed.noop) << text;
      EXPECT_EQ(std::pair(decoded->index, decoded->term), std::pair(parsed.index, parsed.term)) << text;
    } else {
      EXPECT_NE(text.find('\\'), std::string::npos) << text;
    }
  }
  for (const char* torn : {"", "{", "{\"i\":3", "{\"i\":3,\"t\":4", "{\"i\":3,\"t\":4}x", "{\"c\":{\"client\":1},\"i\":3,\"t\":4}"})
    EXPECT_FALSE(decode_entry(torn)) << torn;
}

}  // namespace
}  // namespace faultline::raft
