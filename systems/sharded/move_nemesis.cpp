#include "systems/sharded/move_nemesis.h"

#include <stdexcept>

#include "base/json_fields.h"
#include "systems/sharded/messages.h"

namespace faultline::sharded {

namespace {

void tell_every_node(FaultApi& faults, const std::string& f, uint32_t pick) {
  for (EndpointId node = 0; node < faults.node_count(); ++node)
    faults.send_operator_message(node, make_message(ShardMessage{OperatorChange{.f = f, .value = {{"pick", pick}}}}));
}

class OperatorChanges final : public Nemesis {
 public:
  // `on_start` is the change each start makes, `on_stop` the change each stop makes: with
  // the start's pick when it undoes the start, with a pick of its own when not.
  enum class StopPick { same, new_pick };
  OperatorChanges(std::string name, std::string on_start, std::string on_stop, StopPick stop_pick)
      : name_(std::move(name)), on_start_(std::move(on_start)), on_stop_(std::move(on_stop)), stop_pick_(stop_pick) {}

  std::string name() const override { return name_; }

  NemesisEvent start(FaultApi& faults, Rng& rng) override {
    pick_ = static_cast<uint32_t>(rng.below(uint64_t{1} << 31));
    NemesisEvent event{"start-" + name_, Json{{"change", on_start_}, {"pick", pick_}}};
    replay(faults, event);
    return event;
  }

  NemesisEvent stop(FaultApi& faults, Rng& rng) override {
    if (stop_pick_ == StopPick::new_pick) pick_ = static_cast<uint32_t>(rng.below(uint64_t{1} << 31));
    NemesisEvent event{"stop-" + name_, Json{{"change", on_stop_}, {"pick", pick_}}};
    replay(faults, event);
    return event;
  }

  // A stop that moves another shard would start a migration as the final phase begins.
  NemesisEvent heal(FaultApi& faults, Rng& rng) override {
    if (stop_pick_ == StopPick::same) return stop(faults, rng);
    return NemesisEvent{"stop-" + name_, Json::object()};
  }

  // A recorded event may be hand-edited: what it asks is checked here, so the script check
  // refuses it before the run instead of a controller node asserting on it.
  bool replay(FaultApi& faults, const NemesisEvent& event) override {
    const bool is_start = event.f == "start-" + name_;
    if (!is_start && event.f != "stop-" + name_) return false;
    if (!event.value.contains("change")) return true;  // a stop at the heal changes nothing
    const std::string& expected = is_start ? on_start_ : on_stop_;
    if (event.value.at("change") != expected)
      throw std::invalid_argument("a " + event.f + " event's change is \"" + expected + "\", got " +
                                  event.value.at("change").dump());
    tell_every_node(faults, expected, integer_value<uint32_t>(event.value.at("pick"), "a pick"));
    return true;
  }

 private:
  std::string name_, on_start_, on_stop_;
  StopPick stop_pick_;
  uint32_t pick_ = 0;
};

Result<void> no_option(const std::string& package, const std::string& option) {
  if (option.empty()) return outcome::success();
  return fail("the " + package + " fault package takes no option, got \"" + option + "\"");
}

}  // namespace

Result<NemesisPtr> make_move_nemesis(const std::string& option) {
  BOOST_OUTCOME_TRYV(no_option("move", option));
  return NemesisPtr(std::make_unique<OperatorChanges>("move", "move", "move", OperatorChanges::StopPick::new_pick));
}

Result<NemesisPtr> make_membership_nemesis(const std::string& option) {
  BOOST_OUTCOME_TRYV(no_option("membership", option));
  return NemesisPtr(std::make_unique<OperatorChanges>("membership", "leave", "join", OperatorChanges::StopPick::same));
}

}  // namespace faultline::sharded
