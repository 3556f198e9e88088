#include "probe_system.h"

namespace faultline::testing {

void to_json(Json& json, const Note& note) { json = {{"note", note.text}}; }
void from_json(const Json& json, Note& note) { note.text = json.at("note").get<std::string>(); }

namespace {
int64_t virtual_now(Env& env) { return env.now_ns(); }
}  // namespace

void ProbeNode::start() { log_.push_back({virtual_now(env_), env_.self(), "start"}); }

void ProbeNode::on_message(EndpointId from, const MessagePtr& message) {
  const Note* note = message_body<Note>(message);
  log_.push_back({virtual_now(env_), env_.self(), "msg " + std::to_string(from) + " " + (note ? note->text : "?")});
}

void ProbeNode::on_timer(TimerId, uint64_t tag) {
  log_.push_back({virtual_now(env_), env_.self(), "timer " + std::to_string(tag)});
}

std::unique_ptr<Node> ProbeSystem::make_node(Env& env) const { return std::make_unique<ProbeNode>(env, log); }

std::unique_ptr<Client> ProbeSystem::make_client(ClientEnv&) const { return nullptr; }

}  // namespace faultline::testing
