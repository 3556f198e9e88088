#pragma once
// What the nemesis has done to the links (cuts and qualities), and the quality a message on
// a directed link gets: one table both worlds keep, so a fault means the same in the
// simulator and in a real cluster. Endpoints below node_count are nodes, the rest clients.
#include <map>
#include <optional>
#include <set>
#include <utility>
#include <vector>

#include "framework/fault_api.h"
#include "framework/random.h"

namespace faultline {

// What a link does to one message: the delay of each copy it delivers (none when the message
// is lost, two when it is duplicated, each its own delay, so jitter reorders), drawn in this
// order from rng. Both worlds draw through here.
std::vector<int64_t> draw_copy_delays(const LinkQuality& quality, Rng& rng);

class LinkRules {
 public:
  LinkRules(int node_count, const LinkQuality& default_link) : node_count_(node_count), default_link_(default_link) {}

  void cut(EndpointId from, EndpointId to) { cut_links_.insert({from, to}); }
  void heal(EndpointId from, EndpointId to) { cut_links_.erase({from, to}); }
  void heal_all() { cut_links_.clear(); }
  bool is_cut(EndpointId from, EndpointId to) const { return cut_links_.count({from, to}) > 0; }

  void set_quality(EndpointId from, EndpointId to, const LinkQuality& quality);
  void reset_quality(EndpointId from, EndpointId to) { link_overrides_.erase({from, to}); }
  void set_client_quality(EndpointId node, ClientLinks links, const LinkQuality& quality);
  void reset_client_quality(EndpointId node, ClientLinks links) { client_link_overrides_.erase({node, links}); }
  void reset_qualities();
  // The link's own override, else its clients' rule (client -> node: the node's requests;
  // node -> client: its replies), else the default.
  const LinkQuality& quality(EndpointId from, EndpointId to) const;
  const LinkQuality& default_link() const { return default_link_; }

 private:
  int node_count_;
  LinkQuality default_link_;
  std::set<std::pair<EndpointId, EndpointId>> cut_links_;
  std::map<std::pair<EndpointId, EndpointId>, LinkQuality> link_overrides_;
  std::map<std::pair<EndpointId, ClientLinks>, LinkQuality> client_link_overrides_;  // by node
};

}  // namespace faultline
