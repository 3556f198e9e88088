#include "systems/sharded/messages.h"

namespace faultline::sharded {

namespace {

template <class... Alternatives>
bool is_one_of(const std::string& type, const std::variant<Alternatives...>*) {
  return ((type == Alternatives::kType) || ...);
}

}  // namespace

Result<MessagePtr> Codec::decode(const Json& json) const {
  const bool shard_type = json.is_object() && json.contains("type") && json.at("type").is_string() &&
                          is_one_of(json.at("type").get<std::string>(), static_cast<const ShardMessage*>(nullptr));
  return shard_type ? shard_codec_.decode(json) : raft_codec_.decode(json);
}

}  // namespace faultline::sharded
