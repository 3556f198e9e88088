#pragma once
// The sharded store's own messages (issue 13). Inside a Raft group nodes speak raft's
// messages (systems/raft/messages.h), and clients send raft's ClientRequest to a group,
// which may answer wrong_group. These carry what crosses groups:
//   config-query {want} -> config-reply {config}   configuration `want` (-1: the latest), or
//                                                   null when the controller has none yet
//   shard-pull {shard, num} -> shard-data {shard, num, store}   a destination asks the
//                                                   source for a shard frozen at config num
//   shard-gc {shard, num} -> shard-gc-ack {shard, num}   the destination installed it; the
//                                                   source acknowledges once it dropped it
//   operator-change {f, value}                      from the operator to the controller:
//                                                   join / leave / move (controller_machine.h)
#include <cstdint>
#include <string>
#include <variant>

#include "framework/message.h"
#include "systems/raft/messages.h"

namespace faultline::sharded {

struct ConfigQuery {
  static constexpr const char* kType = "config-query";
  int64_t want = -1;
  NLOHMANN_DEFINE_TYPE_INTRUSIVE(ConfigQuery, want)
};

struct ConfigReply {
  static constexpr const char* kType = "config-reply";
  Json config;  // config_to_json, or null
  NLOHMANN_DEFINE_TYPE_INTRUSIVE(ConfigReply, config)
};

struct ShardPull {
  static constexpr const char* kType = "shard-pull";
  int shard = 0;
  int64_t num = 0;
  NLOHMANN_DEFINE_TYPE_INTRUSIVE(ShardPull, shard, num)
};

struct ShardData {
  static constexpr const char* kType = "shard-data";
  int shard = 0;
  int64_t num = 0;
  Json store;  // the shard's KvStore::to_json: data and sessions
  NLOHMANN_DEFINE_TYPE_INTRUSIVE(ShardData, shard, num, store)
};

struct ShardGc {
  static constexpr const char* kType = "shard-gc";
  int shard = 0;
  int64_t num = 0;
  NLOHMANN_DEFINE_TYPE_INTRUSIVE(ShardGc, shard, num)
};

struct ShardGcAck {
  static constexpr const char* kType = "shard-gc-ack";
  int shard = 0;
  int64_t num = 0;
  NLOHMANN_DEFINE_TYPE_INTRUSIVE(ShardGcAck, shard, num)
};

struct OperatorChange {
  static constexpr const char* kType = "operator-change";
  std::string f;  // join | leave | move
  Json value;     // {"group": g} or {"shard": s, "group": g}
  NLOHMANN_DEFINE_TYPE_INTRUSIVE(OperatorChange, f, value)
};

using ShardMessage = std::variant<ConfigQuery, ConfigReply, ShardPull, ShardData, ShardGc, ShardGcAck, OperatorChange>;

// Decodes both the store's messages and raft's.
class Codec final : public MessageCodec {
 public:
  Result<MessagePtr> decode(const Json& json) const override;

 private:
  JsonCodec<ShardMessage> shard_codec_;
  raft::Codec raft_codec_;
};

}  // namespace faultline::sharded
