#pragma once
// kv-primary's wire messages. Each is a plain struct that names itself (kType) and lists its
// fields once; faultline's variant codec sends a KvpMessage as {"type": kType, ...fields}.
#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "framework/message.h"

namespace kvp {

using faultline::EndpointId;
using faultline::Json;

// A client's read, write or cas ([expected, new]). `id` numbers the client's requests, so a
// retried or duplicated update is applied at most once.
struct Request {
  static constexpr const char* kType = "request";
  uint64_t id = 0;
  std::string f;
  std::string key;
  Json value;
  NLOHMANN_DEFINE_TYPE_INTRUSIVE(Request, id, f, key, value)
};

struct Reply {
  static constexpr const char* kType = "reply";
  uint64_t id = 0;
  bool applied = true;  // false: a cas whose expected value did not match (no effect)
  Json value;           // a read's result
  std::string error;    // why a request was refused (no effect); empty when none
  NLOHMANN_DEFINE_TYPE_INTRUSIVE(Reply, id, applied, value, error)
};

// The primary's decision on one update request: a line of every node's log, and what the
// primary ships to its backups. Update number `seq` is the log's seq-th line.
struct Update {
  EndpointId client = 0;
  uint64_t request = 0;  // the client's Request::id
  bool applied = true;   // false: a cas that compared and did nothing
  std::string key;
  Json value;  // the key's new value when applied
  bool operator==(const Update&) const = default;
  NLOHMANN_DEFINE_TYPE_INTRUSIVE(Update, client, request, applied, key, value)
};

// Updates first_seq, first_seq+1, ... of the primary's log.
struct Replicate {
  static constexpr const char* kType = "replicate";
  uint64_t first_seq = 1;
  std::vector<Update> updates;
  NLOHMANN_DEFINE_TYPE_INTRUSIVE(Replicate, first_seq, updates)
};

// A backup holds (durably) the primary's first `held` updates.
struct Ack {
  static constexpr const char* kType = "ack";
  uint64_t held = 0;
  NLOHMANN_DEFINE_TYPE_INTRUSIVE(Ack, held)
};

using KvpMessage = std::variant<Request, Reply, Replicate, Ack>;

}  // namespace kvp
