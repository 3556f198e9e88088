#include "nemesis/clock.h"

#include "nemesis/event_values.h"

namespace faultline::nemesis {

namespace {

constexpr int64_t kBumpMax_ns = 10'000'000'000;
constexpr int64_t kDriftMax_ppm = 200'000;
constexpr int64_t kStrobeDeltaMax_ns = 5'000'000'000;
constexpr int64_t kStrobePeriodMin_ns = 10'000'000;
constexpr int64_t kStrobePeriodMax_ns = 200'000'000;

enum class ClockMode { bump, skew, strobe };
constexpr ClockMode kAllModes[] = {ClockMode::bump, ClockMode::skew, ClockMode::strobe};

class ClockFault final : public Nemesis {
 public:
  explicit ClockFault(std::optional<ClockMode> mode) : mode_(mode) {}
  std::string name() const override { return "clock"; }

  NemesisEvent start(FaultApi& faults, Rng& rng) override {
    node_ = static_cast<EndpointId>(rng.below(faults.node_count()));
    ClockMode mode = mode_ ? *mode_ : kAllModes[rng.below(std::size(kAllModes))];
    Json value{{"node", node_}, {"offset_ns", 0}, {"drift_ppm", 0}, {"strobe_delta_ns", 0},
               {"strobe_period_ns", 0}};
    switch (mode) {
      case ClockMode::bump: value["offset_ns"] = rng.between(-kBumpMax_ns, kBumpMax_ns); break;
      case ClockMode::skew: value["drift_ppm"] = rng.between(-kDriftMax_ppm, kDriftMax_ppm); break;
      case ClockMode::strobe:
        value["strobe_delta_ns"] = rng.between(-kStrobeDeltaMax_ns, kStrobeDeltaMax_ns);
        value["strobe_period_ns"] = rng.between(kStrobePeriodMin_ns, kStrobePeriodMax_ns);
        break;
    }
    NemesisEvent event{"start-clock", value};
    replay(faults, event);
    return event;
  }

  NemesisEvent stop(FaultApi& faults, Rng&) override {
    NemesisEvent event{"stop-clock", Json{{"node", node_}}};
    replay(faults, event);
    return event;
  }

  bool replay(FaultApi& faults, const NemesisEvent& event) override {
    if (event.f != "start-clock" && event.f != "stop-clock") return false;
    const Json& v = event.value;
    const EndpointId node = node_value(v.at("node"));
    const bool starts = event.f == "start-clock";
    auto number = [&](const char* name) { return starts ? integer_value<int64_t>(v.at(name), name) : 0; };
    faults.set_clock(node, number("offset_ns"), number("drift_ppm"));
    faults.set_clock_strobe(node, number("strobe_delta_ns"), number("strobe_period_ns"));
    return true;
  }

 private:
  std::optional<ClockMode> mode_;  // nullopt: draw a mode per fault
  EndpointId node_ = 0;
};

}  // namespace

Result<NemesisPtr> make_clock(const std::string& option) {
  if (option.empty()) return NemesisPtr(std::make_unique<ClockFault>(std::nullopt));
  if (option == "bump") return NemesisPtr(std::make_unique<ClockFault>(ClockMode::bump));
  if (option == "skew") return NemesisPtr(std::make_unique<ClockFault>(ClockMode::skew));
  if (option == "strobe") return NemesisPtr(std::make_unique<ClockFault>(ClockMode::strobe));
  return fail("unknown clock fault \"" + option + "\" (known: bump, skew, strobe)");
}

}  // namespace faultline::nemesis
