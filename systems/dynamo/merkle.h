#pragma once
// A Merkle tree over a set of keys (Merkle 1987; Dynamo, DeCandia et al. 2007, 4.7; Riak's
// active anti-entropy hashtrees): the key-hash space is cut into 2^kDepth buckets, a leaf is
// the hash of its bucket's (key, state digest) pairs in key order, and a parent is the hash
// of its two children. Two replicas compare roots, then descend only into the subtrees
// whose hashes differ, so keys in sync cost nothing to confirm.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace faultline::dynamo {

class MerkleTree {
 public:
  static constexpr int kDepth = 6;  // 64 leaves

  // key -> digest of the key's state.
  explicit MerkleTree(const std::map<std::string, uint64_t>& digests);

  uint64_t root() const { return levels_[0][0]; }
  // Level 0 is the root; level kDepth holds the leaves. 0 is the hash of an empty subtree.
  uint64_t hash_at(int level, int index) const;
  static int width(int level) { return 1 << level; }
  static int leaf_of(const std::string& key);

 private:
  std::vector<std::vector<uint64_t>> levels_;
};

}  // namespace faultline::dynamo
