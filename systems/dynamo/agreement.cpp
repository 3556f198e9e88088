#include "systems/dynamo/agreement.h"

#include "systems/dynamo/node.h"

namespace faultline::dynamo {

namespace {

// The key's owners under ring all hold it, with one digest.
bool owners_agree(const std::string& key, const Ring& ring, std::span<const DynamoNode* const> nodes) {
  std::optional<uint64_t> seen;
  for (int owner : ring.preference_list(Ring::key_hash(key))) {
    const auto& digests = nodes[static_cast<size_t>(owner)]->storage().digests();
    auto held = digests.find(key);
    if (held == digests.end() || (seen && *seen != held->second)) return false;
    seen = held->second;
  }
  return true;
}

}  // namespace

bool replicas_agree(std::span<Node* const> nodes) {
  std::vector<const DynamoNode*> up;
  for (Node* node : nodes) {
    const auto* dynamo = dynamic_cast<const DynamoNode*>(node);
    if (dynamo == nullptr) return false;  // down: its copy cannot be compared
    up.push_back(dynamo);
  }
  if (up.empty()) return true;
  const Ring& ring = up.front()->ring();
  for (const DynamoNode* node : up)
    if (!(node->ring() == ring) || !node->storage().hints().empty()) return false;
  for (const DynamoNode* node : up)
    for (const auto& [key, digest] : node->storage().digests())
      if (!owners_agree(key, ring, up)) return false;
  return true;
}

}  // namespace faultline::dynamo
