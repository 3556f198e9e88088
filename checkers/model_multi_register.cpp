// multi-register: Knossos' `:txn` model (research/jepsen.md section 2.2). An op is a list of
// micro-ops [f, register, value] with f "read" or "write", applied atomically. A read whose
// value is null constrains nothing (Knossos: an unknown read). Registers absent from the
// initial object start as null. States are interned vectors of value ids; transitions are
// memoized.
#include <map>

#include "checkers/models.h"
#include "checkers/value_interner.h"

namespace faultline {
namespace {

struct MicroOp {
  bool is_write;
  uint32_t register_slot;
  uint32_t value;
};

struct Transaction {
  std::vector<MicroOp> micro_ops;
  bool constrains_or_writes = false;
};

class MultiRegisterModel final : public SequentialModel {
 public:
  explicit MultiRegisterModel(const Json& initial) {
    null_value_ = values_.intern(nullptr);
    if (initial.is_object()) {
      for (const auto& [name, value] : initial.items()) {
        slots_.emplace(name, static_cast<uint32_t>(initial_values_.size()));
        initial_values_.push_back(values_.intern(value));
      }
    }
  }

  Result<ModelOpId> add_op(const Op& invoke, const Op* completion,
                           const std::string& where) override {
    if (invoke.f != "txn")
      return fail(where + ": the multi-register model has no operation \"" + invoke.f +
                  "\" (expected txn)");
    const Json& value = completion != nullptr ? completion->value : invoke.value;
    if (!value.is_array()) return fail(where + ": a txn value must be a list of micro-ops");
    Transaction txn;
    for (const Json& micro : value) {
      if (!micro.is_array() || micro.size() != 3 || !micro[0].is_string())
        return fail(where + ": a micro-op must be [read|write, register, value], got " +
                    micro.dump());
      std::string f = micro[0].get<std::string>();
      if (f != "read" && f != "write")
        return fail(where + ": unknown micro-op \"" + f + "\" (expected read, write)");
      bool is_write = f == "write";
      bool unknown_read = !is_write && (completion == nullptr || micro[2].is_null());
      if (unknown_read) continue;
      txn.micro_ops.push_back(MicroOp{is_write, slot(micro[1]), values_.intern(micro[2])});
      txn.constrains_or_writes = true;
    }
    transactions_.push_back(std::move(txn));
    return static_cast<ModelOpId>(transactions_.size() - 1);
  }

  StateId initial_state() override {
    std::vector<uint32_t> state = initial_values_;
    state.resize(slots_.size(), null_value_);
    return states_.intern(state);
  }

  bool step(StateId state, ModelOpId id, StateId& next) override {
    if (const uint64_t* known = memo_.find(state, id)) {
      next = *known == TransitionMemo::kIllegal ? state : *known;
      return *known != TransitionMemo::kIllegal;
    }
    std::vector<uint32_t> registers = states_.sequence(static_cast<uint32_t>(state));
    registers.resize(slots_.size(), null_value_);
    bool legal = true;
    for (const MicroOp& micro : transactions_[id].micro_ops) {
      if (micro.is_write) {
        registers[micro.register_slot] = micro.value;
      } else if (registers[micro.register_slot] != micro.value) {
        legal = false;
        break;
      }
    }
    next = legal ? states_.intern(registers) : state;
    memo_.store(state, id, legal ? next : TransitionMemo::kIllegal);
    return legal;
  }

  bool is_unconstrained_noop(ModelOpId id) const override {
    return !transactions_[id].constrains_or_writes;
  }

  bool is_observer(ModelOpId id) const override {
    for (const MicroOp& micro : transactions_[id].micro_ops) {
      if (micro.is_write) return false;
    }
    return true;
  }

  uint64_t op_signature(ModelOpId id) const override { return unique_signature(id); }

  Json describe_state(StateId state) const override {
    const auto& registers = states_.sequence(static_cast<uint32_t>(state));
    Json described = Json::object();
    for (const auto& [name, slot] : slots_) {
      described[name] = values_.value(slot < registers.size() ? registers[slot] : null_value_);
    }
    return described;
  }

  size_t memory_bytes() const override {
    return values_.memory_bytes() + states_.memory_bytes() + memo_.memory_bytes();
  }

 private:
  uint32_t slot(const Json& name) {
    std::string text = name.is_string() ? name.get<std::string>() : name.dump();
    return slots_.emplace(text, static_cast<uint32_t>(slots_.size())).first->second;
  }

  ValueInterner values_;
  SequenceInterner states_;
  TransitionMemo memo_;
  std::map<std::string, uint32_t> slots_;  // register name -> index in a state
  std::vector<uint32_t> initial_values_;
  std::vector<Transaction> transactions_;
  uint32_t null_value_ = 0;
};

}  // namespace

std::unique_ptr<SequentialModel> make_multi_register_model(const Json& initial) {
  return std::make_unique<MultiRegisterModel>(initial);
}

}  // namespace faultline
