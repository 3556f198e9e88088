#pragma once
// The replicated key-value state machine: write and cas per key, applied in log order, with
// client sessions (dissertation 6.3): the last (seq, result) of every client, so a retried
// command is answered from the session instead of being applied twice.
#include <cstdint>
#include <map>
#include <string>

#include "systems/raft/entry.h"

namespace faultline::raft {

struct ApplyResult {
  bool ok = false;  // false: a cas whose expected value did not match (no effect)
  Json value;
};

class KvStore {
 public:
  // Applies a committed command. With `dedup`, a command whose (client, seq) was already
  // applied returns the recorded result and changes nothing.
  ApplyResult apply(const Command& command, bool dedup);
  // The session's answer for (client, seq) if that command was already applied.
  std::optional<ApplyResult> cached(uint64_t client, int64_t seq) const;
  Json read(const std::string& key) const;

  Json to_json() const;
  static KvStore from_json(const Json& json);

 private:
  struct Session {
    int64_t seq = 0;
    ApplyResult result;
  };
  ApplyResult execute(const Command& command);

  std::map<std::string, Json> data_;
  std::map<uint64_t, Session> sessions_;
};

}  // namespace faultline::raft
