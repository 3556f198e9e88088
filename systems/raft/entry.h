#pragma once
// A log entry (paper 5.3): the term it was created in, its index, and the command. A no-op
// is what a new leader appends to commit an entry of its own term (paper 8, dissertation
// 6.4). `chain` is a hash over this entry and every entry before it, computed locally by
// each node; two logs agree up to an index iff their chains there are equal, which is what
// the invariant checker compares (log matching, state-machine safety).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/json.h"

namespace faultline::raft {

// A client command; (client, seq) is its session identity (dissertation 6.3).
struct Command {
  uint64_t client = 0;
  int64_t seq = 0;
  std::string f;  // "write" or "cas"
  std::string key;
  Json value;
  bool operator==(const Command&) const = default;
};

struct Entry {
  int64_t term = 0;
  int64_t index = 0;
  bool noop = true;
  Command command;
  uint64_t chain = 0;  // not sent, not stored: recomputed from the local prefix
};

void to_json(Json& json, const Command& command);
void from_json(const Json& json, Command& command);
// JSON without the chain.
void to_json(Json& json, const Entry& entry);
void from_json(const Json& json, Entry& entry);

// The JSON text of to_json(entry), built directly (the storage hot path).
std::string encode_entry(const Entry& entry);

// The entry encode_entry wrote as `text`; nullopt for other text (a string with escapes:
// the caller parses it as JSON).
std::optional<Entry> decode_entry(std::string_view text);

// The chain hash of `entry` given the chain of the entry before it.
uint64_t chain_hash(uint64_t previous_chain, const Entry& entry);

}  // namespace faultline::raft
