#pragma once
// Brute-force references for the session and staleness checkers, written straight from the
// definitions in docs/checkers/session.md and docs/checkers/staleness.md over raw values and
// lists (no version numbers, no shared code with checkers/): every obligation is enumerated
// as the tuple of ops the definition names. Cubic or worse; for small random histories only.
#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "histories/history.h"

namespace faultline::reference {

struct RefOp {
  bool read = false;
  int64_t process = 0;
  std::string key;
  Json value;                 // write: the value / element; read: what an ok read returned
  OpType outcome = OpType::invoke;
  size_t invoke_line = 0;
  std::optional<size_t> completion_line;
  int64_t index = 0;          // completion index, else invoke index
  int64_t invoke_ns = 0;
  int64_t completion_ns = 0;
};

class SessionReference {
 public:
  SessionReference(const History& history, bool append) : append_(append) {
    std::map<int64_t, size_t> open;
    for (size_t line = 0; line < history.ops.size(); ++line) {
      const Op& op = history.ops[line];
      if (op.is_nemesis()) continue;
      if (op.type == OpType::invoke) {
        open[op.process] = ops_.size();
        ops_.push_back(RefOp{.read = op.f == "read", .process = op.process, .key = op.key.value_or(""),
                             .value = op.f == "read" ? Json() : op.value, .invoke_line = line, .index = op.index,
                             .invoke_ns = op.time_ns});
        continue;
      }
      RefOp& ref = ops_[open.at(op.process)];
      open.erase(op.process);
      ref.outcome = op.type;
      ref.completion_line = line;
      ref.index = op.index;
      ref.completion_ns = op.time_ns;
      if (ref.read && op.type == OpType::ok) ref.value = op.value.is_null() && append_ ? Json::array() : op.value;
    }
  }

  // Keys whose reads have no version order (append: incompatible reads or a duplicate).
  std::set<std::string> unordered_keys() const {
    std::set<std::string> keys;
    for (const RefOp& op : ops_)
      if (append_ && !compatible(op.key)) keys.insert(op.key);
    return keys;
  }

  // Read index -> whether at least one obligation of `guarantee` applies / fails.
  std::set<int64_t> checked(const std::string& guarantee) const { return judge(guarantee, false); }
  std::set<int64_t> violating(const std::string& guarantee) const { return judge(guarantee, true); }

  struct Staleness {
    int64_t versions_behind = 0;
    double ms_behind = 0;
  };
  // Read index -> its staleness, for every judgeable ok read.
  std::map<int64_t, Staleness> staleness() const {
    std::map<int64_t, Staleness> result;
    for (const RefOp& r : ops_) {
      if (!judgeable(r)) continue;
      Staleness s;
      std::optional<int64_t> oldest_ns;
      for (const RefOp& w : ops_) {
        if (w.read || w.outcome != OpType::ok || w.key != r.key || *w.completion_line > r.invoke_line) continue;
        if (reflects(r, w)) continue;
        ++s.versions_behind;
        oldest_ns = std::min(oldest_ns.value_or(w.completion_ns), w.completion_ns);
      }
      if (oldest_ns) s.ms_behind = static_cast<double>(r.invoke_ns - *oldest_ns) / 1e6;
      result[r.index] = s;
    }
    return result;
  }

 private:
  bool before(const RefOp& a, const RefOp& b) const { return a.completion_line && *a.completion_line < b.invoke_line; }
  bool ok(const RefOp& op) const { return op.outcome == OpType::ok; }

  static int64_t number(const Json& value) { return value.is_null() ? 0 : value.get<int64_t>(); }
  static std::optional<size_t> position(const Json& list, const Json& element) {
    for (size_t i = 0; i < list.size(); ++i)
      if (list[i] == element) return i;
    return std::nullopt;
  }
  static bool prefix(const Json& shorter, const Json& longer) {
    if (shorter.size() > longer.size()) return false;
    return std::equal(shorter.begin(), shorter.end(), longer.begin());
  }

  // session: a write that ended info or never completed; its value is compared with nothing.
  bool floating_value(const std::string& key, int64_t value) const {
    for (const RefOp& w : ops_)
      if (!w.read && w.key == key && (w.outcome == OpType::info || w.outcome == OpType::invoke) && w.value == value)
        return true;
    return false;
  }
  // append: every two ok reads of the key are prefix-compatible and list no element twice.
  bool compatible(const std::string& key) const {
    for (const RefOp& a : ops_) {
      if (!a.read || !ok(a) || a.key != key) continue;
      std::set<Json> distinct(a.value.begin(), a.value.end());
      if (distinct.size() != a.value.size()) return false;
      for (const RefOp& b : ops_)
        if (b.read && ok(b) && b.key == key && !prefix(a.value, b.value) && !prefix(b.value, a.value)) return false;
    }
    return true;
  }
  bool judgeable(const RefOp& r) const {
    if (!r.read || !ok(r)) return false;
    return append_ ? compatible(r.key) : !floating_value(r.key, number(r.value));
  }
  // A write that happened (or, for an append of unknown outcome, may have): reads can show it.
  bool happened(const RefOp& w) const {
    return append_ ? w.outcome != OpType::fail : ok(w);
  }
  bool reflects(const RefOp& r, const RefOp& w) const {
    return append_ ? position(r.value, w.value).has_value() : number(r.value) >= number(w.value);
  }
  bool includes(const RefOp& r, const RefOp& earlier_read) const {
    return append_ ? prefix(earlier_read.value, r.value) : number(r.value) >= number(earlier_read.value);
  }

  // Each obligation on read r: returns (any obligation, any failed).
  struct Outcome {
    bool obliged = false;
    bool failed = false;
    void add(bool holds) {
      obliged = true;
      failed = failed || !holds;
    }
  };

  Outcome read_your_writes(const RefOp& r) const {
    Outcome o;
    for (const RefOp& w : ops_)
      if (!w.read && ok(w) && w.process == r.process && w.key == r.key && before(w, r)) o.add(reflects(r, w));
    return o;
  }
  Outcome monotonic_reads(const RefOp& r) const {
    Outcome o;
    for (const RefOp& l : ops_)
      if (judgeable(l) && l.process == r.process && l.key == r.key && before(l, r)) o.add(includes(r, l));
    return o;
  }
  // r2 (same process as r, another key, before r) reflecting w2.
  template <class Visit>
  void chains(const RefOp& r, Visit visit) const {
    for (const RefOp& r2 : ops_) {
      if (!judgeable(r2) || r2.process != r.process || r2.key == r.key || !before(r2, r)) continue;
      for (const RefOp& w2 : ops_)
        if (!w2.read && w2.key == r2.key && happened(w2) && reflects(r2, w2)) visit(w2);
    }
  }
  Outcome monotonic_writes(const RefOp& r) const {
    Outcome o;
    if (append_) {
      for (const RefOp& e2 : ops_) {
        if (e2.read || e2.key != r.key || !happened(e2) || !reflects(r, e2)) continue;
        for (const RefOp& e1 : ops_) {
          if (e1.read || !ok(e1) || e1.process != e2.process || e1.key != r.key || !before(e1, e2)) continue;
          auto p1 = position(r.value, e1.value), p2 = position(r.value, e2.value);
          o.add(p1 && *p1 < *p2);
        }
      }
    }
    chains(r, [&](const RefOp& w2) {
      for (const RefOp& w1 : ops_)
        if (!w1.read && ok(w1) && w1.process == w2.process && w1.key == r.key && before(w1, w2)) o.add(reflects(r, w1));
    });
    return o;
  }
  Outcome writes_follow_reads(const RefOp& r) const {
    Outcome o;
    for (const RefOp& w : ops_) {
      if (w.read || w.key != r.key || !happened(w) || !reflects(r, w)) continue;
      for (const RefOp& l : ops_) {
        if (!judgeable(l) || l.process != w.process || l.key != r.key || !before(l, w)) continue;
        if (!append_) {
          o.add(includes(r, l));
          continue;
        }
        bool all_before = true;
        for (const Json& element : l.value) {
          auto at = position(r.value, element);
          all_before = all_before && at && *at < *position(r.value, w.value);
        }
        o.add(all_before);
      }
    }
    chains(r, [&](const RefOp& w2) {
      for (const RefOp& l : ops_)
        if (judgeable(l) && l.process == w2.process && l.key == r.key && before(l, w2)) o.add(includes(r, l));
    });
    return o;
  }

  std::set<int64_t> judge(const std::string& guarantee, bool failed_only) const {
    std::set<int64_t> reads;
    for (const RefOp& r : ops_) {
      if (!judgeable(r)) continue;
      Outcome o = guarantee == "read-your-writes"  ? read_your_writes(r)
                  : guarantee == "monotonic-reads" ? monotonic_reads(r)
                  : guarantee == "monotonic-writes" ? monotonic_writes(r)
                                                    : writes_follow_reads(r);
      if (failed_only ? o.failed : o.obliged) reads.insert(r.index);
    }
    return reads;
  }

  std::vector<RefOp> ops_;
  bool append_;
};

}  // namespace faultline::reference
