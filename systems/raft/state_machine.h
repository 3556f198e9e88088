#pragma once
// What a Raft group replicates (section 2's replicated state machine), and the Raft store's
// own: a key-value map with write and cas per key, applied in log order, with client
// sessions (dissertation 6.3): the last (seq, result) of every client, so a retried command
// is answered from the session instead of being applied twice.
#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "systems/raft/entry.h"

namespace faultline::raft {

struct ApplyResult {
  bool ok = false;  // false: a cas whose expected value did not match (no effect)
  Json value;
  // Set by a sharded store's group for a key whose shard it does not serve: its
  // configuration number (the command had no effect). KvStore serves every key.
  std::optional<int64_t> wrong_group;
};

// The node applies committed commands in log order, answers reads from what it applied, and
// snapshots and restores the whole state (section 7). Another store built on the Raft node
// (issue 13's shard groups and controller) brings its own.
class StateMachine {
 public:
  virtual ~StateMachine() = default;
  // Applies a committed command. With `dedup`, a command whose (client, seq) was already
  // applied returns the recorded result and changes nothing.
  virtual ApplyResult apply(const Command& command, bool dedup) = 0;
  // The session's answer if this command (its client and seq) was already applied.
  virtual std::optional<ApplyResult> cached(const Command& command) const = 0;
  // A read of `key` from the applied state.
  virtual ApplyResult query(const std::string& key) const = 0;
  virtual Json to_json() const = 0;
  // Replaces the whole state with a snapshot's (null: the empty state).
  virtual void restore(const Json& state) = 0;
};

class KvStore final : public StateMachine {
 public:
  ApplyResult apply(const Command& command, bool dedup) override;
  std::optional<ApplyResult> cached(const Command& command) const override;
  ApplyResult query(const std::string& key) const override { return {.ok = true, .value = read(key)}; }
  Json read(const std::string& key) const;

  Json to_json() const override;
  void restore(const Json& state) override;

 private:
  struct Session {
    int64_t seq = 0;
    ApplyResult result;
  };
  ApplyResult execute(const Command& command);
  ApplyResult add_to_set(const Command& command);

  std::map<std::string, Json> data_;
  std::map<uint64_t, Session> sessions_;
};

}  // namespace faultline::raft
