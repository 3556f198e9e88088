// Property test of the set-full checker: on many small random histories (1-3 keys, 2-4
// processes, 0-12 ops, info and fail completions, ops that never complete, reads that are
// sometimes right and sometimes wrong) it agrees with a brute-force reference written
// straight from the definitions in docs/checkers/set-full.md, sharing no code with it.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <map>
#include <set>

#include "history_builder.h"
#include "checkers/set_full.h"

namespace faultline {
namespace {

// ---- random histories ----

struct OpenOp {
  int64_t process;
  bool is_add;
  std::optional<std::string> key;
  int64_t element;  // adds only
};

// Right half the time; else a random subset of the elements added to the key (a lost or
// stale element, or one whose add failed or is still running), or of every element so far
// and the next one (elements of other keys, or not yet added).
Json random_read_value(const std::set<int64_t>& actual, const std::vector<int64_t>& added_to_key,
                       int64_t next_element) {
  const int mode = *rc::gen::inRange(0, 6);
  if (mode < 3) return Json(actual);
  std::vector<int64_t> candidates = added_to_key;
  if (mode == 5)
    for (int64_t element = 1; element <= next_element; ++element) candidates.push_back(element);
  std::set<int64_t> chosen;
  for (int64_t element : candidates)
    if (*rc::gen::arbitrary<bool>()) chosen.insert(element);
  return Json(chosen);
}

History random_set_history() {
  const int key_count = *rc::gen::inRange(1, 4);
  const bool keyless = key_count == 1 && *rc::gen::arbitrary<bool>();
  const int64_t processes = *rc::gen::inRange(2, 5);
  const int op_count = std::max(*rc::gen::inRange(0, 13), *rc::gen::inRange(0, 13));  // rather long ones
  std::vector<int64_t> slot_process(processes);
  for (int64_t slot = 0; slot < processes; ++slot) slot_process[slot] = slot;
  std::map<int64_t, OpenOp> open;                                    // slot -> its open op
  std::map<std::optional<std::string>, std::set<int64_t>> actual;    // what each set holds
  std::map<std::optional<std::string>, std::vector<int64_t>> added;  // the adds invoked per key
  History history;
  int64_t next_element = 1;
  int invoked = 0;
  while (invoked < op_count || (!open.empty() && *rc::gen::inRange(0, 5) != 0)) {
    const int64_t slot = *rc::gen::inRange<int64_t>(0, processes);
    auto it = open.find(slot);
    if (it == open.end()) {
      if (invoked == op_count) continue;
      ++invoked;
      std::optional<std::string> key;
      if (!keyless) key = "k" + std::to_string(*rc::gen::inRange(0, key_count));
      const bool is_add = *rc::gen::arbitrary<bool>();
      const int64_t element = is_add ? next_element++ : 0;
      if (is_add) added[key].push_back(element);
      history.ops.push_back(testing_support::next_op(history, slot_process[slot], OpType::invoke, is_add ? "add" : "read", key,
                                    is_add ? Json(element) : Json(nullptr)));
      open[slot] = OpenOp{slot_process[slot], is_add, key, element};
      continue;
    }
    const OpenOp op = it->second;
    open.erase(it);
    const OpType type = *rc::gen::element(OpType::ok, OpType::ok, OpType::ok, OpType::info, OpType::fail);
    Json value = nullptr;
    if (op.is_add) {
      value = op.element;
      if (type == OpType::ok || (type == OpType::info && *rc::gen::arbitrary<bool>()))
        actual[op.key].insert(op.element);
    } else if (type == OpType::ok) {
      value = random_read_value(actual[op.key], added[op.key], next_element);
    }
    history.ops.push_back(testing_support::next_op(history, op.process, type, op.is_add ? "add" : "read", op.key, value));
    if (type == OpType::info) slot_process[slot] += processes;  // a retired process
  }
  return history;
}

// ---- the reference: every definition read literally, quadratic ----

struct RefOp {
  size_t invoke_line = 0;
  std::optional<size_t> completion_line;
  std::optional<OpType> completion_type;  // none: never completed
  std::string f;
  std::optional<std::string> key;
  Json invoke_value;
  Json completion_value;
  int64_t completion_index = -1;
};

std::vector<RefOp> ref_pair(const History& history) {
  std::vector<RefOp> ops;
  std::map<int64_t, size_t> open;
  for (size_t line = 0; line < history.ops.size(); ++line) {
    const Op& op = history.ops[line];
    if (op.type == OpType::invoke) {
      open[op.process] = ops.size();
      ops.push_back(RefOp{.invoke_line = line, .f = op.f, .key = op.key, .invoke_value = op.value});
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

using KeyElement = std::pair<std::optional<std::string>, int64_t>;

struct RefResult {
  Verdict verdict = Verdict::unknown;
  std::set<KeyElement> lost, unexpected, stale;
  int64_t ok = 0, never_read = 0;
};

bool contains(const RefOp& read, int64_t element) {
  for (const Json& item : read.completion_value)
    if (item.get<int64_t>() == element) return true;
  return false;
}

RefResult reference_set_full(const History& history, bool linearizable) {
  const std::vector<RefOp> ops = ref_pair(history);
  RefResult result;
  std::vector<const RefOp*> reads;
  std::set<KeyElement> elements;
  for (const RefOp& op : ops) {
    if (op.f == "read" && op.completion_type == OpType::ok) {
      reads.push_back(&op);
      for (const Json& item : op.completion_value) elements.insert({op.key, item.get<int64_t>()});
    }
    if (op.f == "add") elements.insert({op.key, op.invoke_value.get<int64_t>()});
  }
  bool any_known = false;
  for (const KeyElement& ke : elements) {
    const RefOp* add = nullptr;
    for (const RefOp& op : ops)
      if (op.f == "add" && op.key == ke.first && op.invoke_value.get<int64_t>() == ke.second) add = &op;
    const bool add_may_have_happened = add != nullptr && add->completion_type != OpType::fail;
    auto explained_by_add = [&](const RefOp& read) {
      return add_may_have_happened && add->invoke_line < *read.completion_line;
    };
    // unexpected: a read contains it with no non-failed add invoked before that read completed
    for (const RefOp* read : reads)
      if (read->key == ke.first && contains(*read, ke.second) && !explained_by_add(*read)) result.unexpected.insert(ke);
    if (!add_may_have_happened) continue;
    // known: the earliest of the add's ok completion and the completion of the first read showing it
    std::optional<size_t> known;
    if (add->completion_type == OpType::ok) known = add->completion_line;
    for (const RefOp* read : reads)
      if (read->key == ke.first && contains(*read, ke.second) && explained_by_add(*read))
        if (!known || *read->completion_line < *known) known = read->completion_line;
    if (!known) {
      ++result.never_read;
      continue;
    }
    any_known = true;
    std::vector<const RefOp*> counting;  // ok reads of the key that began after the known point
    for (const RefOp* read : reads)
      if (read->key == ke.first && read->invoke_line > *known) counting.push_back(read);
    if (counting.empty()) {
      ++result.never_read;
      continue;
    }
    // stable: from some counting read on (by begin), every counting read contains it
    bool stable = false;
    for (const RefOp* from : counting) {
      bool all = true;
      for (const RefOp* later : counting)
        if (later->invoke_line >= from->invoke_line && !contains(*later, ke.second)) all = false;
      stable = stable || all;
    }
    bool some_missed = false;
    for (const RefOp* read : counting) some_missed = some_missed || !contains(*read, ke.second);
    if (!stable)
      result.lost.insert(ke);
    else if (some_missed)
      result.stale.insert(ke);
    else
      ++result.ok;
  }
  if (!result.lost.empty() || !result.unexpected.empty() || (linearizable && !result.stale.empty()))
    result.verdict = Verdict::invalid;
  else if (reads.empty() || !any_known)
    result.verdict = Verdict::unknown;
  else
    result.verdict = Verdict::valid;
  return result;
}

std::set<KeyElement> listed(const Json& list) {
  RC_ASSERT(list["total"].get<size_t>() == list["elements"].size());  // small histories list everything
  std::set<KeyElement> elements;
  for (const Json& item : list["elements"]) {
    std::optional<std::string> key;
    if (!item["key"].is_null()) key = item["key"].get<std::string>();
    elements.insert({key, item["element"].get<int64_t>()});
  }
  return elements;
}

RC_GTEST_PROP(SetFullProperty, AgreesWithTheBruteForceReference, ()) {
  // Full size from the first case: small sizes would make most histories nearly empty.
  const History history = *rc::gen::resize(100, rc::gen::exec(random_set_history));
  const bool linearizable = *rc::gen::arbitrary<bool>();
  auto checked = check_set_full(history, SetFullOptions{.linearizable = linearizable},
                                [&history](size_t position) { return locate_by_index(history, position); });
  RC_ASSERT(checked.has_value());
  const CheckResult& result = checked.value();
  const RefResult expected = reference_set_full(history, linearizable);
  RC_CLASSIFY(expected.verdict == Verdict::valid, "valid");
  RC_CLASSIFY(expected.verdict == Verdict::invalid, "invalid");
  RC_CLASSIFY(expected.verdict == Verdict::unknown, "unknown");
  RC_CLASSIFY(!expected.lost.empty(), "lost");
  RC_CLASSIFY(!expected.stale.empty(), "stale");
  RC_CLASSIFY(!expected.unexpected.empty(), "unexpected");
  RC_CLASSIFY(history.ops.size() >= 16, "16+ lines");
  RC_ASSERT(result.verdict == expected.verdict);
  RC_ASSERT(listed(result.evidence["lost"]) == expected.lost);
  RC_ASSERT(listed(result.evidence["unexpected"]) == expected.unexpected);
  RC_ASSERT(listed(result.evidence["stale"]) == expected.stale);
  RC_ASSERT(result.evidence["counts"]["ok"].get<int64_t>() == expected.ok);
  RC_ASSERT(result.evidence["counts"]["never_read"].get<int64_t>() == expected.never_read);
}

}  // namespace
}  // namespace faultline
