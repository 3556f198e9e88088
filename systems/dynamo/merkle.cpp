#include "systems/dynamo/merkle.h"

#include "base/assert.h"
#include "framework/random.h"
#include "systems/dynamo/ring.h"

namespace faultline::dynamo {

namespace {

uint64_t combine(uint64_t left, uint64_t right) {
  if (left == 0 && right == 0) return 0;  // an empty subtree hashes to 0 on every replica
  uint64_t state = left * 0x9e3779b97f4a7c15ULL ^ right;
  return splitmix64(state) | 1;  // never 0 for a non-empty subtree
}

}  // namespace

int MerkleTree::leaf_of(const std::string& key) {
  return static_cast<int>(Ring::key_hash(key) >> (64 - kDepth));
}

MerkleTree::MerkleTree(const std::map<std::string, uint64_t>& digests) : levels_(kDepth + 1) {
  for (int level = 0; level <= kDepth; ++level) levels_[level].assign(width(level), 0);
  // std::map iterates keys in order, so each leaf folds its keys in one order everywhere.
  for (const auto& [key, digest] : digests) {
    uint64_t& leaf = levels_[kDepth][leaf_of(key)];
    leaf = combine(leaf, combine(stable_hash(key), digest));
  }
  for (int level = kDepth - 1; level >= 0; --level)
    for (int i = 0; i < width(level); ++i)
      levels_[level][i] = combine(levels_[level + 1][2 * i], levels_[level + 1][2 * i + 1]);
}

uint64_t MerkleTree::hash_at(int level, int index) const {
  FAULTLINE_ASSERT(level >= 0 && level <= kDepth && index >= 0 && index < width(level), "a node of the tree");
  return levels_[level][index];
}

}  // namespace faultline::dynamo
