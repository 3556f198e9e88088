#include "systems/primary_replica/state_machine.h"

#include <algorithm>

#include "base/assert.h"

namespace faultline::primary_replica {

Result<DataKind> data_kind_of(const std::string& workload) {
  if (workload == "register" || workload == "session") return DataKind::registers;
  if (workload == "set") return DataKind::sets;
  if (workload == "counter") return DataKind::counters;
  if (workload == "append") return DataKind::lists;
  return fail("--workload: system \"primary-replica\" does not speak workload \"" + workload + "\"");
}

bool Store::accepts(const std::string& f, const Json& value) const {
  switch (kind_) {
    case DataKind::registers: return f == "write" || (f == "cas" && value.is_array() && value.size() == 2);
    case DataKind::sets: return f == "add";
    case DataKind::counters: return (f == "add" || f == "decrement") && value.is_number_integer();
    case DataKind::lists: return f == "append";
  }
  return false;
}

ApplyResult Store::apply(const Command& command) {
  auto session = sessions_.find(command.client);
  if (session != sessions_.end() && session->second.seq >= command.seq) {
    // A retry of an applied update (or an older one, duplicated on the way): no effect.
    if (session->second.seq == command.seq) return session->second.result;
    return ApplyResult{.ok = false, .value = Json("stale request")};
  }
  ApplyResult result = execute(command);
  sessions_[command.client] = Session{.seq = command.seq, .result = result};
  return result;
}

std::optional<ApplyResult> Store::cached(uint64_t client, int64_t seq) const {
  auto session = sessions_.find(client);
  if (session == sessions_.end() || session->second.seq != seq) return std::nullopt;
  return session->second.result;
}

// The primary checked accepts() before logging the command, so the log holds only updates
// of this data kind with well-formed values.
ApplyResult Store::execute(const Command& command) {
  FAULTLINE_ASSERT(accepts(command.f, command.value), "an update of another data kind reached the log");
  Json value = read(command.key);
  if (command.f == "write") {
    value = command.value;
  } else if (command.f == "cas") {
    if (value != command.value[0]) return ApplyResult{.ok = false, .value = command.value};
    value = command.value[1];
  } else if (command.f == "add" && kind_ == DataKind::sets) {
    auto at = std::lower_bound(value.begin(), value.end(), command.value);
    if (at == value.end() || *at != command.value) value.insert(at, command.value);
  } else if (command.f == "append") {
    value.push_back(command.value);
  } else {  // a counter's add or decrement
    const int64_t sign = command.f == "add" ? 1 : -1;
    value = value.get<int64_t>() + sign * command.value.get<int64_t>();
  }
  data_[command.key] = value;
  return ApplyResult{.ok = true, .value = command.value};
}

Json Store::read(const std::string& key) const {
  auto found = data_.find(key);
  if (found != data_.end()) return found->second;
  switch (kind_) {
    case DataKind::registers: return Json();
    case DataKind::sets:
    case DataKind::lists: return Json::array();
    case DataKind::counters: return 0;
  }
  return Json();
}

}  // namespace faultline::primary_replica
