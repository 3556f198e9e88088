#include "nemesis/flaky.h"

namespace faultline::nemesis {

namespace {

class Flaky final : public Nemesis {
 public:
  std::string name() const override { return "flaky"; }

  NemesisEvent start(FaultApi& faults, Rng& rng) override {
    LinkQuality quality;
    quality.loss_probability = 0.05 + 0.25 * rng.unit();
    quality.duplicate_probability = 0.2 * rng.unit();
    quality.latency_ns_base = rng.between(1'000'000, 20'000'000);
    quality.latency_ns_jitter = rng.between(1'000'000, 50'000'000);  // wide jitter reorders
    Json links = Json::array();
    const int n = faults.node_count();
    for (EndpointId from = 0; from < n; ++from) {
      for (EndpointId to = 0; to < n; ++to) {
        if (from == to || !rng.chance(0.5)) continue;
        faults.set_link_quality(from, to, quality);
        links.push_back({from, to});
      }
    }
    return {"start-flaky",
            Json{{"links", links},
                 {"loss_probability", quality.loss_probability},
                 {"duplicate_probability", quality.duplicate_probability},
                 {"latency_ns_base", quality.latency_ns_base},
                 {"latency_ns_jitter", quality.latency_ns_jitter}}};
  }

  NemesisEvent stop(FaultApi& faults, Rng&) override {
    faults.reset_link_qualities();
    return {"stop-flaky", Json()};
  }
};

}  // namespace

Result<NemesisPtr> make_flaky(const std::string& option) {
  if (!option.empty()) return fail("flaky takes no option");
  return NemesisPtr(std::make_unique<Flaky>());
}

}  // namespace faultline::nemesis
