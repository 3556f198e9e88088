#pragma once
// A system for testing the simulator: its nodes do nothing on their own and record every
// event they see, so a test can act through a node's Env and watch what arrives.
#include <string>
#include <vector>

#include "framework/simulator.h"

namespace faultline::testing {

struct Note {
  std::string text;
  bool operator==(const Note&) const = default;
};
void to_json(Json& json, const Note& note);
void from_json(const Json& json, Note& note);

struct Seen {
  int64_t local_time_ns;  // the node's own clock when it saw the event
  EndpointId at;
  std::string what;  // "msg <from> <text>" or "timer <tag>" or "start"
};

class ProbeNode final : public Node {
 public:
  ProbeNode(Env& env, std::vector<Seen>& log) : env_(env), log_(log) {}
  void start() override;
  void on_message(EndpointId from, const MessagePtr& message) override;
  void on_timer(TimerId id, uint64_t tag) override;
  Env& env() { return env_; }

 private:
  Env& env_;
  std::vector<Seen>& log_;
};

class ProbeSystem final : public System {
 public:
  std::string name() const override { return "probe"; }
  std::vector<ClaimSpec> claims() const override { return {}; }
  std::vector<BugSpec> bugs() const override { return {}; }
  std::unique_ptr<Node> make_node(Env& env) const override;
  std::unique_ptr<Client> make_client(ClientEnv& env) const override;
  const MessageCodec& codec() const override { return codec_; }
  std::optional<EndpointId> leader(std::span<Node* const>) const override { return fixed_leader; }

  std::optional<EndpointId> fixed_leader;  // what leader() answers, for leader-targeted faults
  // Everything every node saw, in order; shared by all incarnations of the nodes.
  mutable std::vector<Seen> log;

 private:
  JsonCodec<Note> codec_;
};

inline ProbeNode& probe(Simulator& sim, EndpointId id) { return dynamic_cast<ProbeNode&>(*sim.node(id)); }

}  // namespace faultline::testing
