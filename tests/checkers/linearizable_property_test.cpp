// Property tests of the linearizability checker (issue 5): histories linearizable by
// construction are accepted, planted violations are rejected, and an exhaustive reference
// checker agrees on thousands of small random histories with info and fail ops.
#include <gtest/gtest.h>

#include <rapidcheck/gtest.h>

#include <map>

#include "checkers/linearizable.h"
#include "checkers/synthetic_history.h"
#include "reference_checker.h"

namespace faultline {
namespace {

SyntheticKvOptions random_options() {
  SyntheticKvOptions options;
  options.op_count = *rc::gen::inRange<size_t>(1, 400);
  options.keys = *rc::gen::inRange(1, 5);
  options.clients = *rc::gen::inRange(1, 10);
  options.info_fraction = *rc::gen::element(0.0, 0.05, 0.2);
  options.values_per_key = *rc::gen::element(0, 2, 5);
  options.seed = *rc::gen::arbitrary<uint64_t>();
  return options;
}

RC_GTEST_PROP(LinearizableProperty, AcceptsHistoriesLinearizableByConstruction, ()) {
  History history = generate_linearizable_kv_history(random_options());
  LinearizabilityOptions options;
  options.threads = *rc::gen::inRange(1, 3);
  CheckResult result = check_linearizable(history, options);
  RC_ASSERT(result.verdict == Verdict::valid);
}

// A read after everything else that returns a value overwritten for good: with fresh values
// nothing writes it again, so no order explains the read.
RC_GTEST_PROP(LinearizableProperty, RejectsAPlantedStaleRead, ()) {
  SyntheticKvOptions generate = random_options();
  generate.values_per_key = 0;
  generate.op_count = std::max<size_t>(generate.op_count, 20);
  History history = generate_linearizable_kv_history(generate);
  // Find an ok write invoked after another ok write to its key had completed.
  std::map<std::string, Json> completed_write;  // key -> value of the last ok write seen
  std::map<int64_t, Json> overwritten;          // process -> value its open write overwrites
  std::optional<std::pair<std::string, Json>> stale;
  for (const Op& op : history.ops) {
    if (op.f != "write") continue;
    if (op.type == OpType::invoke) {
      auto it = completed_write.find(*op.key);
      if (it != completed_write.end()) overwritten[op.process] = it->second;
    } else if (op.type == OpType::ok) {
      auto it = overwritten.find(op.process);
      if (it != overwritten.end()) {
        stale = {*op.key, it->second};
        break;
      }
      completed_write[*op.key] = op.value;
    } else {
      overwritten.erase(op.process);
    }
  }
  RC_PRE(stale.has_value());
  RC_CLASSIFY(generate.info_fraction > 0, "with info ops");
  int64_t process = 1'000'000;
  for (OpType type : {OpType::invoke, OpType::ok}) {
    Op read;
    read.index = static_cast<int64_t>(history.ops.size());
    read.process = process;
    read.type = type;
    read.f = "read";
    read.key = stale->first;
    read.value = type == OpType::ok ? stale->second : Json(nullptr);
    history.ops.push_back(read);
  }
  CheckResult result = check_linearizable(history, LinearizabilityOptions{});
  RC_ASSERT(result.verdict == Verdict::invalid);
  RC_ASSERT(result.evidence["failing_op"]["process"] == process);
}

// Small random histories: a few processes invoke reads, writes and cas on two keys with values
// 0..2 and complete them ok (with any read value), fail (sometimes as a cas mismatch), info,
// or never.
History random_small_history() {
  const int processes = *rc::gen::inRange(1, 4);
  const int steps = *rc::gen::inRange(1, 14);
  History history;
  std::vector<std::optional<Op>> open(processes);
  std::vector<int64_t> process_id(processes);
  for (int p = 0; p < processes; ++p) process_id[p] = p;
  int64_t next_process = processes;
  auto small_value = [] { return Json(*rc::gen::inRange(0, 3)); };
  auto emit = [&](Op op) {
    op.index = static_cast<int64_t>(history.ops.size());
    history.ops.push_back(std::move(op));
  };
  for (int step = 0; step < steps; ++step) {
    const int p = *rc::gen::inRange(0, processes);
    if (!open[p]) {
      Op invoke;
      invoke.process = process_id[p];
      invoke.type = OpType::invoke;
      invoke.key = *rc::gen::element<std::string>("a", "b");
      invoke.f = *rc::gen::element<std::string>("read", "write", "cas");
      if (invoke.f == "write") invoke.value = small_value();
      if (invoke.f == "cas") invoke.value = Json::array({small_value(), small_value()});
      open[p] = invoke;
      emit(invoke);
      continue;
    }
    Op completion = *open[p];
    open[p].reset();
    const int outcome = *rc::gen::inRange(0, 10);  // 0-5 ok, 6-7 fail, 8-9 info
    if (outcome < 6) {
      completion.type = OpType::ok;
      if (completion.f == "read") completion.value = *rc::gen::element(Json(nullptr), small_value());
    } else if (outcome < 8) {
      completion.type = OpType::fail;
      if (completion.f == "cas" && outcome == 7) completion.error = "mismatch";
    } else {
      completion.type = OpType::info;
      process_id[p] = next_process++;  // Jepsen retires the process
    }
    emit(completion);
  }
  return history;
}

// 40 histories per case, so the default 100 cases check 4,000 histories.
RC_GTEST_PROP(LinearizableProperty, AgreesWithTheExhaustiveReference, ()) {
  int not_linearizable = 0;
  for (int i = 0; i < 40; ++i) {
    History history = random_small_history();
    const bool expected = testing_support::ReferenceKvChecker(history).linearizable();
    not_linearizable += expected ? 0 : 1;
    CheckResult result = check_linearizable(history, LinearizabilityOptions{});
    RC_ASSERT(result.verdict == (expected ? Verdict::valid : Verdict::invalid));
  }
  RC_CLASSIFY(not_linearizable > 0 && not_linearizable < 40, "both verdicts expected");
}

}  // namespace
}  // namespace faultline
