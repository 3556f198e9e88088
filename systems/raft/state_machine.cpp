#include "systems/raft/state_machine.h"

#include <algorithm>

#include "base/assert.h"

namespace faultline::raft {

ApplyResult KvStore::apply(const Command& command, bool dedup) {
  auto session = sessions_.find(command.client);
  if (dedup && session != sessions_.end() && session->second.seq >= command.seq) {
    // A retry of an applied command (or an older one): no effect (dissertation 6.3).
    if (session->second.seq == command.seq) return session->second.result;
    return ApplyResult{false, Json("stale request")};
  }
  ApplyResult result = execute(command);
  sessions_[command.client] = Session{command.seq, result};
  return result;
}

std::optional<ApplyResult> KvStore::cached(const Command& command) const {
  auto session = sessions_.find(command.client);
  if (session == sessions_.end() || session->second.seq != command.seq) return std::nullopt;
  return session->second.result;
}

ApplyResult KvStore::execute(const Command& command) {
  if (command.f == "write") {
    data_[command.key] = command.value;
    return {true, command.value};
  }
  if (command.f == "add") return add_to_set(command);
  FAULTLINE_ASSERT(command.f == "cas", "unknown command in the log");
  FAULTLINE_ASSERT(command.value.is_array() && command.value.size() == 2, "cas needs [old, new]");
  if (read(command.key) != command.value[0]) return {false, command.value};
  data_[command.key] = command.value[1];
  return {true, command.value};
}

// A set's add (the sharded store's `set` workload; the Raft store's clients send no adds):
// the key holds a sorted array of unique elements.
ApplyResult KvStore::add_to_set(const Command& command) {
  Json& set = data_[command.key];
  if (set.is_null()) set = Json::array();
  FAULTLINE_ASSERT(set.is_array(), "an add goes to a key that holds a set");
  auto at = std::lower_bound(set.begin(), set.end(), command.value);
  if (at == set.end() || *at != command.value) set.insert(at, command.value);
  return {true, command.value};
}

Json KvStore::read(const std::string& key) const {
  auto found = data_.find(key);
  return found == data_.end() ? Json(nullptr) : found->second;
}

Json KvStore::to_json() const {
  Json sessions = Json::array();
  for (const auto& [client, session] : sessions_)
    sessions.push_back({client, session.seq, session.result.ok, session.result.value});
  return Json{{"data", data_}, {"sessions", sessions}};
}

void KvStore::restore(const Json& state) {
  data_.clear();
  sessions_.clear();
  if (state.is_null()) return;
  data_ = state.at("data").get<std::map<std::string, Json>>();
  for (const Json& row : state.at("sessions"))
    sessions_[row[0].get<uint64_t>()] = Session{row[1].get<int64_t>(), ApplyResult{row[2].get<bool>(), row[3]}};
}

}  // namespace faultline::raft
