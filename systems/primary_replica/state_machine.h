#pragma once
// The replicated data: one value per key, of the kind the workload needs (registers, sets,
// counters or lists), updated by committed log entries in log order. Client sessions make
// updates at-most-once: the last (seq, result) of every client is kept, so a retried update
// that reached the log twice changes the data once (Raft dissertation 6.3; the same rule
// MongoDB's retryable writes follow).
#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "base/result.h"
#include "systems/primary_replica/log.h"

namespace faultline::primary_replica {

enum class DataKind { registers, sets, counters, lists };

// The data kind a workload's ops need; an unknown workload is an error.
Result<DataKind> data_kind_of(const std::string& workload);

struct ApplyResult {
  bool ok = true;  // false: a cas whose expected value did not match (no effect)
  Json value;
};

class Store {
 public:
  explicit Store(DataKind kind) : kind_(kind) {}

  // Whether an update (f, value) is one this kind of data takes, with a well-formed value.
  bool accepts(const std::string& f, const Json& value) const;
  ApplyResult apply(const Command& command);
  // The recorded answer of (client, seq) if that update was already applied.
  std::optional<ApplyResult> cached(uint64_t client, int64_t seq) const;
  Json read(const std::string& key) const;  // a key never written reads as its kind's empty value

 private:
  struct Session {
    int64_t seq = 0;
    ApplyResult result;
  };
  ApplyResult execute(const Command& command);

  DataKind kind_;
  std::map<std::string, Json> data_;
  std::map<uint64_t, Session> sessions_;
};

}  // namespace faultline::primary_replica
