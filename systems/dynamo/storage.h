#pragma once
// A node's durable state: its replicas of keys, the hints it keeps for other owners, its
// actor epoch, its LWW timestamp floor, its view of the ring, queued membership commands and
// client request ids. Every change is appended to one log file and fsynced before the node
// acts on it (acknowledges, sends, deletes elsewhere); when the log grows past a bound it is
// rewritten as one snapshot. A change is a whole event, so a crash never tears one (the
// simulator crashes between events), and a torn last line is skipped anyway.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "framework/disk.h"
#include "systems/dynamo/key_state.h"

namespace faultline::dynamo {

using HintKey = std::pair<int, std::string>;  // (owner the hint is for, key)

// What a node that first handled a client's update remembers of it (the client retries the
// same request id): the node it forwarded the update to, and whether it applied it itself.
struct RequestRecord {
  uint64_t request = 0;
  int target = -1;      // the owner it went to (this node when it coordinates)
  bool applied = false;  // this node applied it as the coordinating owner
};

class Storage {
 public:
  explicit Storage(Disk& disk) : disk_(disk) {}

  void load();  // reads everything that survived

  const std::map<std::string, KeyState>& data() const { return data_; }
  // state_digest of each key's state, kept as the state changes: anti-entropy and the
  // invariant checker compare digests after every event, and hashing a state's JSON each
  // time dominated a run.
  const std::map<std::string, uint64_t>& digests() const { return digests_; }
  const std::map<HintKey, KeyState>& hints() const { return hints_; }
  std::optional<KeyState> key(const std::string& key) const;
  std::optional<KeyState> hint(const HintKey& hint) const;
  uint32_t epoch() const { return epoch_; }
  int64_t timestamp_floor() const { return timestamp_floor_; }
  const Json& ring() const { return ring_; }
  const std::vector<std::string>& member_commands() const { return member_commands_; }
  std::optional<RequestRecord> request(uint64_t client) const;
  // Changes appended since this Storage was built: lets the invariant checker skip a node
  // whose durable state did not move.
  uint64_t changes() const { return changes_; }

  void put_key(const std::string& key, const KeyState& state);
  void erase_key(const std::string& key);
  void put_hint(const HintKey& hint, const KeyState& state);
  void erase_hint(const HintKey& hint);
  void set_epoch(uint32_t epoch);
  void raise_timestamp_floor(int64_t floor);
  void set_ring(const Json& ring);
  void set_member_commands(std::vector<std::string> commands);
  void put_request(uint64_t client, const RequestRecord& record);

 private:
  void append(const Json& record);
  void apply(const Json& record);
  void compact();
  Json snapshot() const;

  Disk& disk_;
  size_t log_bytes_ = 0;
  uint64_t changes_ = 0;
  size_t compact_at_bytes_ = 0;
  std::map<std::string, KeyState> data_;
  std::map<std::string, uint64_t> digests_;  // same keys as data_
  std::map<HintKey, KeyState> hints_;
  uint32_t epoch_ = 0;
  int64_t timestamp_floor_ = 0;
  Json ring_;
  std::vector<std::string> member_commands_;
  std::map<uint64_t, RequestRecord> requests_;
};

}  // namespace faultline::dynamo
