#include "nemesis/partition.h"

#include <algorithm>
#include <set>

#include "nemesis/event_values.h"

namespace faultline::nemesis {

namespace {

using Link = std::pair<EndpointId, EndpointId>;
using Groups = std::vector<std::vector<EndpointId>>;

enum class Shape { halves, isolate_one, isolate_leader, ring, bridge, oneway };
constexpr Shape kAllShapes[] = {Shape::halves, Shape::isolate_one, Shape::isolate_leader,
                                Shape::ring,   Shape::bridge,      Shape::oneway};

const char* shape_name(Shape shape) {
  switch (shape) {
    case Shape::halves: return "halves";
    case Shape::isolate_one: return "one";
    case Shape::isolate_leader: return "leader";
    case Shape::ring: return "ring";
    case Shape::bridge: return "bridge";
    case Shape::oneway: return "oneway";
  }
  return "?";
}

std::vector<EndpointId> shuffled_nodes(int node_count, Rng& rng) {
  std::vector<EndpointId> nodes(node_count);
  for (int i = 0; i < node_count; ++i) nodes[i] = i;
  // Fisher-Yates with our own generator (std::shuffle differs between libraries).
  for (int i = node_count - 1; i > 0; --i) std::swap(nodes[i], nodes[rng.below(i + 1)]);
  return nodes;
}

// Every directed link between two different groups.
std::set<Link> links_between(const Groups& groups) {
  std::set<Link> cut;
  for (size_t a = 0; a < groups.size(); ++a)
    for (size_t b = 0; b < groups.size(); ++b)
      if (a != b)
        for (EndpointId from : groups[a])
          for (EndpointId to : groups[b]) cut.insert({from, to});
  return cut;
}

Groups split_halves(const std::vector<EndpointId>& nodes) {
  auto middle = nodes.begin() + nodes.size() / 2;  // the smaller half first
  Groups groups{{nodes.begin(), middle}, {middle, nodes.end()}};
  if (groups[0].empty()) groups.erase(groups.begin());
  return groups;
}

Groups isolate(EndpointId alone, int node_count) {
  Groups groups{{alone}};
  std::vector<EndpointId> rest;
  for (EndpointId node = 0; node < node_count; ++node)
    if (node != alone) rest.push_back(node);
  if (!rest.empty()) groups.push_back(rest);
  return groups;
}

// Nodes on a random ring; each sees the nodes within ring distance d, where d is the
// smallest distance that makes what a node sees (itself included) a majority.
std::set<Link> majorities_ring(int n, Rng& rng) {
  auto ring = shuffled_nodes(n, rng);
  const int majority = n / 2 + 1;
  const int reach = majority / 2;  // = ceil((majority - 1) / 2) neighbours on each side
  std::set<Link> cut;
  for (int i = 0; i < n; ++i) {
    for (int j = 0; j < n; ++j) {
      int distance = std::min((i - j + n) % n, (j - i + n) % n);
      if (distance > reach) cut.insert({ring[i], ring[j]});
    }
  }
  return cut;
}

// Two halves that cannot talk, except through one bridge node that sees both.
std::set<Link> bridge(int n, Rng& rng) {
  auto nodes = shuffled_nodes(n, rng);
  nodes.pop_back();  // the last node is the bridge: it keeps every link
  return links_between(split_halves(nodes));
}

// Asymmetric: a random minority can hear the others but its messages to them are lost.
std::set<Link> oneway(int n, Rng& rng) {
  auto nodes = shuffled_nodes(n, rng);
  size_t senders = std::max<size_t>(1, (nodes.size() - 1) / 2);
  std::set<Link> cut;
  for (size_t i = 0; i < senders; ++i)
    for (size_t j = senders; j < nodes.size(); ++j) cut.insert({nodes[i], nodes[j]});
  return cut;
}

std::set<Link> choose_cut(Shape shape, FaultApi& faults, Rng& rng) {
  const int n = faults.node_count();
  switch (shape) {
    case Shape::halves: return links_between(split_halves(shuffled_nodes(n, rng)));
    case Shape::isolate_one: return links_between(isolate(static_cast<EndpointId>(rng.below(n)), n));
    case Shape::isolate_leader: {
      auto leader = faults.leader();
      return links_between(isolate(leader ? *leader : static_cast<EndpointId>(rng.below(n)), n));
    }
    case Shape::ring: return majorities_ring(n, rng);
    case Shape::bridge: return n >= 3 ? bridge(n, rng) : std::set<Link>{};
    case Shape::oneway: return n >= 2 ? oneway(n, rng) : std::set<Link>{};
  }
  return {};
}

class Partition final : public Nemesis {
 public:
  explicit Partition(std::optional<Shape> shape) : shape_(shape) {}
  std::string name() const override { return "partition"; }

  NemesisEvent start(FaultApi& faults, Rng& rng) override {
    Shape shape = shape_ ? *shape_ : kAllShapes[rng.below(std::size(kAllShapes))];
    std::set<Link> cut = choose_cut(shape, faults, rng);
    Json links = Json::array();
    for (const auto& [from, to] : cut) links.push_back({from, to});
    NemesisEvent event{"start-partition", Json{{"shape", shape_name(shape)}, {"cut", links}}};
    replay(faults, event);
    return event;
  }

  NemesisEvent stop(FaultApi& faults, Rng&) override {
    NemesisEvent event{"stop-partition", Json()};
    replay(faults, event);
    return event;
  }

  bool replay(FaultApi& faults, const NemesisEvent& event) override {
    if (event.f == "start-partition") {
      for (const auto& link : event.value.at("cut")) {
        auto [from, to] = link_value(link);
        faults.cut_link(from, to);
      }
      return true;
    }
    if (event.f == "stop-partition") {
      faults.heal_all_links();
      return true;
    }
    return false;
  }

 private:
  std::optional<Shape> shape_;  // nullopt: draw a shape per fault
};

}  // namespace

Result<NemesisPtr> make_partition(const std::string& option) {
  if (option.empty()) return NemesisPtr(std::make_unique<Partition>(std::nullopt));
  for (Shape shape : kAllShapes)
    if (option == shape_name(shape)) return NemesisPtr(std::make_unique<Partition>(shape));
  return fail("unknown partition shape \"" + option + "\" (known: halves, one, leader, ring, bridge, oneway)");
}

}  // namespace faultline::nemesis
