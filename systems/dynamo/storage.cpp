#include "systems/dynamo/storage.h"

#include "base/assert.h"

namespace faultline::dynamo {

namespace {

constexpr const char* kLogFile = "dynamo.log";
constexpr size_t kCompactBytes = 256 * 1024;

KeyState decoded(const Json& json) {
  auto state = state_from_json(json);
  FAULTLINE_ASSERT(state.has_value(), "the log holds only states this node encoded");
  return std::move(state).value();
}

}  // namespace

void Storage::load() {
  const std::string_view log = disk_.read(kLogFile);
  log_bytes_ = log.size();
  compact_at_bytes_ = kCompactBytes + log_bytes_;
  for (size_t begin = 0; begin < log.size();) {
    const size_t end = log.find('\n', begin);
    if (end == std::string_view::npos) break;  // a torn last line was never acted on
    const Json record = Json::parse(log.substr(begin, end - begin), nullptr, false);
    if (!record.is_discarded()) apply(record);
    begin = end + 1;
  }
}

std::optional<KeyState> Storage::key(const std::string& key) const {
  auto it = data_.find(key);
  return it == data_.end() ? std::nullopt : std::optional<KeyState>(it->second);
}

std::optional<KeyState> Storage::hint(const HintKey& hint) const {
  auto it = hints_.find(hint);
  return it == hints_.end() ? std::nullopt : std::optional<KeyState>(it->second);
}

std::optional<RequestRecord> Storage::request(uint64_t client) const {
  auto it = requests_.find(client);
  return it == requests_.end() ? std::nullopt : std::optional<RequestRecord>(it->second);
}

void Storage::put_key(const std::string& key, const KeyState& state) {
  append({{"key", key}, {"state", state_to_json(state)}});
}

void Storage::erase_key(const std::string& key) { append({{"key", key}, {"erase", true}}); }

void Storage::put_hint(const HintKey& hint, const KeyState& state) {
  append({{"hint", {hint.first, hint.second}}, {"state", state_to_json(state)}});
}

void Storage::erase_hint(const HintKey& hint) { append({{"hint", {hint.first, hint.second}}, {"erase", true}}); }

void Storage::set_epoch(uint32_t epoch) { append({{"epoch", epoch}}); }

void Storage::raise_timestamp_floor(int64_t floor) {
  if (floor > timestamp_floor_) append({{"floor", floor}});
}

void Storage::set_ring(const Json& ring) { append({{"ring", ring}}); }

void Storage::set_member_commands(std::vector<std::string> commands) { append({{"commands", commands}}); }

void Storage::put_request(uint64_t client, const RequestRecord& record) {
  append({{"client", client}, {"request", record.request}, {"target", record.target}, {"applied", record.applied}});
}

// Durable before the caller acts on it (a replica acknowledges only what it fsynced).
void Storage::append(const Json& record) {
  apply(record);
  ++changes_;
  const std::string line = record.dump() + "\n";
  disk_.append(kLogFile, line);
  disk_.fsync(kLogFile);
  log_bytes_ += line.size();
  if (log_bytes_ > compact_at_bytes_) compact();
}

void Storage::apply(const Json& record) {
  if (record.contains("snapshot")) {
    data_.clear();
    digests_.clear();
    hints_.clear();
    requests_.clear();
    for (const Json& inner : record.at("snapshot")) apply(inner);
  } else if (record.contains("key")) {
    const std::string key = record.at("key").get<std::string>();
    if (record.contains("erase")) {
      data_.erase(key);
      digests_.erase(key);
    } else {
      const KeyState& state = data_[key] = decoded(record.at("state"));
      digests_[key] = state_digest(state);
    }
  } else if (record.contains("hint")) {
    const HintKey hint{record.at("hint").at(0).get<int>(), record.at("hint").at(1).get<std::string>()};
    record.contains("erase") ? void(hints_.erase(hint)) : void(hints_[hint] = decoded(record.at("state")));
  } else if (record.contains("epoch")) {
    epoch_ = record.at("epoch").get<uint32_t>();
  } else if (record.contains("floor")) {
    timestamp_floor_ = std::max(timestamp_floor_, record.at("floor").get<int64_t>());
  } else if (record.contains("ring")) {
    ring_ = record.at("ring");
  } else if (record.contains("commands")) {
    member_commands_ = record.at("commands").get<std::vector<std::string>>();
  } else if (record.contains("client")) {
    requests_[record.at("client").get<uint64_t>()] =
        RequestRecord{.request = record.at("request").get<uint64_t>(), .target = record.at("target").get<int>(),
                      .applied = record.at("applied").get<bool>()};
  }
}

Json Storage::snapshot() const {
  Json records = Json::array();
  for (const auto& [key, state] : data_) records.push_back({{"key", key}, {"state", state_to_json(state)}});
  for (const auto& [hint, state] : hints_)
    records.push_back({{"hint", {hint.first, hint.second}}, {"state", state_to_json(state)}});
  records.push_back({{"epoch", epoch_}});
  records.push_back({{"floor", timestamp_floor_}});
  if (!ring_.is_null()) records.push_back({{"ring", ring_}});
  records.push_back({{"commands", member_commands_}});
  for (const auto& [client, record] : requests_)
    records.push_back(
        {{"client", client}, {"request", record.request}, {"target", record.target}, {"applied", record.applied}});
  return {{"snapshot", records}};
}

// The whole state as one line, written over the log in a single event: a crash sees either
// the old log or the snapshot, never a mix.
void Storage::compact() {
  const std::string line = snapshot().dump() + "\n";
  disk_.overwrite(kLogFile, line);
  disk_.fsync(kLogFile);
  log_bytes_ = line.size();
  compact_at_bytes_ = kCompactBytes + 2 * line.size();  // a large state is not rewritten every append
}

}  // namespace faultline::dynamo
