// Property test of the counter checker: on many small random histories (1-3 keys, 2-4
// processes, 0-12 ops plus final reads, increments, decrements and Maelstrom's negative adds,
// info and fail completions, ops that never complete, reads sometimes right and sometimes
// wrong) it agrees with a brute-force reference written straight from the definitions in
// docs/checkers/counter.md, sharing no code with it; the reference enumerates every subset
// of the uncertain updates for the final reads.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <map>
#include <set>

#include "history_builder.h"
#include "checkers/counter.h"

namespace faultline {
namespace {

// ---- random histories ----

struct OpenOp {
  int64_t process;
  std::string f;
  std::optional<std::string> key;
  Json value;  // an update's amount
};

int64_t delta_of(const std::string& f, int64_t amount) { return f == "decrement" ? -amount : amount; }

// Right half the time, else off by a little; null for 0 now and then.
Json random_read_value(int64_t actual) {
  const int64_t value = *rc::gen::arbitrary<bool>() ? actual : actual + *rc::gen::inRange(-4, 5);
  return value == 0 && *rc::gen::arbitrary<bool>() ? Json(nullptr) : Json(value);
}

struct Generated {
  History history;
  std::map<std::optional<std::string>, int64_t> actual;       // each counter as it ends
  std::map<std::optional<std::string>, int64_t> all_invoked;  // as if every update had happened
};

void complete(Generated& g, const OpenOp& op, std::vector<int64_t>& slot_process, int64_t slot, int64_t processes) {
  const OpType type = *rc::gen::element(OpType::ok, OpType::ok, OpType::ok, OpType::info, OpType::fail);
  Json value = op.value;
  if (op.f == "read") {
    value = type == OpType::ok ? random_read_value(g.actual[op.key]) : Json(nullptr);
  } else if (type == OpType::ok || (type == OpType::info && *rc::gen::arbitrary<bool>())) {
    g.actual[op.key] += delta_of(op.f, op.value.get<int64_t>());
  }
  g.history.ops.push_back(testing_support::next_op(g.history, op.process, type, op.f, op.key, value));
  if (type == OpType::info) slot_process[slot] += processes;  // a retired process
}

OpenOp random_op(int64_t process, int key_count, bool keyless) {
  std::optional<std::string> key;
  if (!keyless) key = "k" + std::to_string(*rc::gen::inRange(0, key_count));
  const int kind = *rc::gen::inRange(0, 4);
  if (kind == 0) return OpenOp{process, "read", key, nullptr};
  const int64_t amount = *rc::gen::inRange(1, 6);
  if (kind == 1) return OpenOp{process, "add", key, amount};
  if (kind == 2) return OpenOp{process, "decrement", key, amount};
  return OpenOp{process, "add", key, *rc::gen::arbitrary<bool>() ? -amount : amount};  // Maelstrom's shape
}

// Final reads: each key read from up to two nodes after the main phase, mostly right and agreeing.
void add_final_reads(Generated& g, int key_count, bool keyless, int64_t first_process) {
  int64_t process = first_process;
  for (int k = 0; k < key_count; ++k) {
    std::optional<std::string> key;
    if (!keyless) key = "k" + std::to_string(k);
    // Right, off by a little, or counting failed updates too.
    const int mode = *rc::gen::inRange(0, 6);
    const Json value = mode == 0   ? random_read_value(g.actual[key])
                       : mode == 1 ? Json(g.all_invoked[key])
                                   : Json(g.actual[key]);
    for (int64_t node = 0; node < *rc::gen::inRange(1, 3); ++node, ++process) {
      g.history.ops.push_back(testing_support::next_op(g.history, process, OpType::invoke, "read", key, nullptr));
      g.history.ops.push_back(testing_support::next_op(g.history, process, OpType::ok, "read", key,
                                      *rc::gen::inRange(0, 8) == 0 ? random_read_value(g.actual[key]) : value));
      for (size_t i = g.history.ops.size() - 2; i < g.history.ops.size(); ++i) {
        g.history.ops[i].final = true;
        g.history.ops[i].node = node;
      }
    }
  }
}

History random_counter_history() {
  const int key_count = *rc::gen::inRange(1, 4);
  const bool keyless = key_count == 1 && *rc::gen::arbitrary<bool>();
  const int64_t processes = *rc::gen::inRange(2, 5);
  const int op_count = std::max(*rc::gen::inRange(0, 13), *rc::gen::inRange(0, 13));  // rather long ones
  std::vector<int64_t> slot_process(processes);
  for (int64_t slot = 0; slot < processes; ++slot) slot_process[slot] = slot;
  std::map<int64_t, OpenOp> open;  // slot -> its open op
  Generated g;
  int invoked = 0;
  while (invoked < op_count || (!open.empty() && *rc::gen::inRange(0, 5) != 0)) {
    const int64_t slot = *rc::gen::inRange<int64_t>(0, processes);
    auto it = open.find(slot);
    if (it != open.end()) {
      const OpenOp op = it->second;
      open.erase(it);
      complete(g, op, slot_process, slot, processes);
    } else if (invoked < op_count) {
      ++invoked;
      const OpenOp op = random_op(slot_process[slot], key_count, keyless);
      g.history.ops.push_back(testing_support::next_op(g.history, op.process, OpType::invoke, op.f, op.key, op.value));
      if (op.f != "read") g.all_invoked[op.key] += delta_of(op.f, op.value.get<int64_t>());
      open[slot] = op;
    }
  }
  if (*rc::gen::arbitrary<bool>()) add_final_reads(g, key_count, keyless, 1000);
  return g.history;
}

// ---- the reference: every definition read literally, quadratic (exponential in the
// uncertain updates for the final reads) ----

struct RefOp {
  size_t invoke_line = 0;
  std::optional<size_t> completion_line;
  std::optional<OpType> completion_type;  // none: never completed
  std::string f;
  std::optional<std::string> key;
  Json invoke_value;
  Json completion_value;
  int64_t completion_index = -1;
  bool final = false;
};

std::vector<RefOp> ref_pair(const History& history) {
  std::vector<RefOp> ops;
  std::map<int64_t, size_t> open;
  for (size_t line = 0; line < history.ops.size(); ++line) {
    const Op& op = history.ops[line];
    if (op.type == OpType::invoke) {
      open[op.process] = ops.size();
      ops.push_back(RefOp{.invoke_line = line, .f = op.f, .key = op.key, .invoke_value = op.value, .final = op.final});
    } else {
      RefOp& paired = ops[open.at(op.process)];
      paired.completion_line = line;
      paired.completion_type = op.type;
      paired.completion_value = op.value;
      paired.completion_index = op.index;
      open.erase(op.process);
    }
  }
  return ops;
}

int64_t ref_delta(const RefOp& update) {
  const int64_t amount = update.invoke_value.get<int64_t>();
  return update.f == "decrement" ? -amount : amount;  // add: a negative amount decrements
}

int64_t ref_value(const RefOp& read) {
  return read.completion_value.is_null() ? 0 : read.completion_value.get<int64_t>();
}

struct RefResult {
  Verdict verdict = Verdict::unknown;
  std::set<int64_t> violating_reads;  // completion indexes
  bool finals_hold = true;
};

RefResult reference_counter(const History& history) {
  const std::vector<RefOp> ops = ref_pair(history);
  RefResult result;
  bool any_ok_read = false;
  for (const RefOp& read : ops) {
    if (read.f != "read" || read.completion_type != OpType::ok) continue;
    any_ok_read = true;
    int64_t lower = 0, upper = 0;
    for (const RefOp& u : ops) {
      if (u.f == "read" || u.key != read.key) continue;
      const int64_t delta = ref_delta(u);
      const bool ok_before_read_began = u.completion_type == OpType::ok && *u.completion_line < read.invoke_line;
      const bool not_failed_invoked_before_read_ended =
          u.completion_type != OpType::fail && u.invoke_line < *read.completion_line;
      if (delta >= 0 && ok_before_read_began) lower += delta;
      if (delta < 0 && not_failed_invoked_before_read_ended) lower += delta;
      if (delta >= 0 && not_failed_invoked_before_read_ended) upper += delta;
      if (delta < 0 && ok_before_read_began) upper += delta;
    }
    const int64_t value = ref_value(read);
    if (value < lower || value > upper) result.violating_reads.insert(read.completion_index);
  }
  std::map<std::optional<std::string>, std::set<int64_t>> final_values;
  for (const RefOp& read : ops)
    if (read.f == "read" && read.final && read.completion_type == OpType::ok)
      final_values[read.key].insert(ref_value(read));
  for (const auto& [key, values] : final_values) {
    if (values.size() != 1) {
      result.finals_hold = false;
      continue;
    }
    int64_t acknowledged = 0;
    std::vector<int64_t> uncertain;
    for (const RefOp& u : ops) {
      if (u.f == "read" || u.key != key) continue;
      if (u.completion_type == OpType::ok) acknowledged += ref_delta(u);
      if (!u.completion_type || u.completion_type == OpType::info) uncertain.push_back(ref_delta(u));
    }
    bool acceptable = false;
    for (uint64_t subset = 0; subset < (uint64_t{1} << uncertain.size()); ++subset) {
      int64_t sum = acknowledged;
      for (size_t i = 0; i < uncertain.size(); ++i)
        if (subset & (uint64_t{1} << i)) sum += uncertain[i];
      acceptable = acceptable || sum == *values.begin();
    }
    result.finals_hold = result.finals_hold && acceptable;
  }
  if (!result.violating_reads.empty() || !result.finals_hold)
    result.verdict = Verdict::invalid;
  else
    result.verdict = any_ok_read ? Verdict::valid : Verdict::unknown;
  return result;
}

RC_GTEST_PROP(CounterProperty, AgreesWithTheBruteForceReference, ()) {
  // Full size from the first case: small sizes would make most histories nearly empty.
  const History history = *rc::gen::resize(100, rc::gen::exec(random_counter_history));
  auto checked = check_counter(history, CounterOptions{},
                               [&history](size_t position) { return locate_by_index(history, position); });
  RC_ASSERT(checked.has_value());
  const CheckResult& result = checked.value();
  const RefResult expected = reference_counter(history);
  RC_CLASSIFY(expected.verdict == Verdict::valid, "valid");
  RC_CLASSIFY(expected.verdict == Verdict::invalid, "invalid");
  RC_CLASSIFY(expected.verdict == Verdict::unknown, "unknown");
  RC_CLASSIFY(!expected.finals_hold, "final reads fail");
  RC_CLASSIFY(result.evidence["counts"]["final_reads"] != 0, "with final reads");
  RC_ASSERT(result.verdict == expected.verdict);
  const Json& violations = result.evidence["violations"];
  RC_ASSERT(violations["total"].get<size_t>() == violations["reads"].size());  // small histories list all
  std::set<int64_t> violating;
  for (const Json& violation : violations["reads"]) violating.insert(violation["read"].get<int64_t>());
  RC_ASSERT(violating == expected.violating_reads);
}

}  // namespace
}  // namespace faultline
