#include "systems/dynamo/member_nemesis.h"

#include <stdexcept>

#include "nemesis/event_values.h"
#include "systems/dynamo/messages.h"

namespace faultline::dynamo {

namespace {

class MemberFault final : public Nemesis {
 public:
  std::string name() const override { return "member"; }

  NemesisEvent start(FaultApi& faults, Rng& rng) override {
    node_ = static_cast<EndpointId>(rng.below(static_cast<uint64_t>(faults.node_count())));
    NemesisEvent event{"start-member", Json{{"node", node_}, {"action", "leave"}}};
    replay(faults, event);
    return event;
  }

  NemesisEvent stop(FaultApi& faults, Rng&) override {
    NemesisEvent event{"stop-member", Json{{"node", node_}, {"action", "join"}}};
    replay(faults, event);
    return event;
  }

  bool replay(FaultApi& faults, const NemesisEvent& event) override {
    if (event.f != "start-member" && event.f != "stop-member") return false;
    // A recorded event may come from a hand-edited header: the script check reports these.
    const EndpointId node = nemesis::node_value(event.value.at("node"));
    const std::string action = event.value.at("action").get<std::string>();
    if (action != "leave" && action != "join")
      throw std::invalid_argument("a member action is leave or join, got \"" + action + "\"");
    faults.send_operator_message(node, make_dynamo_message(MemberCommand{.action = action}));
    return true;
  }

 private:
  EndpointId node_ = 0;
};

}  // namespace

Result<NemesisPtr> make_member_nemesis(const std::string& option) {
  if (!option.empty()) return fail("member takes no option");
  return NemesisPtr(std::make_unique<MemberFault>());
}

}  // namespace faultline::dynamo
