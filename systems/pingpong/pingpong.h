#pragma once
// A benchmark system: nodes pass balls around at random, nothing else. It measures the
// simulator itself (event queue, network, dispatch), not a protocol.
#include "framework/system.h"

namespace faultline::pingpong {

struct Ball {
  uint64_t id = 0;
};
void to_json(Json& json, const Ball& ball);
void from_json(const Json& json, Ball& ball);

class PingPong final : public System {
 public:
  explicit PingPong(int balls_per_node) : balls_per_node_(balls_per_node) {}
  std::string name() const override { return "pingpong"; }
  std::vector<ClaimSpec> claims() const override { return {}; }
  std::vector<BugSpec> bugs() const override { return {}; }
  std::unique_ptr<Node> make_node(Env& env) const override;
  std::unique_ptr<Client> make_client(ClientEnv& env) const override;
  const MessageCodec& codec() const override { return codec_; }

 private:
  int balls_per_node_;
  JsonCodec<Ball> codec_;
};

}  // namespace faultline::pingpong
