#include "nemesis/slow.h"

#include <cmath>

#include "base/assert.h"
#include "nemesis/event_values.h"

namespace faultline::nemesis {

namespace {

// What a slow fault delays. What is sent meanwhile still arrives, late and mostly in order,
// after newer messages on other paths: a vote granted in an earlier term, an append
// acknowledged to an earlier leader, a client request overtaken by its own retry.
enum class SlowShape { link, out, in, requests, replies };
constexpr SlowShape kAllSlowShapes[] = {SlowShape::link, SlowShape::out, SlowShape::in, SlowShape::requests, SlowShape::replies};

const char* slow_shape_name(SlowShape shape) {
  switch (shape) {
    case SlowShape::link: return "link";
    case SlowShape::out: return "out";
    case SlowShape::in: return "in";
    case SlowShape::requests: return "requests";
    case SlowShape::replies: return "replies";
  }
  FAULTLINE_ASSERT(false, "a slow shape has a name");
  return "";
}

std::optional<SlowShape> parse_slow_shape(const std::string& name) {
  for (SlowShape shape : kAllSlowShapes)
    if (name == slow_shape_name(shape)) return shape;
  return std::nullopt;
}

constexpr int64_t kSlowMillisecond_ns = 1'000'000;

bool of_clients(SlowShape shape) { return shape == SlowShape::requests || shape == SlowShape::replies; }

// What one fault slows: directed node links, or one node's client links.
struct Slowed {
  SlowShape shape = SlowShape::link;
  Json links = Json::array();
  EndpointId client_node = -1;  // for requests and replies
};

Json slowed_json(const Slowed& slowed) {
  Json value{{"shape", slow_shape_name(slowed.shape)}, {"links", slowed.links}};
  if (slowed.client_node >= 0) value["client_node"] = slowed.client_node;
  return value;
}

Slowed slowed_value(const Json& value) {
  const std::string name = value.at("shape").get<std::string>();
  const auto shape = parse_slow_shape(name);
  if (!shape) throw std::invalid_argument("unknown slow shape \"" + name + "\"");
  Slowed slowed{.shape = *shape, .links = value.at("links")};
  if (of_clients(*shape)) slowed.client_node = node_value(value.at("client_node"));
  return slowed;
}

ClientLinks client_side(SlowShape shape) {
  return shape == SlowShape::requests ? ClientLinks::requests : ClientLinks::replies;
}

// The leader half the time: its links carry the protocol's decisions.
EndpointId pick_slowed_node(FaultApi& faults, Rng& rng) {
  const auto leader = faults.leader();
  const EndpointId drawn = static_cast<EndpointId>(rng.below(faults.node_count()));
  return leader && rng.chance(0.5) ? *leader : drawn;
}

Slowed choose_slowed(SlowShape shape, FaultApi& faults, Rng& rng) {
  const int n = faults.node_count();
  const EndpointId node = pick_slowed_node(faults, rng);
  Slowed slowed{.shape = shape};
  if (of_clients(shape)) {
    slowed.client_node = node;
    return slowed;
  }
  for (EndpointId other = 0; other < n; ++other) {
    if (other == node) continue;
    if (shape == SlowShape::out) slowed.links.push_back({node, other});
    if (shape == SlowShape::in) slowed.links.push_back({other, node});
  }
  if (shape == SlowShape::link && n >= 2) {
    EndpointId other = static_cast<EndpointId>(rng.below(n - 1));
    if (other >= node) ++other;
    slowed.links.push_back({node, other});
  }
  return slowed;
}

class Slow final : public Nemesis {
 public:
  explicit Slow(std::optional<SlowShape> shape) : shape_(shape) {}
  std::string name() const override { return "slow"; }

  NemesisEvent start(FaultApi& faults, Rng& rng) override {
    const SlowShape shape = shape_ ? *shape_ : kAllSlowShapes[rng.below(std::size(kAllSlowShapes))];
    const Slowed slowed = choose_slowed(shape, faults, rng);
    const auto latency_ns = std::llround(rng.log_uniform(20, 2000) * kSlowMillisecond_ns);
    Json value = slowed_json(slowed);
    value["latency_ns_base"] = latency_ns;
    value["latency_ns_jitter"] = latency_ns / 10;  // some reordering, mostly in order
    NemesisEvent event{"start-slow", value};
    replay(faults, event);
    return event;
  }

  NemesisEvent stop(FaultApi& faults, Rng&) override {
    FAULTLINE_ASSERT(active_.has_value(), "stop-slow follows a start-slow");
    NemesisEvent event{"stop-slow", slowed_json(*active_)};
    replay(faults, event);
    return event;
  }

  bool replay(FaultApi& faults, const NemesisEvent& event) override {
    if (event.f != "start-slow" && event.f != "stop-slow") return false;
    const Slowed slowed = slowed_value(event.value);
    if (event.f == "stop-slow") {
      reset(faults, slowed);
      active_.reset();
      return true;
    }
    const LinkQuality quality{
        .latency_ns_base = integer_value<int64_t>(event.value.at("latency_ns_base"), "latency_ns_base"),
        .latency_ns_jitter = integer_value<int64_t>(event.value.at("latency_ns_jitter"), "latency_ns_jitter")};
    for (const auto& link : slowed.links) {
      auto [from, to] = link_value(link);
      faults.set_link_quality(from, to, quality);
    }
    if (slowed.client_node >= 0) faults.set_client_link_quality(slowed.client_node, client_side(slowed.shape), quality);
    active_ = slowed;
    return true;
  }

 private:
  static void reset(FaultApi& faults, const Slowed& slowed) {
    for (const auto& link : slowed.links) {
      auto [from, to] = link_value(link);
      faults.reset_link_quality(from, to);
    }
    if (slowed.client_node >= 0) faults.reset_client_link_quality(slowed.client_node, client_side(slowed.shape));
  }

  std::optional<SlowShape> shape_;  // nullopt: draw a shape per fault
  std::optional<Slowed> active_;
};

}  // namespace

Result<NemesisPtr> make_slow(const std::string& option) {
  if (option.empty()) return NemesisPtr(std::make_unique<Slow>(std::nullopt));
  if (auto shape = parse_slow_shape(option)) return NemesisPtr(std::make_unique<Slow>(*shape));
  return fail("unknown slow shape \"" + option + "\" (known: link, out, in, requests, replies)");
}

}  // namespace faultline::nemesis
