#include "systems/dynamo/delete_workload.h"

namespace faultline::dynamo {

namespace {

constexpr uint64_t kDeleteOneWriteIn = 3;

// The workload's weighted read/write mix, with every third write (drawn) turned into a delete.
class WithDeletes final : public Generator {
 public:
  explicit WithDeletes(GeneratorPtr mix) : mix_(std::move(mix)) {}

  GenResult next(const GenContext& context) override {
    GenResult result = mix_->next(context);
    auto* op = std::get_if<ClientOp>(&result);
    if (op != nullptr && op->f == "write" && context.rng->below(kDeleteOneWriteIn) == 0) op->value = Json();
    return result;
  }

 private:
  GeneratorPtr mix_;
};

}  // namespace

WorkloadEntry register_delete_workload() {
  WorkloadEntry entry{
      .name = "register-delete",
      .description = "read / write per key, a third of the writes deleting the key (a write of null); no cas",
      .operations = {{.f = "read", .value = ValueKind::none}, {.f = "write", .value = ValueKind::in_range, .null_allowed = true}},
  };
  entry.make_ops = [entry](const Scenario& scenario) -> GeneratorPtr {
    return std::make_unique<WithDeletes>(operation_mix(entry, scenario));
  };
  return entry;
}

}  // namespace faultline::dynamo
