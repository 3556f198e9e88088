#include "systems/raft/entry.h"

#include "framework/random.h"

namespace faultline::raft {

void to_json(Json& json, const Command& command) {
  json = Json{{"client", command.client}, {"seq", command.seq}, {"f", command.f},
              {"key", command.key}, {"value", command.value}};
}

void from_json(const Json& json, Command& command) {
  command.client = json.at("client").get<uint64_t>();
  command.seq = json.at("seq").get<int64_t>();
  command.f = json.at("f").get<std::string>();
  command.key = json.at("key").get<std::string>();
  command.value = json.at("value");
}

void to_json(Json& json, const Entry& entry) {
  json = Json{{"t", entry.term}, {"i", entry.index}};
  if (!entry.noop) json["c"] = entry.command;
}

void from_json(const Json& json, Entry& entry) {
  entry.term = json.at("t").get<int64_t>();
  entry.index = json.at("i").get<int64_t>();
  entry.noop = !json.contains("c");
  entry.command = entry.noop ? Command{} : json.at("c").get<Command>();
  entry.chain = 0;
}

uint64_t chain_hash(uint64_t previous_chain, const Entry& entry) {
  uint64_t state = previous_chain ^ (static_cast<uint64_t>(entry.term) * 0x9e3779b97f4a7c15ULL);
  state ^= static_cast<uint64_t>(entry.index) << 1;
  if (!entry.noop) state ^= stable_hash(Json(entry.command).dump());
  return splitmix64(state);
}

}  // namespace faultline::raft
