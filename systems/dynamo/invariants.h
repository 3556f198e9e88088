#pragma once
// White-box invariants of the Dynamo store, checked after every simulated event
// (--check-invariants):
//   lattice growth    a replica's state of a key only grows in its lattice (a CRDT's merge
//                     is an upper bound of the old state); in particular a version vector
//                     never goes back, while the replica keeps the key
//   hint delivery     a hint is deleted only once its owner durably held a state covering it
//   Merkle agreement  two replicas' Merkle roots over the keys they share agree exactly when
//                     their copies of those keys do
// A node that is down keeps its durable state, which the checker remembers.
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "framework/system.h"
#include "systems/dynamo/key_state.h"
#include "systems/dynamo/storage.h"

namespace faultline::dynamo {

class DynamoNode;

class DynamoInvariants final : public InvariantChecker {
 public:
  std::optional<std::string> check(std::span<Node* const> nodes) override;

 private:
  struct TrackedHint {
    KeyState state;
    bool owner_covered = false;  // the owner has held a state covering it since it last changed
  };
  struct Seen {
    std::map<std::string, KeyState> data;
    std::map<HintKey, TrackedHint> hints;
    uint64_t fingerprint = 0;  // of data and ring, to skip unchanged Merkle pairs
    const DynamoNode* node = nullptr;  // the incarnation last checked, and its storage's
    uint64_t changes = 0;              // change count then: unchanged nodes are skipped
  };
  bool changed_since_last_check(int id, const DynamoNode& node) const;
  std::optional<std::string> check_growth(int id, const DynamoNode& node);
  std::optional<std::string> check_hints(int id, const DynamoNode& node, std::span<Node* const> nodes);
  std::optional<std::string> check_merkle(std::span<Node* const> nodes);
  std::optional<KeyState> owner_state(int owner, const std::string& key, std::span<Node* const> nodes) const;

  std::vector<Seen> seen_;
  std::map<std::pair<int, int>, std::pair<uint64_t, uint64_t>> merkle_checked_;  // pair -> fingerprints
};

}  // namespace faultline::dynamo
