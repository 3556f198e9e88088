#include "framework/link_rules.h"

#include "base/assert.h"

namespace faultline {

void LinkRules::set_quality(EndpointId from, EndpointId to, const LinkQuality& quality) {
  if (quality == default_link_)
    link_overrides_.erase({from, to});
  else
    link_overrides_[{from, to}] = quality;
}

void LinkRules::set_client_quality(EndpointId node, ClientLinks links, const LinkQuality& quality) {
  FAULTLINE_ASSERT(node >= 0 && node < node_count_, "client links are a node's");
  client_link_overrides_[{node, links}] = quality;
}

void LinkRules::reset_qualities() {
  link_overrides_.clear();
  client_link_overrides_.clear();
}

std::vector<int64_t> draw_copy_delays(const LinkQuality& quality, Rng& rng) {
  if (rng.chance(quality.loss_probability)) return {};
  const int copies = rng.chance(quality.duplicate_probability) ? 2 : 1;
  std::vector<int64_t> delays_ns;
  for (int copy = 0; copy < copies; ++copy)
    delays_ns.push_back(quality.latency_ns_base + rng.between(0, quality.latency_ns_jitter));
  return delays_ns;
}

const LinkQuality& LinkRules::quality(EndpointId from, EndpointId to) const {
  if (link_overrides_.empty() && client_link_overrides_.empty()) return default_link_;
  if (auto it = link_overrides_.find({from, to}); it != link_overrides_.end()) return it->second;
  if (client_link_overrides_.empty()) return default_link_;
  std::optional<std::pair<EndpointId, ClientLinks>> rule;
  if (from >= node_count_ && to < node_count_) rule = {to, ClientLinks::requests};
  if (from < node_count_ && to >= node_count_) rule = {from, ClientLinks::replies};
  if (!rule) return default_link_;
  auto it = client_link_overrides_.find(*rule);
  return it == client_link_overrides_.end() ? default_link_ : it->second;
}

}  // namespace faultline
