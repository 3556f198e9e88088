#include "nemesis/flaky.h"

#include "nemesis/event_values.h"

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
    for (EndpointId from = 0; from < n; ++from)
      for (EndpointId to = 0; to < n; ++to)
        if (from != to && rng.chance(0.5)) links.push_back({from, to});
    NemesisEvent event{"start-flaky",
                       Json{{"links", links},
                            {"loss_probability", quality.loss_probability},
                            {"duplicate_probability", quality.duplicate_probability},
                            {"latency_ns_base", quality.latency_ns_base},
                            {"latency_ns_jitter", quality.latency_ns_jitter}}};
    replay(faults, event);
    return event;
  }

  // Only its own links go back to normal: a slow link of another package stays slow.
  NemesisEvent stop(FaultApi& faults, Rng&) override {
    NemesisEvent event{"stop-flaky", Json{{"links", active_links_}}};
    replay(faults, event);
    return event;
  }

  bool replay(FaultApi& faults, const NemesisEvent& event) override {
    if (event.f == "stop-flaky") {
      if (event.value.is_null()) faults.reset_link_qualities();  // recorded before stops named their links
      if (event.value.is_object())
        for (const auto& link : event.value.at("links")) {
          auto [from, to] = link_value(link);
          faults.reset_link_quality(from, to);
        }
      active_links_ = Json::array();
      return true;
    }
    if (event.f != "start-flaky") return false;
    const Json& v = event.value;
    const LinkQuality quality{
        .latency_ns_base = integer_value<int64_t>(v.at("latency_ns_base"), "latency_ns_base"),
        .latency_ns_jitter = integer_value<int64_t>(v.at("latency_ns_jitter"), "latency_ns_jitter"),
        .loss_probability = probability_value(v.at("loss_probability"), "loss_probability"),
        .duplicate_probability = probability_value(v.at("duplicate_probability"), "duplicate_probability")};
    for (const auto& link : v.at("links")) {
      auto [from, to] = link_value(link);
      faults.set_link_quality(from, to, quality);
    }
    active_links_ = v.at("links");
    return true;
  }

 private:
  Json active_links_ = Json::array();
};

}  // namespace

Result<NemesisPtr> make_flaky(const std::string& option) {
  if (!option.empty()) return fail("flaky takes no option");
  return NemesisPtr(std::make_unique<Flaky>());
}

}  // namespace faultline::nemesis
