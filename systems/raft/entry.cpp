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

namespace {

// A JSON string literal, as nlohmann writes it for ASCII text.
void append_json_string(std::string& out, const std::string& text) {
  out += '"';
  for (char ch : text) {
    if (ch == '"' || ch == '\\' || static_cast<unsigned char>(ch) < 0x20 ||
        static_cast<unsigned char>(ch) >= 0x80) {
      out.pop_back();
      out += Json(text).dump();  // the rare case: let nlohmann escape it
      return;
    }
  }
  out += text;
  out += '"';
}

}  // namespace

std::string encode_entry(const Entry& entry) {
  std::string out = "{";
  if (!entry.noop) {
    const Command& c = entry.command;
    out += "\"c\":{\"client\":" + std::to_string(c.client) + ",\"f\":";
    append_json_string(out, c.f);
    out += ",\"key\":";
    append_json_string(out, c.key);
    out += ",\"seq\":" + std::to_string(c.seq) + ",\"value\":" + c.value.dump() + "},";
  }
  out += "\"i\":" + std::to_string(entry.index) + ",\"t\":" + std::to_string(entry.term) + "}";
  return out;
}

uint64_t chain_hash(uint64_t previous_chain, const Entry& entry) {
  uint64_t state = previous_chain ^ (static_cast<uint64_t>(entry.term) * 0x9e3779b97f4a7c15ULL);
  state = splitmix64(state) ^ static_cast<uint64_t>(entry.index);
  if (!entry.noop) {
    const Command& c = entry.command;
    state = splitmix64(state) ^ c.client;
    state = splitmix64(state) ^ static_cast<uint64_t>(c.seq);
    state = splitmix64(state) ^ stable_hash(c.f);
    state = splitmix64(state) ^ stable_hash(c.key);
    state = splitmix64(state) ^ stable_hash(c.value.dump());
  }
  return splitmix64(state);
}

}  // namespace faultline::raft
