#include "histories/import_edn.h"

#include <algorithm>
#include <limits>
#include <optional>

#include "histories/edn.h"
#include "histories/import_common.h"
#include "histories/input_limits.h"
#include "histories/json_input.h"

namespace faultline {
namespace {

std::string text_of(const Json& value) {
  return value.is_string() ? value.get<std::string>() : value.dump();
}

Result<int64_t> process_of(const Json& map, const std::string& where) {
  auto it = map.find("process");
  if (it == map.end()) return fail(where + ": an op has no :process");
  if (it->is_string() && it->get<std::string>() == "nemesis") return kNemesisProcess;
  auto process = json_int64(*it);
  if (!process || *process < 0)
    return fail(where + ": :process must be a non-negative 64-bit integer or :nemesis, got " + excerpt(it->dump()));
  return *process;
}

// An optional integer field (:time, :index): absent or nil is nullopt; anything else must be
// an integer of the int64 range, never silently dropped.
Result<std::optional<int64_t>> optional_integer(const Json& map, const char* name, const std::string& where) {
  auto it = map.find(name);
  if (it == map.end() || it->is_null()) return std::optional<int64_t>();
  auto value = json_int64(*it);
  if (!value) return fail(where + ": :" + name + " must be a 64-bit integer, got " + excerpt(it->dump()));
  return value;
}

// :index is kept when every op has one; otherwise ops are numbered by position.
Result<Op> op_from_map(const Json& map, const std::string& where) {
  if (!map.is_object()) return fail(where + ": an op must be a map, got " + excerpt(map.dump()));
  Op op;
  BOOST_OUTCOME_TRY(process, process_of(map, where));
  op.process = process;
  auto type_it = map.find("type");
  if (type_it == map.end() || !type_it->is_string()) return fail(where + ": an op has no :type");
  auto type = op_type_from_string(type_it->get<std::string>());
  if (!type) return fail(where + ": unknown :type :" + type_it->get<std::string>());
  op.type = *type;
  auto f_it = map.find("f");
  if (f_it == map.end() || f_it->is_null()) return fail(where + ": an op has no :f");
  op.f = text_of(*f_it);
  if (auto it = map.find("value"); it != map.end()) op.value = *it;
  if (auto it = map.find("key"); it != map.end() && !it->is_null()) op.key = text_of(*it);
  BOOST_OUTCOME_TRY(time_ns, optional_integer(map, "time", where));
  op.time_ns = time_ns.value_or(0);
  BOOST_OUTCOME_TRY(index, optional_integer(map, "index", where));
  if (index && *index < 0) return fail(where + ": :index must not be negative, got " + std::to_string(*index));
  op.index = index.value_or(-1);
  if (auto it = map.find("error"); it != map.end() && !it->is_null()) op.error = text_of(*it);
  return op;
}

// The ops with their lines (history.op_lines); two ops with one :index are an error.
Result<History> read_ops(std::string_view text, const std::string& source, bool require_key) {
  BOOST_OUTCOME_TRY(forms, parse_edn_forms(text, source, EdnOptions{.unwrap_outer_collection = true}));
  History history;
  history.ops.reserve(forms.size());
  for (const EdnForm& form : forms) {
    std::string where = source + ":" + std::to_string(form.line);
    BOOST_OUTCOME_TRY(op, op_from_map(form.value, where));
    if (require_key && !op.is_nemesis() && !op.key) return fail(where + ": an op has no :key");
    history.ops.push_back(std::move(op));
    history.op_lines.push_back(form.line);
  }
  std::vector<Op>& ops = history.ops;
  bool all_indexed = std::all_of(ops.begin(), ops.end(), [](const Op& op) { return op.index >= 0; });
  for (size_t position = 0; position < ops.size() && !all_indexed; ++position)
    ops[position].index = static_cast<int64_t>(position);
  BOOST_OUTCOME_TRYV(require_unique_op_indexes(history, source));
  return history;
}

bool is_key_tuple(const Op& op) {
  const Json& value = op.value;
  if (!value.is_array() || value.size() != 2) return false;
  if (!value[0].is_string() && !value[0].is_number()) return false;
  if (op.f == "cas" && !(value[1].is_array() && value[1].size() == 2)) return false;
  return true;
}

// jepsen.independent wraps every client value as [key value]. A cas-register history's own
// [old new] values fail the test on their cas (a tuple's cas value is [k [old new]]), a
// multi-register's micro-op lists fail on their first element.
bool is_independent(const std::vector<Op>& ops) {
  bool any = false;
  for (const Op& op : ops) {
    if (op.is_nemesis()) continue;
    if (op.key || !is_key_tuple(op)) return false;
    any = true;
  }
  return any;
}

void split_key_tuples(std::vector<Op>& ops) {
  for (Op& op : ops) {
    if (op.is_nemesis()) continue;
    op.key = text_of(op.value[0]);
    Json value = std::move(op.value[1]);
    op.value = std::move(value);
  }
}

void mark_unknown_reads(std::vector<Op>& ops) {
  for (Op& op : ops) {
    if (op.is_nemesis() || op.type != OpType::ok || op.f != "read" || !op.value.is_null()) continue;
    op.type = OpType::info;
    op.error = "unknown read value (Knossos: an ok read of nil)";
  }
}

}  // namespace

Result<History> import_jepsen_edn(std::string_view text, const std::string& source) {
  BOOST_OUTCOME_TRY(history, read_ops(text, source, /*require_key=*/false));
  if (is_independent(history.ops)) split_key_tuples(history.ops);
  mark_unknown_reads(history.ops);
  if (auto retired = retire_processes_after_info(history.ops); !retired)
    return fail(source + ": " + retired.error().message);
  return std::move(history);
}

Result<History> import_porcupine_kv(std::string_view text, const std::string& source) {
  BOOST_OUTCOME_TRY(history, read_ops(text, source, /*require_key=*/true));
  if (auto retired = retire_processes_after_info(history.ops); !retired)
    return fail(source + ": " + retired.error().message);
  return std::move(history);
}

}  // namespace faultline
