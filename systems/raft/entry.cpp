#include "systems/raft/entry.h"

#include <charconv>

#include "base/json_text.h"
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

std::string encode_entry(const Entry& entry) {
  std::string out;
  out.reserve(96);
  out += '{';
  if (!entry.noop) {
    const Command& c = entry.command;
    out += "\"c\":{\"client\":";
    append_unsigned(out, c.client);
    out += ",\"f\":";
    append_json_string(out, c.f);
    out += ",\"key\":";
    append_json_string(out, c.key);
    out += ",\"seq\":";
    append_integer(out, c.seq);
    out += ",\"value\":";
    append_json(out, c.value);
    out += "},";
  }
  out += "\"i\":";
  append_integer(out, entry.index);
  out += ",\"t\":";
  append_integer(out, entry.term);
  out += '}';
  return out;
}

namespace {

// Reads a run of ASCII digits (with a leading minus) at `text`'s front and consumes it.
template <class Integer>
bool take_integer(std::string_view& text, Integer& number) {
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (error != std::errc()) return false;
  text.remove_prefix(static_cast<size_t>(end - text.data()));
  return true;
}

bool take_literal(std::string_view& text, std::string_view literal) {
  if (text.substr(0, literal.size()) != literal) return false;
  text.remove_prefix(literal.size());
  return true;
}

// A string append_json_string copied verbatim (no escapes): up to the next quote.
bool take_plain_string(std::string_view& text, std::string& out) {
  if (!take_literal(text, "\"")) return false;
  const size_t end = text.find('"');
  if (end == std::string_view::npos) return false;
  out.assign(text.substr(0, end));
  if (out.find('\\') != std::string::npos) return false;
  text.remove_prefix(end + 1);
  return true;
}

bool take_command(std::string_view& text, Command& c) {
  if (!take_literal(text, "\"c\":{\"client\":") || !take_integer(text, c.client)) return false;
  if (!take_literal(text, ",\"f\":") || !take_plain_string(text, c.f)) return false;
  if (!take_literal(text, ",\"key\":") || !take_plain_string(text, c.key)) return false;
  if (!take_literal(text, ",\"seq\":") || !take_integer(text, c.seq)) return false;
  if (!take_literal(text, ",\"value\":")) return false;
  // The value is the last field of "c", and "i" and "t" are integers: the value ends at the
  // last "},\"i\":".
  const size_t end = text.rfind("},\"i\":");
  if (end == std::string_view::npos) return false;
  std::string_view value = text.substr(0, end);
  int64_t number = 0;
  // As Json::parse types it: non-negative integers are unsigned.
  if (take_integer(value, number) && value.empty()) c.value = number >= 0 ? Json(static_cast<uint64_t>(number)) : Json(number);
  else c.value = Json::parse(text.substr(0, end), nullptr, /*allow_exceptions=*/false);
  if (c.value.is_discarded()) return false;
  text.remove_prefix(end + 2);
  return true;
}

}  // namespace

std::optional<Entry> decode_entry(std::string_view text) {
  Entry entry;
  if (!take_literal(text, "{")) return std::nullopt;
  entry.noop = text.substr(0, 4) != "\"c\":";
  if (!entry.noop && !take_command(text, entry.command)) return std::nullopt;
  if (!take_literal(text, "\"i\":") || !take_integer(text, entry.index)) return std::nullopt;
  if (!take_literal(text, ",\"t\":") || !take_integer(text, entry.term)) return std::nullopt;
  if (text != "}") return std::nullopt;
  return entry;
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
    std::string value_text;  // the value's JSON text, without a Json::dump per entry
    append_json(value_text, c.value);
    state = splitmix64(state) ^ stable_hash(value_text);
  }
  return splitmix64(state);
}

}  // namespace faultline::raft
