#pragma once
// A brute-force convergence checker written straight from the definitions of
// docs/checkers/convergence.md, sharing no code with checkers/: quadratic scans, every
// subset of counter updates enumerated. Only for small generated histories whose elements and
// values are integers.
#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "checkers/verdict.h"
#include "histories/history.h"

namespace faultline::testing_support {

struct ReferenceKeyVerdict {
  bool has_ok_final_read = false;
  bool agreed = false;
  Json agreed_value;                     // canonical: a set as a sorted array
  std::optional<double> time_to_agreement_ms;
  std::set<int64_t> lost;                // invoke indexes of lost acknowledged updates
  bool counter_lost = false;
  std::set<std::string> unexplained;     // dumped values
};

struct ReferenceConvergence {
  Verdict verdict = Verdict::unknown;
  std::map<std::optional<std::string>, ReferenceKeyVerdict> keys;
};

class ReferenceConvergenceChecker {
 public:
  ReferenceConvergenceChecker(const History& history, std::string type, bool require_acknowledged)
      : history_(history), type_(std::move(type)), require_acknowledged_(require_acknowledged) {
    std::map<int64_t, size_t> open;
    for (size_t line = 0; line < history.ops.size(); ++line) {
      const Op& op = history.ops[line];
      if (op.is_nemesis()) {
        if (op.f == "heal") heal_ns_ = op.time_ns;
        continue;
      }
      if (op.type == OpType::invoke) {
        open[op.process] = ops_.size();
        ops_.push_back(Operation{.invoke_line = line, .invoke = op});
        continue;
      }
      Operation& started = ops_[open.at(op.process)];
      open.erase(op.process);
      started.completion_line = line;
      started.outcome = op.type;
      started.result = op.value;
      started.final = started.final || op.final;
    }
    for (Operation& op : ops_) op.final = op.final || op.invoke.final;
  }

  ReferenceConvergence run() const {
    ReferenceConvergence result;
    bool any_final = false;
    std::optional<int64_t> first_final_ns;
    for (const Operation& op : ops_) {
      result.keys[op.invoke.key];
      if (op.final && !first_final_ns) first_final_ns = op.invoke.time_ns;
      any_final = any_final || op.final;
    }
    if (!any_final) return ReferenceConvergence{.verdict = Verdict::unknown};
    const int64_t base_ns = heal_ns_ ? *heal_ns_ : *first_final_ns;
    bool violated = false, unread = false;
    for (auto& [key, verdict] : result.keys) {
      verdict = judge(key, base_ns);
      violated = violated || (verdict.has_ok_final_read && !verdict.agreed) || !verdict.unexplained.empty() ||
                 (require_acknowledged_ && (!verdict.lost.empty() || verdict.counter_lost));
      unread = unread || !verdict.has_ok_final_read;
    }
    result.verdict = violated ? Verdict::invalid : unread ? Verdict::unknown : Verdict::valid;
    return result;
  }

 private:
  static constexpr size_t kNever = static_cast<size_t>(-1);

  struct Operation {
    size_t invoke_line = 0;
    size_t completion_line = kNever;
    Op invoke;
    OpType outcome = OpType::info;  // also for never completed
    Json result;
    bool final = false;
  };

  bool is_update(const Operation& op) const { return !op.final && op.invoke.f != "read"; }

  // The value an update puts in: element, written value, or signed amount.
  Json effect(const Operation& op) const {
    if (op.invoke.f == "cas") return op.invoke.value[1];
    if (op.invoke.f == "decrement") return -op.invoke.value.get<int64_t>();
    return op.invoke.value;
  }

  Json canonical(const Json& value) const {
    if (type_ == "counter") return value.is_null() ? Json(0) : value;
    if (type_ == "register") return value;
    if (value.is_null()) return Json::array();
    if (type_ == "append") return value;
    std::set<int64_t> elements;
    for (const Json& element : value) elements.insert(element.get<int64_t>());
    return Json(std::vector<int64_t>(elements.begin(), elements.end()));
  }

  // The sums of every subset of `amounts`.
  static std::set<int64_t> subset_sums(const std::vector<int64_t>& amounts) {
    std::set<int64_t> sums;
    for (uint64_t mask = 0; mask < (uint64_t{1} << amounts.size()); ++mask) {
      int64_t sum = 0;
      for (size_t i = 0; i < amounts.size(); ++i)
        if (mask >> i & 1) sum += amounts[i];
      sums.insert(sum);
    }
    return sums;
  }

  std::vector<const Operation*> updates_invoked_before(const std::optional<std::string>& key, size_t line) const {
    std::vector<const Operation*> updates;
    for (const Operation& op : ops_)
      if (op.invoke.key == key && is_update(op) && op.outcome != OpType::fail && op.invoke_line < line)
        updates.push_back(&op);
    return updates;
  }

  void explain(const std::optional<std::string>& key, const Operation& read, ReferenceKeyVerdict& verdict) const {
    const Json value = canonical(read.result);
    const auto attempted = updates_invoked_before(key, read.completion_line);
    if (type_ == "counter") {
      std::vector<int64_t> amounts;
      for (const Operation* op : attempted) amounts.push_back(effect(*op).get<int64_t>());
      if (!subset_sums(amounts).contains(value.get<int64_t>())) verdict.unexplained.insert(value.dump());
      return;
    }
    if (type_ == "register") {
      bool written = value.is_null();
      for (const Operation* op : attempted) written = written || effect(*op) == value;
      if (!written) verdict.unexplained.insert(value.dump());
      return;
    }
    for (const Json& element : value) {
      const auto times_read = std::count(value.begin(), value.end(), element);
      const auto times_attempted =
          std::count_if(attempted.begin(), attempted.end(), [&](const Operation* op) { return effect(*op) == element; });
      if (times_read > times_attempted) verdict.unexplained.insert(element.dump());
    }
  }

  ReferenceKeyVerdict judge(const std::optional<std::string>& key, int64_t base_ns) const {
    ReferenceKeyVerdict verdict;
    std::vector<const Operation*> reads;  // ok final reads, in invoke order
    size_t first_final_line = kNever, last_read_end = 0;
    for (const Operation& op : ops_) {
      if (op.invoke.key != key || !op.final) continue;
      first_final_line = std::min(first_final_line, op.invoke_line);
      if (op.outcome != OpType::ok) continue;
      reads.push_back(&op);
      last_read_end = std::max(last_read_end, op.completion_line);
    }
    verdict.has_ok_final_read = !reads.empty();
    if (reads.empty()) return verdict;
    for (const Operation* read : reads) explain(key, *read, verdict);
    // The last read of each node, compared.
    std::map<std::optional<int64_t>, Json> last;
    for (const Operation* read : reads) last[read->invoke.node] = canonical(read->result);
    std::set<std::string> distinct;
    for (const auto& [node, value] : last) distinct.insert(value.dump());
    if (distinct.size() != 1) return verdict;
    verdict.agreed = true;
    verdict.agreed_value = last.begin()->second;
    for (size_t from = 0; from < reads.size(); ++from) {
      bool rest_agree = true;
      for (size_t later = from; later < reads.size(); ++later)
        rest_agree = rest_agree && canonical(reads[later]->result) == verdict.agreed_value;
      if (rest_agree) {
        verdict.time_to_agreement_ms = static_cast<double>(reads[from]->invoke.time_ns - base_ns) / 1e6;
        break;
      }
    }
    find_lost(key, first_final_line, last_read_end, verdict);
    return verdict;
  }

  void find_lost(const std::optional<std::string>& key, size_t first_final_line, size_t last_read_end,
                 ReferenceKeyVerdict& verdict) const {
    std::vector<const Operation*> acknowledged;
    for (const Operation& op : ops_)
      if (op.invoke.key == key && is_update(op) && op.outcome == OpType::ok && op.completion_line < first_final_line)
        acknowledged.push_back(&op);
    const Json& agreed = verdict.agreed_value;
    if (type_ == "set" || type_ == "append") {
      for (const Operation* op : acknowledged)
        if (std::find(agreed.begin(), agreed.end(), effect(*op)) == agreed.end()) verdict.lost.insert(op->invoke.index);
    } else if (type_ == "register") {
      find_lost_writes(key, acknowledged, last_read_end, verdict);
    } else if (verdict.unexplained.empty()) {
      int64_t acknowledged_sum = 0;
      for (const Operation* op : acknowledged) acknowledged_sum += effect(*op).get<int64_t>();
      std::vector<int64_t> uncertain;
      for (const Operation* op : updates_invoked_before(key, last_read_end))
        if (std::find(acknowledged.begin(), acknowledged.end(), op) == acknowledged.end())
          uncertain.push_back(effect(*op).get<int64_t>());
      verdict.counter_lost = !subset_sums(uncertain).contains(agreed.get<int64_t>() - acknowledged_sum);
    }
  }

  // The agreed value survives from a write w that no acknowledged write strictly follows;
  // otherwise the acknowledged writes that follow every such w are lost. Null: all are lost.
  void find_lost_writes(const std::optional<std::string>& key, const std::vector<const Operation*>& acknowledged,
                        size_t last_read_end, ReferenceKeyVerdict& verdict) const {
    const Json& agreed = verdict.agreed_value;
    if (agreed.is_null()) {
      for (const Operation* op : acknowledged) verdict.lost.insert(op->invoke.index);
      return;
    }
    std::optional<std::set<int64_t>> followers_of_all;
    for (const Operation* w : updates_invoked_before(key, last_read_end)) {
      if (effect(*w) != agreed) continue;
      std::set<int64_t> followers;
      for (const Operation* later : acknowledged)
        if (w->outcome == OpType::ok && later->invoke_line > w->completion_line) followers.insert(later->invoke.index);
      if (!followers_of_all) {
        followers_of_all = followers;
        continue;
      }
      std::set<int64_t> common;
      for (int64_t index : *followers_of_all)
        if (followers.contains(index)) common.insert(index);
      followers_of_all = common;
    }
    if (followers_of_all) verdict.lost = *followers_of_all;
  }

  const History& history_;
  std::string type_;
  bool require_acknowledged_;
  std::optional<int64_t> heal_ns_;
  std::vector<Operation> ops_;
};

}  // namespace faultline::testing_support
