#include "systems/pingpong/pingpong.h"

#include "base/assert.h"

namespace faultline::pingpong {

void to_json(Json& json, const Ball& ball) { json = {{"ball", ball.id}}; }
void from_json(const Json& json, Ball& ball) { ball.id = json.at("ball").get<uint64_t>(); }

namespace {

class Player final : public Node {
 public:
  Player(Env& env, int balls) : env_(env), balls_(balls) {}
  void start() override {
    for (int i = 0; i < balls_; ++i)
      env_.send(random_peer(), make_message(Ball{static_cast<uint64_t>(env_.self()) * 1'000'000 + i}));
  }
  // Passes the same immutable message on: a forward copies no payload.
  void on_message(EndpointId, const MessagePtr& message) override { env_.send(random_peer(), message); }
  void on_timer(TimerId, uint64_t) override {}

 private:
  EndpointId random_peer() {
    auto peer = static_cast<EndpointId>(env_.rng().below(env_.node_count() - 1));
    return peer >= env_.self() ? peer + 1 : peer;
  }
  Env& env_;
  int balls_;
};

class NoClient final : public Client {
 public:
  void invoke(const ClientOp&) override { FAULTLINE_ASSERT(false, "pingpong takes no client ops"); }
  void on_message(EndpointId, const MessagePtr&) override {}
  void on_timer(TimerId, uint64_t) override {}
};

}  // namespace

std::unique_ptr<Node> PingPong::make_node(Env& env) const {
  FAULTLINE_ASSERT(env.node_count() >= 2, "pingpong needs two nodes");
  return std::make_unique<Player>(env, balls_per_node_);
}

std::unique_ptr<Client> PingPong::make_client(ClientEnv&) const { return std::make_unique<NoClient>(); }

}  // namespace faultline::pingpong
