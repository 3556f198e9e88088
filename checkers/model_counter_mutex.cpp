// counter and mutex, the two models whose state is a plain integer.
//  - counter: add n (value n; "increment" is add 1) and read n. Initial 0 unless --initial.
//  - mutex (Knossos): acquire needs it free, release needs it held. Initial: free, or held
//    when --initial is true or "locked".
#include "checkers/models.h"

namespace faultline {
namespace {

enum class IntOpKind : uint8_t { add, read, acquire, release, noop };

struct IntOp {
  IntOpKind kind;
  int64_t value;
};

class IntegerModel final : public SequentialModel {
 public:
  IntegerModel(bool is_mutex, int64_t initial) : is_mutex_(is_mutex), initial_(initial) {}

  Result<ModelOpId> add_op(const Op& invoke, const Op* completion,
                           const std::string& where) override {
    BOOST_OUTCOME_TRY(op, compile(invoke, completion, where));
    ops_.push_back(op);
    return static_cast<ModelOpId>(ops_.size() - 1);
  }

  StateId initial_state() override { return static_cast<StateId>(initial_); }

  bool step(StateId state, ModelOpId id, StateId& next) override {
    const IntOp& op = ops_[id];
    const auto value = static_cast<int64_t>(state);
    next = state;
    switch (op.kind) {
      case IntOpKind::add: next = static_cast<StateId>(value + op.value); return true;
      case IntOpKind::read: return value == op.value;
      case IntOpKind::acquire: next = 1; return value == 0;
      case IntOpKind::release: next = 0; return value == 1;
      case IntOpKind::noop: return true;
    }
    return false;
  }

  bool is_unconstrained_noop(ModelOpId id) const override {
    return ops_[id].kind == IntOpKind::noop;
  }

  bool is_observer(ModelOpId id) const override { return ops_[id].kind == IntOpKind::read; }

  uint64_t op_signature(ModelOpId id) const override {
    const IntOp& op = ops_[id];
    if (op.value < 0) return unique_signature(id);
    return pack_signature(static_cast<uint64_t>(op.kind), static_cast<uint64_t>(op.value), 0, id);
  }

  Json describe_state(StateId state) const override {
    if (is_mutex_) return state == 1 ? "held" : "free";
    return static_cast<int64_t>(state);
  }

  size_t memory_bytes() const override { return ops_.capacity() * sizeof(IntOp); }

 private:
  Result<IntOp> compile(const Op& invoke, const Op* completion, const std::string& where) const {
    if (is_mutex_) {
      if (invoke.f == "acquire") return IntOp{IntOpKind::acquire, 0};
      if (invoke.f == "release") return IntOp{IntOpKind::release, 0};
      return fail(where + ": the mutex model has no operation \"" + invoke.f +
                  "\" (expected acquire, release)");
    }
    if (invoke.f == "add" || invoke.f == "increment") {
      if (invoke.value.is_null() && invoke.f == "increment") return IntOp{IntOpKind::add, 1};
      if (!invoke.value.is_number_integer())
        return fail(where + ": a counter add needs an integer value");
      return IntOp{IntOpKind::add, invoke.value.get<int64_t>()};
    }
    if (invoke.f == "read") {
      if (completion == nullptr) return IntOp{IntOpKind::noop, 0};
      if (!completion->value.is_number_integer())
        return fail(where + ": a counter read must return an integer");
      return IntOp{IntOpKind::read, completion->value.get<int64_t>()};
    }
    return fail(where + ": the counter model has no operation \"" + invoke.f +
                "\" (expected add, increment, read)");
  }

  bool is_mutex_;
  int64_t initial_;
  std::vector<IntOp> ops_;
};

}  // namespace

std::unique_ptr<SequentialModel> make_counter_model(const Json& initial) {
  return std::make_unique<IntegerModel>(false, initial.is_number_integer() ? initial.get<int64_t>() : 0);
}

std::unique_ptr<SequentialModel> make_mutex_model(const Json& initial) {
  bool held = initial == Json(true) || initial == Json("locked") || initial == Json("held");
  return std::make_unique<IntegerModel>(true, held ? 1 : 0);
}

}  // namespace faultline
