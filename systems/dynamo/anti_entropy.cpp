// Anti-entropy with Merkle trees (Dynamo 4.7; Riak's active anti-entropy). On a timer a node
// picks a peer and compares the trees of the keys both own: a root that matches ends the
// exchange; otherwise the two descend level by level, each time sending only the hashes of
// the children of nodes that differed, and at the leaves they swap the keys of the differing
// buckets and merge them. Replicas that missed writes, hints or repairs converge this way.
// A node also starts an exchange with a peer as soon as it hears from it after a silence
// (node.cpp), as Cassandra replays hints when gossip sees a node come back: after a partition
// heals the replicas catch up at once instead of waiting for a random pick of that pair.
#include "systems/dynamo/node.h"

namespace faultline::dynamo {

void DynamoNode::start_anti_entropy() {
  if (env_.node_count() < 2) return;
  int peer = static_cast<int>(env_.rng().below(static_cast<uint64_t>(env_.node_count() - 1)));
  if (peer >= self_) ++peer;
  exchange_with(peer);
}

void DynamoNode::exchange_with(int peer) {
  FAULTLINE_ASSERT(is_node(peer) && peer != self_, "anti-entropy is with another node");
  ++telemetry_.anti_entropy_exchanges;
  const MerkleTree tree(shared_digests(peer, ring_));
  send(peer, AeCompare{.session = next_id(), .level = 0, .indexes = {0}, .hashes = {tree.root()}, .ring = ring_json()});
}

void DynamoNode::handle_ae_compare(int from, const AeCompare& compare) {
  FAULTLINE_ASSERT(is_node(from), "an anti-entropy compare comes from a node");
  merge_ring(compare.ring);
  const MerkleTree tree(shared_digests(from, ring_));
  std::vector<int> differing;
  for (size_t i = 0; i < compare.indexes.size() && i < compare.hashes.size(); ++i)
    if (tree.hash_at(compare.level, compare.indexes[i]) != compare.hashes[i]) differing.push_back(compare.indexes[i]);
  if (differing.empty()) return;
  if (compare.level == MerkleTree::kDepth) {
    send(from, AeSync{.session = compare.session, .leaves = differing, .states = states_in_leaves(from, differing),
                      .ring = ring_json()});
    return;
  }
  AeCompare deeper{.session = compare.session, .level = compare.level + 1, .ring = ring_json()};
  for (int index : differing)
    for (int child : {2 * index, 2 * index + 1}) {
      deeper.indexes.push_back(child);
      deeper.hashes.push_back(tree.hash_at(compare.level + 1, child));
    }
  send(from, std::move(deeper));
}

void DynamoNode::handle_ae_sync(int from, const AeSync& sync) {
  FAULTLINE_ASSERT(is_node(from), "an anti-entropy sync comes from a node");
  merge_ring(sync.ring);
  for (const Json& entry : sync.states) {
    const std::string key = entry.at(0).get<std::string>();
    if (!owns(key)) continue;
    auto state = state_from_json(entry.at(1));
    if (state && merge_into_data(key, state.value())) ++telemetry_.anti_entropy_keys;
  }
  if (sync.reply) return;
  send(from, AeSync{.session = sync.session, .reply = true, .leaves = sync.leaves,
                    .states = states_in_leaves(from, sync.leaves), .ring = ring_json()});
}

Json DynamoNode::states_in_leaves(int peer, const std::vector<int>& leaves) const {
  Json out = Json::array();
  for (const auto& [key, digest] : shared_digests(peer, ring_)) {
    if (std::find(leaves.begin(), leaves.end(), MerkleTree::leaf_of(key)) == leaves.end()) continue;
    const auto state = storage_.key(key);
    if (state) out.push_back({key, state_to_json(*state)});
  }
  return out;
}

}  // namespace faultline::dynamo
