#include "nemesis/partition.h"

#include <algorithm>

namespace faultline::nemesis {

namespace {

using Groups = std::vector<std::vector<EndpointId>>;

std::vector<EndpointId> shuffled_nodes(int node_count, Rng& rng) {
  std::vector<EndpointId> nodes(node_count);
  for (int i = 0; i < node_count; ++i) nodes[i] = i;
  // Fisher-Yates with our own generator (std::shuffle differs between libraries).
  for (int i = node_count - 1; i > 0; --i) std::swap(nodes[i], nodes[rng.below(i + 1)]);
  return nodes;
}

Groups isolate(EndpointId alone, int node_count) {
  Groups groups{{alone}};
  std::vector<EndpointId> rest;
  for (EndpointId node = 0; node < node_count; ++node)
    if (node != alone) rest.push_back(node);
  if (!rest.empty()) groups.push_back(rest);
  return groups;
}

class Partition final : public Nemesis {
 public:
  explicit Partition(PartitionShape shape) : shape_(shape) {}
  std::string name() const override { return "partition"; }

  NemesisEvent start(FaultApi& faults, Rng& rng) override {
    Groups groups = choose_groups(faults, rng);
    for (size_t a = 0; a < groups.size(); ++a)
      for (size_t b = 0; b < groups.size(); ++b)
        if (a != b)
          for (EndpointId from : groups[a])
            for (EndpointId to : groups[b]) faults.cut_link(from, to);
    for (auto& group : groups) std::sort(group.begin(), group.end());
    return {"start-partition", Json{{"shape", shape_name()}, {"groups", groups}}};
  }

  NemesisEvent stop(FaultApi& faults, Rng&) override {
    faults.heal_all_links();
    return {"stop-partition", Json()};
  }

 private:
  Groups choose_groups(FaultApi& faults, Rng& rng) const {
    const int n = faults.node_count();
    switch (shape_) {
      case PartitionShape::halves: {
        auto nodes = shuffled_nodes(n, rng);
        auto middle = nodes.begin() + n / 2;  // the smaller half first; n=1 gives one group
        Groups groups{{nodes.begin(), middle}, {middle, nodes.end()}};
        if (groups[0].empty()) groups.erase(groups.begin());
        return groups;
      }
      case PartitionShape::isolate_one:
        return isolate(static_cast<EndpointId>(rng.below(n)), n);
      case PartitionShape::isolate_leader: {
        auto leader = faults.leader();
        return isolate(leader ? *leader : static_cast<EndpointId>(rng.below(n)), n);
      }
    }
    return {};
  }

  const char* shape_name() const {
    switch (shape_) {
      case PartitionShape::halves: return "halves";
      case PartitionShape::isolate_one: return "isolate-one";
      case PartitionShape::isolate_leader: return "isolate-leader";
    }
    return "?";
  }

  PartitionShape shape_;
};

// Draws a shape per fault when no shape is named (Jepsen's combined partition package).
class AnyPartition final : public Nemesis {
 public:
  std::string name() const override { return "partition"; }
  NemesisEvent start(FaultApi& faults, Rng& rng) override {
    current_ = &shapes_[rng.below(std::size(shapes_))];
    return current_->start(faults, rng);
  }
  NemesisEvent stop(FaultApi& faults, Rng& rng) override { return current_->stop(faults, rng); }

 private:
  Partition shapes_[3] = {Partition(PartitionShape::halves), Partition(PartitionShape::isolate_one),
                          Partition(PartitionShape::isolate_leader)};
  Partition* current_ = nullptr;
};

}  // namespace

Result<NemesisPtr> make_partition(const std::string& option) {
  if (option.empty()) return NemesisPtr(std::make_unique<AnyPartition>());
  if (option == "halves") return NemesisPtr(std::make_unique<Partition>(PartitionShape::halves));
  if (option == "one") return NemesisPtr(std::make_unique<Partition>(PartitionShape::isolate_one));
  if (option == "leader")
    return NemesisPtr(std::make_unique<Partition>(PartitionShape::isolate_leader));
  return fail("unknown partition shape \"" + option + "\" (known: halves, one, leader)");
}

}  // namespace faultline::nemesis
