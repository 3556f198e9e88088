#pragma once
// Random small session / append histories that keep the workloads' assumptions
// (docs/workloads.md) but whose reads are sometimes consistent and sometimes not: 1-3 keys,
// 2-4 client slots, up to ~14 ops with ok / fail / info outcomes, reads from random nodes,
// some ops left open, sometimes final reads. Call inside a rapidcheck property.
#include <rapidcheck.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "histories/history.h"

namespace faultline::testing_support {

class KvHistoryGenerator {
 public:
  explicit KvHistoryGenerator(bool append)
      : append_(append),
        keys_(*rc::gen::element(1, 1, 2, 3, 3)),  // few keys: reads meet; 3 keys: a slot owns two
        slots_(*rc::gen::element(2, 2, 3, 4)),
        process_(slots_),
        open_(slots_) {
    for (int slot = 0; slot < slots_; ++slot) process_[slot] = slot;
  }

  History generate() {
    const int lines = *rc::gen::inRange(6, 29);
    for (int i = 0; i < lines; ++i) step(*rc::gen::inRange(0, slots_));
    if (*rc::gen::inRange(0, 3) == 0) final_reads();
    return history_;
  }

 private:
  struct Pending {
    bool read = false;
    std::string key;
    int64_t value = 0;
  };

  std::string key(int k) const {
    std::string name = "k";  // appended, not "k" + ...: g++ 12 warns falsely (-Wrestrict) on that
    name += std::to_string(k);
    return name;
  }

  void step(int slot) {
    if (open_[slot]) {
      complete(slot);
      return;
    }
    const int k = *rc::gen::inRange(0, keys_);
    const bool owns_a_key = slot < keys_;
    const bool write = append_ ? *rc::gen::inRange(0, 2) == 0 : owns_a_key && *rc::gen::inRange(0, 5) < 2;
    if (!write) {
      open_[slot] = Pending{.read = true, .key = key(k)};
      add(process_[slot], OpType::invoke, "read", key(k), nullptr, *rc::gen::inRange(0, 3));
      return;
    }
    // session: a slot writes the keys it owns (key i belongs to slot i mod slots), counting up.
    const std::string written = append_ ? key(k) : key(owned_key(slot));
    const int64_t value = append_ ? ++next_element_ : ++counter_[written];
    open_[slot] = Pending{.read = false, .key = written, .value = value};
    add(process_[slot], OpType::invoke, append_ ? "append" : "write", written, value, std::nullopt);
  }

  int owned_key(int slot) const {
    std::vector<int> owned;
    for (int k = slot; k < keys_; k += slots_) owned.push_back(k);
    return *rc::gen::elementOf(owned);
  }

  void complete(int slot) {
    const Pending pending = *open_[slot];
    open_[slot].reset();
    const int draw = *rc::gen::inRange(0, 20);
    const OpType type = draw < 13 ? OpType::ok : draw < 16 ? OpType::fail : OpType::info;
    if (pending.read) {
      add(process_[slot], type, "read", pending.key, type == OpType::ok ? read_value(pending.key) : Json(nullptr),
          *rc::gen::inRange(0, 3));
    } else {
      const bool lands = type == OpType::ok || (type == OpType::info && *rc::gen::inRange(0, 2) == 0);
      if (lands) apply(pending);
      written_[pending.key].push_back(pending.value);
      add(process_[slot], type, append_ ? "append" : "write", pending.key, pending.value, std::nullopt);
    }
    if (type == OpType::info) process_[slot] += slots_;  // retired: the slot goes on as a new process
  }

  void apply(const Pending& write) {
    if (append_) {
      state_[write.key].push_back(write.value);
    } else {
      state_[write.key] = Json(std::max(write.value, state_[write.key].is_null() ? 0 : state_[write.key].get<int64_t>()));
    }
  }

  // Sometimes the current state, sometimes an older or a wrong one.
  Json read_value(const std::string& k) {
    const int draw = *rc::gen::inRange(0, 10);
    if (append_) {
      Json list = state_[k].is_null() ? Json::array() : state_[k];
      if (draw < 3) return list;
      const size_t kept = *rc::gen::inRange<size_t>(0, list.size() + 1);
      Json older = Json::array();
      for (size_t i = 0; i < kept; ++i) older.push_back(list[i]);
      if (draw < 8 || older.empty()) return older;
      if (draw == 8) older.erase(older.begin() + *rc::gen::inRange<size_t>(0, older.size()));  // a hole
      else if (older.size() >= 2) std::swap(older[0], older[1]);                              // reordered
      return older;
    }
    if (draw < 3) return state_[k];
    std::vector<Json> seen = {Json(nullptr)};
    for (int64_t value : written_[k]) seen.push_back(value);
    return *rc::gen::elementOf(seen);
  }

  void final_reads() {
    for (int slot = 0; slot < slots_; ++slot)
      if (open_[slot]) complete(slot);
    for (int k = 0; k < keys_; ++k) {
      const int slot = *rc::gen::inRange(0, slots_);
      add(process_[slot], OpType::invoke, "read", key(k), nullptr, k % 3).final = true;
      add(process_[slot], OpType::ok, "read", key(k), read_value(key(k)), k % 3).final = true;
    }
  }

  Op& add(int64_t process, OpType type, const std::string& f, const std::string& k, Json value,
          std::optional<int64_t> node) {
    Op op;
    op.index = static_cast<int64_t>(history_.ops.size());
    time_ns_ += *rc::gen::inRange<int64_t>(1, 5'000'000);
    op.time_ns = time_ns_;
    op.process = process;
    op.type = type;
    op.f = f;
    op.key = k;
    op.value = std::move(value);
    op.node = node;
    if (type != OpType::invoke && node && *rc::gen::inRange(0, 2) == 0) op.role = *node == 0 ? "leader" : "follower";
    history_.ops.push_back(std::move(op));
    return history_.ops.back();
  }

  bool append_;
  int keys_;
  int slots_;
  std::vector<int64_t> process_;             // slot -> its current process id
  std::vector<std::optional<Pending>> open_;  // slot -> its open op
  std::map<std::string, int64_t> counter_;   // session: last value written per key
  int64_t next_element_ = 0;                 // append: elements are unique across the run
  std::map<std::string, Json> state_;        // what a fresh read would return
  std::map<std::string, std::vector<int64_t>> written_;
  int64_t time_ns_ = 0;
  History history_;
};

}  // namespace faultline::testing_support
