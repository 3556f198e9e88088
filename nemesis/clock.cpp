#include "nemesis/clock.h"

namespace faultline::nemesis {

namespace {

constexpr int64_t kBumpMax_ns = 10'000'000'000;
constexpr int64_t kDriftMax_ppm = 200'000;

enum class ClockMode { bump, skew, either };

class ClockFault final : public Nemesis {
 public:
  explicit ClockFault(ClockMode mode) : mode_(mode) {}
  std::string name() const override { return "clock"; }

  NemesisEvent start(FaultApi& faults, Rng& rng) override {
    node_ = static_cast<EndpointId>(rng.below(faults.node_count()));
    ClockMode mode = mode_ == ClockMode::either ? (rng.chance(0.5) ? ClockMode::bump : ClockMode::skew) : mode_;
    int64_t offset_ns = 0;
    int64_t drift_ppm = 0;
    if (mode == ClockMode::bump)
      offset_ns = rng.between(-kBumpMax_ns, kBumpMax_ns);
    else
      drift_ppm = rng.between(-kDriftMax_ppm, kDriftMax_ppm);
    faults.set_clock(node_, offset_ns, drift_ppm);
    return {"start-clock", Json{{"node", node_}, {"offset_ns", offset_ns}, {"drift_ppm", drift_ppm}}};
  }

  NemesisEvent stop(FaultApi& faults, Rng&) override {
    faults.set_clock(node_, 0, 0);
    return {"stop-clock", Json{{"node", node_}}};
  }

 private:
  ClockMode mode_;
  EndpointId node_ = 0;
};

}  // namespace

Result<NemesisPtr> make_clock(const std::string& option) {
  if (option.empty()) return NemesisPtr(std::make_unique<ClockFault>(ClockMode::either));
  if (option == "bump") return NemesisPtr(std::make_unique<ClockFault>(ClockMode::bump));
  if (option == "skew") return NemesisPtr(std::make_unique<ClockFault>(ClockMode::skew));
  return fail("unknown clock fault \"" + option + "\" (known: bump, skew)");
}

}  // namespace faultline::nemesis
