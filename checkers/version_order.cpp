#include "checkers/version_order.h"

#include <algorithm>
#include <map>

#include "base/assert.h"
#include "checkers/op_pairs.h"

namespace faultline {

std::string_view to_string(KvShape shape) { return shape == KvShape::session ? "session" : "append"; }

namespace {

Result<KvShape> resolve_shape(const History& history, const std::string& type) {
  if (type == "session") return KvShape::session;
  if (type == "append") return KvShape::append;
  if (type != "auto") return fail("type must be one of auto|session|append, got \"" + type + "\"");
  for (const Op& op : history.ops)
    if (!op.is_nemesis() && (op.f == "append" || (op.f == "read" && op.type == OpType::ok && op.value.is_array())))
      return KvShape::append;
  return KvShape::session;
}

std::string write_verb(KvShape shape) { return shape == KvShape::session ? "write" : "append"; }

Result<void> check_invoke(const Op& op, KvShape shape, const std::string& where) {
  if (op.f != "read" && op.f != write_verb(shape))
    return fail(where + ": op \"" + op.f + "\" is not part of a " + std::string(to_string(shape)) +
                " history (read and " + write_verb(shape) + " only)");
  if (op.f == "read") return outcome::success();
  if (!op.value.is_number_integer())
    return fail(where + ": a " + write_verb(shape) + " must carry an integer, got " + op.value.dump());
  if (shape == KvShape::session && op.value.get<int64_t>() < 1)
    return fail(where + ": session writes are integers from 1 (0 is the never-written version), got " +
                op.value.dump());
  return outcome::success();
}

Result<Json> read_value(const Op& completion, KvShape shape, const std::string& where) {
  const Json& value = completion.value;
  if (shape == KvShape::session) {
    if (value.is_null() || (value.is_number_integer() && value.get<int64_t>() >= 0)) return value;
    return fail(where + ": a session read returns null or a non-negative integer, got " + value.dump());
  }
  if (value.is_null()) return Json::array();  // docs/workloads.md: null is read as []
  if (value.is_array()) return value;
  return fail(where + ": an append read returns a list, got " + value.dump());
}

// The op's completion, when it has one, fills in its outcome and what it saw.
Result<void> complete(KvOp& kv_op, const Op& completion, size_t position, KvShape shape, const std::string& where) {
  kv_op.outcome = completion.type;
  kv_op.index = completion.index;
  kv_op.completion_position = position;
  kv_op.completion_ns = completion.time_ns;
  kv_op.node = completion.node;
  kv_op.role = completion.role;
  kv_op.final = kv_op.final || completion.final;
  if (kv_op.is_read && completion.type == OpType::ok) {
    BOOST_OUTCOME_TRY(value, read_value(completion, shape, where));
    kv_op.value = std::move(value);
  }
  return outcome::success();
}

// Each invoke with its completion (pair_client_ops), as the version orders need them.
Result<std::vector<KvOp>> pair_ops(const History& history, KvShape shape, const OpLocator& locate) {
  BOOST_OUTCOME_TRY(pairs, pair_client_ops(history, locate));
  std::vector<KvOp> ops;
  for (const OpPair& pair : pairs) {
    const Op& op = *pair.invoke;
    BOOST_OUTCOME_TRYV(check_invoke(op, shape, locate(pair.invoke_position)));
    KvOp kv_op{.is_read = op.f == "read", .process = op.process, .key = op.key.value_or(""),
               .value = op.f == "read" ? Json() : op.value, .outcome = OpType::invoke,
               .index = op.index, .invoke_position = pair.invoke_position, .invoke_ns = op.time_ns,
               .addressed_node = op.node, .final = op.final};
    if (pair.completion != nullptr) {
      BOOST_OUTCOME_TRYV(complete(kv_op, *pair.completion, pair.completed_at(), shape, locate(pair.completed_at())));
    }
    ops.push_back(std::move(kv_op));
  }
  return ops;
}

// docs/workloads.md, session: one writing slot per key writes strictly increasing integers.
// Two writers at once, or a value that does not grow, would break integer order as version order.
Result<void> check_session_writers(const std::vector<KvOp>& ops, const OpLocator& locate) {
  std::map<std::string, const KvOp*> last_write;  // key -> its latest write so far (invoke order)
  for (const KvOp& op : ops) {
    if (op.is_read) continue;
    auto [it, first] = last_write.try_emplace(op.key, &op);
    if (first) continue;
    const KvOp& previous = *it->second;
    const bool overlaps = !previous.completion_position || *previous.completion_position > op.invoke_position;
    if (previous.process != op.process && overlaps)
      return fail(locate(op.invoke_position) + ": write of " + key_name(op.key) + " by process " +
                  std::to_string(op.process) + " overlaps the write at " + locate(previous.invoke_position) +
                  " by process " + std::to_string(previous.process) + ": a session key has one writer at a time");
    if (op.value.get<int64_t>() <= previous.value.get<int64_t>())
      return fail(locate(op.invoke_position) + ": write of " + key_name(op.key) + " = " + op.value.dump() +
                  " does not exceed the earlier write of " + previous.value.dump() + " at " +
                  locate(previous.invoke_position) + ": session writes of a key strictly increase");
    it->second = &op;
  }
  return outcome::success();
}

// docs/workloads.md, append: every element is unique across the run.
Result<void> check_unique_elements(const std::vector<KvOp>& ops, const OpLocator& locate) {
  std::map<int64_t, size_t> appended_at;  // element -> invoke position
  for (const KvOp& op : ops) {
    if (op.is_read) continue;
    auto [it, fresh] = appended_at.try_emplace(op.value.get<int64_t>(), op.invoke_position);
    if (!fresh)
      return fail(locate(op.invoke_position) + ": element " + op.value.dump() + " is appended twice (also at " +
                  locate(it->second) + "): append elements are unique");
  }
  return outcome::success();
}

// session: integer order, with info / never-completed writes floating (docs/workloads.md).
void assign_session_versions(KvHistory& kv) {
  std::map<std::string, std::set<int64_t>> floating_values;
  for (KvOp& op : kv.ops) {
    if (op.is_read) continue;
    if (op.outcome == OpType::fail) {
      op.unversioned = Unversioned::not_ok;
    } else if (op.ok()) {
      op.version = op.value.get<int64_t>();
    } else {
      op.unversioned = Unversioned::floating;
      floating_values[op.key].insert(op.value.get<int64_t>());
    }
  }
  for (KvOp& op : kv.ops) {
    if (!op.is_read) continue;
    if (!op.ok()) {
      op.unversioned = Unversioned::not_ok;
      continue;
    }
    const int64_t seen = op.value.is_null() ? 0 : op.value.get<int64_t>();
    if (floating_values[op.key].contains(seen)) {
      op.unversioned = Unversioned::floating;
    } else {
      op.version = seen;
    }
  }
}

bool is_prefix(const Json& shorter, const Json& longer) {
  if (shorter.size() > longer.size()) return false;
  for (size_t i = 0; i < shorter.size(); ++i)
    if (shorter[i] != longer[i]) return false;
  return true;
}

// append: the longest ok read of the key (the first one, by invoke order, among equals), or
// an anomaly when some read is not its prefix or it lists an element twice.
std::optional<VersionAnomaly> find_order_anomaly(const KvHistory& kv, const std::string& key,
                                                 const std::vector<size_t>& reads, size_t longest) {
  const Json& order = kv.ops[longest].value;
  std::vector<size_t> incompatible;
  for (size_t read : reads)
    if (!is_prefix(kv.ops[read].value, order)) incompatible.push_back(read);
  if (!incompatible.empty()) {
    size_t earlier = incompatible.front(), later = longest;
    if (kv.ops[later].index < kv.ops[earlier].index) std::swap(earlier, later);
    std::string more = incompatible.size() > 1
                           ? " (" + std::to_string(incompatible.size() - 1) + " more reads of the key are not prefixes of #" +
                                 std::to_string(kv.ops[longest].index) + ")"
                           : "";
    return VersionAnomaly{.kind = "incompatible-order", .key = key, .ops = {earlier, later},
                          .explanation = "#" + std::to_string(kv.ops[earlier].index) + " read " +
                                         brief_value(kv.ops[earlier].value) + " and #" +
                                         std::to_string(kv.ops[later].index) + " read " +
                                         brief_value(kv.ops[later].value) + ": neither extends the other" + more};
  }
  std::set<Json> seen;
  for (const Json& element : order)
    if (!seen.insert(element).second)
      return VersionAnomaly{.kind = "duplicate-element", .key = key, .ops = {longest},
                            .explanation = "#" + std::to_string(kv.ops[longest].index) + " lists element " +
                                           element.dump() + " twice"};
  return std::nullopt;
}

void assign_append_versions(KvHistory& kv) {
  std::map<std::string, std::vector<size_t>> reads_by_key;  // ok reads
  for (size_t i = 0; i < kv.ops.size(); ++i)
    if (kv.ops[i].is_read && kv.ops[i].ok()) reads_by_key[kv.ops[i].key].push_back(i);
  std::map<std::string, std::map<Json, int64_t>> position_by_key;  // element -> 1-based position
  for (const auto& [key, reads] : reads_by_key) {
    size_t longest = reads.front();
    for (size_t read : reads)
      if (kv.ops[read].value.size() > kv.ops[longest].value.size()) longest = read;
    if (auto anomaly = find_order_anomaly(kv, key, reads, longest)) {
      kv.anomalies.push_back(std::move(*anomaly));
      kv.keys_without_order.insert(key);
      continue;
    }
    auto& positions = position_by_key[key];
    for (const Json& element : kv.ops[longest].value) positions.emplace(element, static_cast<int64_t>(positions.size()) + 1);
  }
  for (KvOp& op : kv.ops) {
    const bool happened_or_may_have = op.is_read ? op.ok() : op.outcome != OpType::fail;
    if (!happened_or_may_have) {
      op.unversioned = Unversioned::not_ok;
    } else if (kv.keys_without_order.contains(op.key)) {
      op.unversioned = Unversioned::no_order;
    } else if (op.is_read) {
      op.version = static_cast<int64_t>(op.value.size());
    } else {
      const auto& positions = position_by_key[op.key];
      auto it = positions.find(op.value);
      op.version = it == positions.end() ? kUnobserved : it->second;
    }
  }
}

}  // namespace

Result<KvHistory> read_kv_history(const History& history, const std::string& type, const OpLocator& locate) {
  BOOST_OUTCOME_TRY(shape, resolve_shape(history, type));
  BOOST_OUTCOME_TRY(ops, pair_ops(history, shape, locate));
  if (shape == KvShape::session) {
    BOOST_OUTCOME_TRYV(check_session_writers(ops, locate));
  } else {
    BOOST_OUTCOME_TRYV(check_unique_elements(ops, locate));
  }
  KvHistory kv{.shape = shape, .ops = std::move(ops)};
  for (const KvOp& op : kv.ops) kv.keys.insert(op.key);
  if (shape == KvShape::session) {
    assign_session_versions(kv);
  } else {
    assign_append_versions(kv);
  }
  return kv;
}

std::string key_name(const std::string& key) { return key.empty() ? "(no key)" : key; }


namespace {

std::string served_by(const KvOp& op) {
  std::string text;
  if (op.node) {
    text = ", node " + std::to_string(*op.node);
  } else if (op.addressed_node) {
    text = ", asked node " + std::to_string(*op.addressed_node);
  }
  if (op.role) text += ", " + *op.role;
  return text;
}

}  // namespace

std::string describe_read(const KvOp& read) {
  return key_name(read.key) + " = " + brief_value(read.value) + " (#" + std::to_string(read.index) + served_by(read) +
         (read.final ? ", final read" : "") + ")";
}

std::string describe_write(const KvOp& write, KvShape shape) {
  const std::string outcome = write.ok() ? "" : ", " + std::string(to_string(write.outcome == OpType::invoke ? OpType::info : write.outcome));
  const std::string where = " (#" + std::to_string(write.index) + outcome + ")";
  if (shape == KvShape::session) return "wrote " + key_name(write.key) + " = " + write.value.dump() + where;
  return "appended " + write.value.dump() + " to " + key_name(write.key) + where;
}

Json anomalies_json(const KvHistory& kv) {
  Json anomalies = Json::array();
  for (const VersionAnomaly& anomaly : kv.anomalies) {
    Json ops = Json::array();
    for (size_t position : anomaly.ops) ops.push_back(kv.ops[position].index);
    anomalies.push_back({{"kind", anomaly.kind}, {"key", anomaly.key}, {"ops", ops}, {"explanation", anomaly.explanation}});
  }
  return anomalies;
}

Json op_json(const KvOp& op, KvShape shape) {
  Json json = {{"index", op.index},
               {"process", op.process},
               {"f", op.is_read ? "read" : write_verb(shape)},
               {"key", op.key},
               {"value", op.value},
               {"outcome", op.outcome == OpType::invoke ? "never completed" : std::string(to_string(op.outcome))}};
  if (op.node) json["node"] = *op.node;
  if (op.addressed_node) json["addressed_node"] = *op.addressed_node;
  if (op.role) json["role"] = *op.role;
  if (op.final) json["final"] = true;
  return json;
}

}  // namespace faultline
