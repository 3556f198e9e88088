// set and fifo queue (Knossos' set and fifo-queue models, research/jepsen.md section 2.2).
//  - set: add x; read returns the whole set (a list, order ignored) and must equal it exactly.
//  - queue: enqueue x; dequeue returns the head; an ok dequeue of null means the queue was
//    empty. A dequeue with an unknown outcome removes the head if there is one.
// States are interned sorted (set) or ordered (queue) sequences of value ids.
#include <algorithm>

#include "checkers/models.h"
#include "checkers/value_interner.h"

namespace faultline {
namespace {

enum class CollectionOpKind : uint8_t { add, read, enqueue, dequeue, dequeue_empty,
                                        dequeue_unknown, noop };

struct CollectionOp {
  CollectionOpKind kind;
  uint32_t value;  // element id, or for a set read the interned set
};

class CollectionModel final : public SequentialModel {
 public:
  CollectionModel(bool is_queue, const Json& initial) : is_queue_(is_queue) {
    SequenceInterner::Sequence elements;
    if (initial.is_array()) {
      for (const Json& element : initial) elements.push_back(values_.intern(element));
    }
    if (!is_queue_) normalize(elements);
    initial_ = sets_.intern(elements);
  }

  Result<ModelOpId> add_op(const Op& invoke, const Op* completion,
                           const std::string& where) override {
    BOOST_OUTCOME_TRY(op, compile(invoke, completion, where));
    ops_.push_back(op);
    return static_cast<ModelOpId>(ops_.size() - 1);
  }

  StateId initial_state() override { return initial_; }

  bool step(StateId state, ModelOpId id, StateId& next) override {
    const CollectionOp& op = ops_[id];
    next = state;
    switch (op.kind) {
      case CollectionOpKind::read: return state == op.value;
      case CollectionOpKind::noop: return true;
      case CollectionOpKind::dequeue_empty: return sets_.sequence(static_cast<uint32_t>(state)).empty();
      default: break;
    }
    if (const uint64_t* known = memo_.find(state, id)) {
      if (*known == TransitionMemo::kIllegal) return false;
      next = *known;
      return true;
    }
    bool legal = apply(state, op, next);
    memo_.store(state, id, legal ? next : TransitionMemo::kIllegal);
    return legal;
  }

  bool is_unconstrained_noop(ModelOpId id) const override {
    return ops_[id].kind == CollectionOpKind::noop;
  }

  bool is_observer(ModelOpId id) const override {
    return ops_[id].kind == CollectionOpKind::read || ops_[id].kind == CollectionOpKind::dequeue_empty;
  }

  uint64_t op_signature(ModelOpId id) const override {
    return pack_signature(static_cast<uint64_t>(ops_[id].kind), ops_[id].value, 0, id);
  }

  Json describe_state(StateId state) const override {
    Json elements = Json::array();
    for (uint32_t element : sets_.sequence(static_cast<uint32_t>(state)))
      elements.push_back(values_.value(element));
    return elements;
  }

  size_t memory_bytes() const override {
    return values_.memory_bytes() + sets_.memory_bytes() + memo_.memory_bytes();
  }

 private:
  void normalize(SequenceInterner::Sequence& elements) const {
    std::sort(elements.begin(), elements.end());
    elements.erase(std::unique(elements.begin(), elements.end()), elements.end());
  }

  bool apply(StateId state, const CollectionOp& op, StateId& next) {
    SequenceInterner::Sequence elements = sets_.sequence(static_cast<uint32_t>(state));
    switch (op.kind) {
      case CollectionOpKind::add:
        elements.push_back(op.value);
        normalize(elements);
        break;
      case CollectionOpKind::enqueue: elements.push_back(op.value); break;
      case CollectionOpKind::dequeue:
        if (elements.empty() || elements.front() != op.value) return false;
        elements.erase(elements.begin());
        break;
      case CollectionOpKind::dequeue_unknown:
        if (!elements.empty()) elements.erase(elements.begin());
        break;
      default: return false;
    }
    next = sets_.intern(elements);
    return true;
  }

  Result<CollectionOp> compile(const Op& invoke, const Op* completion, const std::string& where) {
    const bool known = completion != nullptr;
    if (!is_queue_ && invoke.f == "add")
      return CollectionOp{CollectionOpKind::add, values_.intern(invoke.value)};
    if (!is_queue_ && invoke.f == "read") {
      if (!known) return CollectionOp{CollectionOpKind::noop, 0};
      if (!completion->value.is_array())
        return fail(where + ": a set read must return a list of elements");
      SequenceInterner::Sequence elements;
      for (const Json& element : completion->value) elements.push_back(values_.intern(element));
      normalize(elements);
      return CollectionOp{CollectionOpKind::read, sets_.intern(elements)};
    }
    if (is_queue_ && invoke.f == "enqueue")
      return CollectionOp{CollectionOpKind::enqueue, values_.intern(invoke.value)};
    if (is_queue_ && invoke.f == "dequeue") {
      if (!known) return CollectionOp{CollectionOpKind::dequeue_unknown, 0};
      if (completion->value.is_null()) return CollectionOp{CollectionOpKind::dequeue_empty, 0};
      return CollectionOp{CollectionOpKind::dequeue, values_.intern(completion->value)};
    }
    return fail(where + ": the " + std::string(is_queue_ ? "queue" : "set") +
                " model has no operation \"" + invoke.f + "\" (expected " +
                (is_queue_ ? "enqueue, dequeue)" : "add, read)"));
  }

  bool is_queue_;
  ValueInterner values_;
  SequenceInterner sets_;
  TransitionMemo memo_;
  std::vector<CollectionOp> ops_;
  StateId initial_ = 0;
};

}  // namespace

std::unique_ptr<SequentialModel> make_set_model(const Json& initial) {
  return std::make_unique<CollectionModel>(false, initial);
}

std::unique_ptr<SequentialModel> make_queue_model(const Json& initial) {
  return std::make_unique<CollectionModel>(true, initial);
}

}  // namespace faultline
