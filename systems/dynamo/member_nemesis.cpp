#include "systems/dynamo/member_nemesis.h"

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
    const auto node = event.value.at("node").get<EndpointId>();
    faults.send_operator_message(node, make_dynamo_message(MemberCommand{.action = event.value.at("action")}));
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
