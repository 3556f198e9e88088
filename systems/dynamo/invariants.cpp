#include "systems/dynamo/invariants.h"

#include "framework/random.h"
#include "systems/dynamo/merkle.h"
#include "systems/dynamo/node.h"

namespace faultline::dynamo {

namespace {

std::string node_name(int id) { return "n" + std::to_string(id + 1); }

const DynamoNode* as_dynamo(Node* node) { return dynamic_cast<const DynamoNode*>(node); }

uint64_t fingerprint(const DynamoNode& node) {
  std::string text = node.ring().to_json().dump();
  for (const auto& [key, digest] : node.storage().digests()) text += key + ":" + std::to_string(digest) + ";";
  return stable_hash(text);
}

}  // namespace

bool DynamoInvariants::changed_since_last_check(int id, const DynamoNode& node) const {
  return seen_[id].node != &node || seen_[id].changes != node.storage().changes();
}

// Every invariant reads only durable state, so an event that changed no node's storage
// cannot break one (most events: timers, clients, messages that merge nothing new).
std::optional<std::string> DynamoInvariants::check(std::span<Node* const> nodes) {
  if (seen_.size() < nodes.size()) seen_.resize(nodes.size());
  bool any_changed = false;
  for (size_t i = 0; i < nodes.size(); ++i) {
    const DynamoNode* node = as_dynamo(nodes[i]);
    if (node == nullptr || !changed_since_last_check(static_cast<int>(i), *node)) continue;  // down: as seen last
    any_changed = true;
    if (auto broken = check_growth(static_cast<int>(i), *node)) return broken;
    seen_[i].fingerprint = fingerprint(*node);
    seen_[i].node = node;
    seen_[i].changes = node->storage().changes();
  }
  if (!any_changed) return std::nullopt;
  for (size_t i = 0; i < nodes.size(); ++i) {
    const DynamoNode* node = as_dynamo(nodes[i]);
    if (node == nullptr) continue;
    if (auto broken = check_hints(static_cast<int>(i), *node, nodes)) return broken;
  }
  return check_merkle(nodes);
}

std::optional<std::string> DynamoInvariants::check_growth(int id, const DynamoNode& node) {
  Seen& seen = seen_[id];
  for (const auto& [key, state] : node.storage().data()) {
    auto before = seen.data.find(key);
    if (before != seen.data.end() && !(before->second == state)) {
      const auto old_clock = state_clock(before->second);
      const auto new_clock = state_clock(state);
      if (old_clock && new_clock && !old_clock->included_in(*new_clock))
        return "vector clock went back: " + node_name(id) + " key " + key + " from " + old_clock->to_json().dump() +
               " to " + new_clock->to_json().dump();
      if (!state_leq(before->second, state))
        return "lattice: " + node_name(id) + "'s state of key " + key + " did not grow: " +
               state_to_json(before->second).dump() + " -> " + state_to_json(state).dump();
    }
  }
  // Keys the node dropped (handed off, reaped) start afresh if they come back.
  seen.data = node.storage().data();
  return std::nullopt;
}

std::optional<KeyState> DynamoInvariants::owner_state(int owner, const std::string& key,
                                                      std::span<Node* const> nodes) const {
  if (const DynamoNode* node = as_dynamo(nodes[owner])) return node->storage().key(key);
  auto it = seen_[owner].data.find(key);  // down: what it last held durably
  return it == seen_[owner].data.end() ? std::nullopt : std::optional<KeyState>(it->second);
}

std::optional<std::string> DynamoInvariants::check_hints(int id, const DynamoNode& node, std::span<Node* const> nodes) {
  Seen& seen = seen_[id];
  const auto& hints = node.storage().hints();
  for (const auto& [hint, tracked] : seen.hints) {
    if (hints.count(hint) || tracked.owner_covered) continue;
    return "hint deleted early: " + node_name(id) + " dropped its hint of key " + hint.second + " for " +
           node_name(hint.first) + " before that owner held it";
  }
  std::map<HintKey, TrackedHint> now;
  for (const auto& [hint, state] : hints) {
    auto before = seen.hints.find(hint);
    TrackedHint tracked{.state = state};
    if (before != seen.hints.end() && before->second.state == state) tracked.owner_covered = before->second.owner_covered;
    if (!tracked.owner_covered) {
      const auto held = owner_state(hint.first, hint.second, nodes);
      tracked.owner_covered = held && state_leq(state, *held);
    }
    now.emplace(hint, std::move(tracked));
  }
  seen.hints = std::move(now);
  return std::nullopt;
}

std::optional<std::string> DynamoInvariants::check_merkle(std::span<Node* const> nodes) {
  for (size_t i = 0; i < nodes.size(); ++i) {
    for (size_t j = i + 1; j < nodes.size(); ++j) {
      const DynamoNode* a = as_dynamo(nodes[i]);
      const DynamoNode* b = as_dynamo(nodes[j]);
      if (a == nullptr || b == nullptr) continue;
      const std::pair<uint64_t, uint64_t> prints{seen_[i].fingerprint, seen_[j].fingerprint};
      auto& checked = merkle_checked_[{static_cast<int>(i), static_cast<int>(j)}];
      if (checked == prints) continue;
      checked = prints;
      Ring ring = a->ring();
      ring.merge(b->ring());
      const auto mine = a->shared_digests(b->id(), ring);
      const auto theirs = b->shared_digests(a->id(), ring);
      const bool roots_agree = MerkleTree(mine).root() == MerkleTree(theirs).root();
      if (roots_agree != (mine == theirs))
        return "Merkle roots of " + node_name(a->id()) + " and " + node_name(b->id()) +
               (roots_agree ? " agree while their shared keys differ" : " differ while their shared keys agree");
    }
  }
  return std::nullopt;
}

}  // namespace faultline::dynamo
