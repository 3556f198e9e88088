#pragma once
// A sequential specification compiled for the linearizability search. Each model instance
// serves one partition (one key): operations are compiled once into small structs and
// states are 64-bit ids (values and collections are interned), so a search step is a few
// integer comparisons and the search's cache key is a bitset plus one word (Lowe's
// memoization needs cheap state equality and hashing; research/lin-tester.md, trick 5).
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "base/result.h"
#include "histories/op.h"

namespace faultline {

using StateId = uint64_t;
using ModelOpId = uint32_t;

class SequentialModel {
 public:
  virtual ~SequentialModel() = default;

  // Compiles one operation of this partition and returns its id (ids are dense, in call
  // order). `completion` is the ok/fail completion, or nullptr when the outcome is unknown
  // (info, or never completed): the op may then have happened with any result. A `fail`
  // completion reaches the model only when it is an observation (a cas that failed because
  // the value differed, error "mismatch"); other failed ops are dropped before.
  // `where` prefixes errors ("op index 12").
  virtual Result<ModelOpId> add_op(const Op& invoke, const Op* completion,
                                   const std::string& where) = 0;

  virtual StateId initial_state() = 0;

  // Applies op to state. Returns false when the op cannot have taken effect in `state`
  // (its observed result contradicts it).
  virtual bool step(StateId state, ModelOpId op, StateId& next_state) = 0;

  // An op that neither constrains nor changes the state (e.g. a read whose result is
  // unknown) cannot change a verdict, so the search drops it.
  virtual bool is_unconstrained_noop(ModelOpId op) const = 0;

  // Asked once every op of the partition is added: an op whose presence cannot change
  // whether a legal order exists, given all the others (see the register model).
  virtual bool is_irrelevant(ModelOpId) { return false; }

  // An op that never changes the state (a read, a failed-cas observation). The search
  // commits to such an op as soon as it is legal: moving it earlier in any legal order keeps
  // the order legal, so no alternative needs to be tried there.
  virtual bool is_observer(ModelOpId op) const = 0;

  // Ops with equal signatures have the same step function, so the search orders identical
  // concurrent ops by deadline instead of trying both orders (symmetry reduction).
  // unique_signature(op) makes no claim.
  virtual uint64_t op_signature(ModelOpId op) const = 0;

  virtual Json describe_state(StateId state) const = 0;

  // Bytes held by interning tables and memos, for the memory cap.
  virtual size_t memory_bytes() const = 0;
};

inline uint64_t unique_signature(ModelOpId op) { return (uint64_t{1} << 63) | op; }

// An exact signature from a small kind and two ids; unique when an id does not fit.
inline uint64_t pack_signature(uint64_t kind, uint64_t first, uint64_t second, ModelOpId op) {
  constexpr uint64_t kLimit = uint64_t{1} << 28;
  if (kind >= 128 || first >= kLimit || second >= kLimit) return unique_signature(op);
  return (kind << 56) | (first << 28) | second;
}

// Model names: register, cas-register, kv, append-kv, multi-register, set, counter, queue,
// mutex. Validates `initial` for the model.
Result<void> validate_model(const std::string& name, const Json& initial);

// One fresh instance per partition (models intern values, so they are not shared between
// threads). Call validate_model first; an unknown name is then a broken invariant.
std::unique_ptr<SequentialModel> make_model(const std::string& name, const Json& initial);

std::vector<std::string> model_names();

}  // namespace faultline
