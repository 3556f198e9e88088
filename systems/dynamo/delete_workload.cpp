#include "systems/dynamo/delete_workload.h"

#include <map>

#include "base/assert.h"

namespace faultline::dynamo {

namespace {

constexpr uint64_t kDeleteOneWriteIn = 3;
// After a delete the key is only read for this long: longer than the store's default
// tombstone grace period (1 s), so a replica that missed the delete outlives the tombstones
// and reads can see whether the deleted value comes back (Cassandra's zombie data), instead
// of the next write hiding it.
constexpr int64_t kReadOnlyAfterDelete_ns = 2'000'000'000;

// The workload's weighted read/write mix, with every third write (drawn) turned into a
// delete, and a deleted key read but not written for a while.
class WithDeletes final : public Generator {
 public:
  explicit WithDeletes(GeneratorPtr mix) : mix_(std::move(mix)) {}

  GenResult next(const GenContext& context) override {
    GenResult result = mix_->next(context);
    auto* op = std::get_if<ClientOp>(&result);
    if (op == nullptr || op->f != "write") return result;
    FAULTLINE_ASSERT(op->key.has_value(), "a register write names its key");
    auto deleted = deleted_at_ns_.find(*op->key);
    if (deleted != deleted_at_ns_.end() && context.now_ns - deleted->second < kReadOnlyAfterDelete_ns) {
      op->f = "read";
      op->value = Json();
      return result;
    }
    if (context.rng->below(kDeleteOneWriteIn) == 0) {
      op->value = Json();
      deleted_at_ns_[*op->key] = context.now_ns;
    }
    return result;
  }

 private:
  GeneratorPtr mix_;
  std::map<std::string, int64_t> deleted_at_ns_;  // per key, the last delete's invocation
};

}  // namespace

WorkloadEntry register_delete_workload() {
  WorkloadEntry entry{
      .name = "register-delete",
      .description = "read / write per key, a third of the writes deleting the key (a write of null), a deleted key "
                     "only read for the next 2 s; no cas",
      .operations = {{.f = "read", .value = ValueKind::none}, {.f = "write", .value = ValueKind::in_range, .null_allowed = true}},
  };
  entry.make_ops = [entry](const Scenario& scenario) -> GeneratorPtr {
    return std::make_unique<WithDeletes>(operation_mix(entry, scenario));
  };
  return entry;
}

}  // namespace faultline::dynamo
