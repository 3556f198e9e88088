#include "systems/sharded/route_stale.h"

#include <cmath>
#include <stdexcept>

#include "base/assert.h"
#include "nemesis/event_values.h"

namespace faultline::sharded {

namespace {

constexpr int64_t kRefreshDelayMin_ms = 200;
constexpr int64_t kRefreshDelayMax_ms = 3000;
constexpr int64_t kMillisecond_ns = 1'000'000;

class RouteStale final : public Nemesis {
 public:
  std::string name() const override { return "route-stale"; }

  NemesisEvent start(FaultApi& faults, Rng& rng) override {
    Json nodes = Json::array();
    for (EndpointId node : faults.nodes_in_role("routing")) nodes.push_back(node);
    const auto delay_ns = std::llround(rng.log_uniform(kRefreshDelayMin_ms, kRefreshDelayMax_ms) * kMillisecond_ns);
    NemesisEvent event{"start-route-stale", Json{{"nodes", nodes}, {"delay_ns", delay_ns}}};
    replay(faults, event);
    return event;
  }

  NemesisEvent stop(FaultApi& faults, Rng&) override {
    FAULTLINE_ASSERT(active_.has_value(), "stop-route-stale follows a start-route-stale");
    NemesisEvent event{"stop-route-stale", Json{{"nodes", *active_}}};
    replay(faults, event);
    return event;
  }

  // Each event names the nodes it held, so a replay needs no layout.
  bool replay(FaultApi& faults, const NemesisEvent& event) override {
    if (event.f != "start-route-stale" && event.f != "stop-route-stale") return false;
    const Json& nodes = event.value.at("nodes");
    if (!nodes.is_array()) throw std::invalid_argument("route-stale: \"nodes\" must be an array, got " + nodes.dump());
    if (event.f == "stop-route-stale") {
      for (const Json& node : nodes) faults.reset_client_link_quality(nemesis::node_value(node), ClientLinks::replies);
      active_.reset();
      return true;
    }
    const auto delay_ns = integer_value<int64_t>(event.value.at("delay_ns"), "delay_ns");
    // The jitter as large as the delay: a later refresh may overtake an earlier one.
    const LinkQuality held{.latency_ns_base = delay_ns, .latency_ns_jitter = delay_ns};
    for (const Json& node : nodes) faults.set_client_link_quality(nemesis::node_value(node), ClientLinks::replies, held);
    active_ = nodes;
    return true;
  }

 private:
  std::optional<Json> active_;  // the nodes held now
};

}  // namespace

Result<NemesisPtr> make_route_stale_nemesis(const std::string& option) {
  if (!option.empty()) return fail("the route-stale fault package takes no option, got \"" + option + "\"");
  return NemesisPtr(std::make_unique<RouteStale>());
}

}  // namespace faultline::sharded
