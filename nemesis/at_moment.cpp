#include "nemesis/at_moment.h"

#include <map>

#include "base/assert.h"
#include "nemesis/event_values.h"

namespace faultline::nemesis {

namespace {

// Kills and isolations most often: they end a new leader's term early, the moment most
// protocol bugs hide behind (Raft's Figure 8 needs two such leaders).
constexpr const char* kActions[] = {"kill", "kill", "kill", "crash", "crash", "pause", "pause",
                                    "isolate", "isolate", "isolate"};

class AtMoment final : public Nemesis {
 public:
  std::string name() const override { return "at-moment"; }
  bool protocol_aware() const override { return true; }

  // The driver starts it on schedule only while no strike is in progress.
  NemesisEvent start(FaultApi& faults, Rng& rng) override {
    FAULTLINE_ASSERT(struck_.empty(), "at-moment's scheduled fault starts alone");
    std::optional<EndpointId> leader = faults.leader();
    const EndpointId node = leader ? *leader : static_cast<EndpointId>(rng.below(faults.node_count()));
    scheduled_node_ = node;
    return act(faults, rng, node, "scheduled");
  }

  std::optional<NemesisEvent> strike(FaultApi& faults, Rng& rng, EndpointId node, std::string_view moment) override {
    if (!probability_) probability_ = 0.1 + 0.8 * rng.unit();
    if (struck_.count(node) || !rng.chance(*probability_)) return std::nullopt;
    return act(faults, rng, node, std::string(moment));
  }

  NemesisEvent stop(FaultApi& faults, Rng& rng) override {
    FAULTLINE_ASSERT(scheduled_node_.has_value(), "at-moment stops only a fault it started");
    const EndpointId node = *scheduled_node_;
    scheduled_node_.reset();
    return stop_strike(faults, rng, node);
  }

  NemesisEvent stop_strike(FaultApi& faults, Rng&, EndpointId node) override {
    auto struck = struck_.find(node);
    FAULTLINE_ASSERT(struck != struck_.end(), "at-moment stops only a strike it made");
    NemesisEvent event{"stop-at-moment", struck->second.value};
    struck_.erase(struck);
    event.value.erase("moment");
    // Links to a node another strike still isolates stay cut.
    Json healed = Json::array();
    for (const auto& link : event.value.at("cut")) {
      auto [from, to] = link_value(link);
      if (!isolated(from == node ? to : from)) healed.push_back(link);
    }
    event.value["cut"] = healed;
    replay(faults, event);
    return event;
  }

  bool replay(FaultApi& faults, const NemesisEvent& event) override {
    const bool starts = event.f == "start-at-moment";
    if (!starts && event.f != "stop-at-moment") return false;
    const Json& v = event.value;
    const EndpointId node = node_value(v.at("node"));
    const std::string action = v.at("action").get<std::string>();
    if (action == "isolate") {
      for (const auto& link : v.at("cut")) {
        auto [from, to] = link_value(link);
        starts ? faults.cut_link(from, to) : faults.heal_link(from, to);
      }
    } else if (action == "pause") {
      starts ? faults.pause(node) : faults.resume(node);
    } else if (action == "kill" || action == "crash") {
      if (starts) faults.crash(node, action == "kill" ? CrashMode::kill : CrashMode::power_loss);
      else faults.restart(node);
    } else {
      throw std::invalid_argument("unknown at-moment action \"" + action + "\"");
    }
    return true;
  }

 private:
  NemesisEvent act(FaultApi& faults, Rng& rng, EndpointId node, const std::string& moment) {
    const std::string action = kActions[rng.below(std::size(kActions))];
    Json cut = Json::array();
    if (action == "isolate") {
      for (EndpointId other = 0; other < faults.node_count(); ++other) {
        if (other == node) continue;
        cut.push_back({node, other});
        cut.push_back({other, node});
      }
    }
    NemesisEvent event{"start-at-moment", Json{{"moment", moment}, {"node", node}, {"action", action}, {"cut", cut}}};
    replay(faults, event);
    struck_.emplace(node, event);
    return event;
  }

  bool isolated(EndpointId node) const {
    auto struck = struck_.find(node);
    return struck != struck_.end() && struck->second.value.at("action") == "isolate";
  }

  std::optional<double> probability_;  // drawn at the run's first moment
  std::map<EndpointId, NemesisEvent> struck_;  // the start event of each strike in progress
  std::optional<EndpointId> scheduled_node_;   // the one the schedule started, if any
};

}  // namespace

Result<NemesisPtr> make_at_moment(const std::string& option) {
  if (!option.empty()) return fail("at-moment takes no option");
  return NemesisPtr(std::make_unique<AtMoment>());
}

}  // namespace faultline::nemesis
