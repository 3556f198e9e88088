#include "systems/primary_replica/failover_nemesis.h"

#include "systems/primary_replica/messages.h"

namespace faultline::primary_replica {

namespace {

class OperatorFailover final : public Nemesis {
 public:
  std::string name() const override { return "failover"; }

  NemesisEvent start(FaultApi& faults, Rng&) override {
    std::vector<EndpointId> told;
    const auto primary = faults.leader();
    for (EndpointId node = 0; node < faults.node_count(); ++node)
      if (faults.is_up(node) && node != primary) told.push_back(node);
    NemesisEvent event{"start-failover", Json{{"nodes", told}}};
    replay(faults, event);
    return event;
  }

  NemesisEvent stop(FaultApi&, Rng&) override { return NemesisEvent{"stop-failover", Json::object()}; }

  bool replay(FaultApi& faults, const NemesisEvent& event) override {
    if (event.f == "stop-failover") return true;
    if (event.f != "start-failover") return false;
    for (EndpointId node : event.value.at("nodes").get<std::vector<EndpointId>>())
      faults.send_operator_message(node, make_pr_message(StepUp{}));
    return true;
  }
};

}  // namespace

Result<NemesisPtr> make_failover_nemesis(const std::string& option) {
  if (!option.empty()) return fail("the failover fault package takes no option, got \"" + option + "\"");
  return NemesisPtr(std::make_unique<OperatorFailover>());
}

}  // namespace faultline::primary_replica
