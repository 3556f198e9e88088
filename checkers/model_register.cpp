// register, cas-register and kv (one cas-register per key; the key split happens before the
// model sees the ops). Semantics (DESIGN.md, "Clients and histories"; issue 5):
//  - read: invoke value null, ok value = the value read; null means never written (the
//    register's initial state is null unless --initial says otherwise);
//  - write v: the register becomes v;
//  - cas [expected, new]: ok = it happened, so the value was `expected`; fail = it did not
//    happen (dropped before the model), except a fail with error "mismatch", which is also
//    an observation that the value was not `expected` (etcd / Porcupine semantics);
//  - unknown outcome (info): a read constrains nothing; a write applies; a cas applies iff the
//    value matches when it takes effect.
#include "checkers/models.h"

#include <optional>
#include <unordered_set>

#include "checkers/value_interner.h"

namespace faultline {
namespace {

enum class RegisterOpKind : uint8_t { read, write, cas, cas_unknown, cas_mismatch, noop };

struct RegisterOp {
  RegisterOpKind kind;
  uint32_t first;   // read: value read; write: value; cas: expected
  uint32_t second;  // cas: new value
};

class RegisterModel final : public SequentialModel {
 public:
  RegisterModel(bool allow_cas, const Json& initial) : allow_cas_(allow_cas) {
    initial_ = values_.intern(initial);
  }

  Result<ModelOpId> add_op(const Op& invoke, const Op* completion,
                           const std::string& where) override {
    BOOST_OUTCOME_TRY(op, compile(invoke, completion, where));
    ops_.push_back(op);
    unknown_outcome_.push_back(completion == nullptr);
    return static_cast<ModelOpId>(ops_.size() - 1);
  }

  StateId initial_state() override { return initial_; }

  bool step(StateId state, ModelOpId id, StateId& next) override {
    const RegisterOp& op = ops_[id];
    switch (op.kind) {
      case RegisterOpKind::read: next = state; return state == op.first;
      case RegisterOpKind::write: next = op.first; return true;
      case RegisterOpKind::cas: next = op.second; return state == op.first;
      case RegisterOpKind::cas_unknown: next = state == op.first ? op.second : state; return true;
      case RegisterOpKind::cas_mismatch: next = state; return state != op.first;
      case RegisterOpKind::noop: next = state; return true;
    }
    return false;
  }

  bool is_unconstrained_noop(ModelOpId id) const override {
    return ops_[id].kind == RegisterOpKind::noop;
  }

  // An op of unknown outcome whose written value no op observes (no read returns it, no cas
  // expects it) can be dropped when the partition has no mismatch observation: in any legal
  // order, the ops between it and the next write are then no-ops of unknown outcome (none can
  // observe its value), and removing it with them leaves a legal order. With fresh write
  // values, this removes most timed-out writes, which otherwise multiply the orders to try.
  bool is_irrelevant(ModelOpId id) override {
    const RegisterOp& op = ops_[id];
    if (op.kind != RegisterOpKind::write && op.kind != RegisterOpKind::cas_unknown) return false;
    if (!unknown_outcome_[id]) return false;
    if (!observed_) collect_observed();
    if (has_mismatch_) return false;
    uint32_t written = op.kind == RegisterOpKind::write ? op.first : op.second;
    return !observed_->contains(written);
  }

  bool is_observer(ModelOpId id) const override {
    return ops_[id].kind == RegisterOpKind::read || ops_[id].kind == RegisterOpKind::cas_mismatch;
  }

  uint64_t op_signature(ModelOpId id) const override {
    const RegisterOp& op = ops_[id];
    return pack_signature(static_cast<uint64_t>(op.kind), op.first, op.second, id);
  }

  Json describe_state(StateId state) const override {
    return values_.value(static_cast<uint32_t>(state));
  }

  size_t memory_bytes() const override {
    return values_.memory_bytes() + ops_.capacity() * sizeof(RegisterOp);
  }

 private:
  void collect_observed() {
    observed_.emplace();
    for (const RegisterOp& op : ops_) {
      if (op.kind == RegisterOpKind::read || op.kind == RegisterOpKind::cas ||
          op.kind == RegisterOpKind::cas_unknown)
        observed_->insert(op.first);
      has_mismatch_ |= op.kind == RegisterOpKind::cas_mismatch;
    }
  }

  Result<RegisterOp> compile(const Op& invoke, const Op* completion, const std::string& where) {
    const bool known = completion != nullptr;
    const bool mismatch = known && completion->type == OpType::fail;
    if (invoke.f == "read") {
      if (!known) return RegisterOp{RegisterOpKind::noop, 0, 0};
      return RegisterOp{RegisterOpKind::read, values_.intern(completion->value), 0};
    }
    if (invoke.f == "write") {
      return RegisterOp{RegisterOpKind::write, values_.intern(invoke.value), 0};
    }
    if (invoke.f == "cas" && allow_cas_) {
      const Json& value = known ? completion->value : invoke.value;
      if (!value.is_array() || value.size() != 2)
        return fail(where + ": cas value must be [expected, new], got " + value.dump());
      uint32_t expected = values_.intern(value[0]);
      uint32_t replacement = values_.intern(value[1]);
      if (mismatch) return RegisterOp{RegisterOpKind::cas_mismatch, expected, replacement};
      return RegisterOp{known ? RegisterOpKind::cas : RegisterOpKind::cas_unknown, expected,
                        replacement};
    }
    return fail(where + ": the " + std::string(allow_cas_ ? "cas-register" : "register") +
                " model has no operation \"" + invoke.f + "\" (expected read, write" +
                (allow_cas_ ? ", cas)" : ")"));
  }

  bool allow_cas_;
  ValueInterner values_;
  std::vector<RegisterOp> ops_;
  std::vector<bool> unknown_outcome_;
  std::optional<std::unordered_set<uint32_t>> observed_;  // values some op observes
  bool has_mismatch_ = false;
  StateId initial_ = 0;
};

}  // namespace

std::unique_ptr<SequentialModel> make_register_model(bool allow_cas, const Json& initial) {
  return std::make_unique<RegisterModel>(allow_cas, initial);
}

}  // namespace faultline
