#include "histories/import_edn.h"

#include <algorithm>

#include "histories/edn.h"
#include "histories/import_common.h"

namespace faultline {
namespace {

std::string text_of(const Json& value) {
  return value.is_string() ? value.get<std::string>() : value.dump();
}

Result<int64_t> process_of(const Json& map, const std::string& where) {
  auto it = map.find("process");
  if (it == map.end()) return fail(where + ": an op has no :process");
  if (it->is_string() && it->get<std::string>() == "nemesis") return kNemesisProcess;
  if (!it->is_number_integer() || it->get<int64_t>() < 0)
    return fail(where + ": :process must be a non-negative integer or :nemesis, got " + it->dump());
  return it->get<int64_t>();
}

// :index is kept when every op has one; otherwise ops are numbered by position.
Result<Op> op_from_map(const Json& map, const std::string& where) {
  if (!map.is_object()) return fail(where + ": an op must be a map, got " + map.dump());
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
  if (auto it = map.find("time"); it != map.end() && it->is_number_integer())
    op.time_ns = it->get<int64_t>();
  auto index_it = map.find("index");
  op.index = index_it != map.end() && index_it->is_number_integer() ? index_it->get<int64_t>() : -1;
  if (auto it = map.find("error"); it != map.end() && !it->is_null()) op.error = text_of(*it);
  return op;
}

Result<std::vector<Op>> read_ops(std::string_view text, const std::string& source,
                                 bool require_key) {
  BOOST_OUTCOME_TRY(forms, parse_edn_forms(text, source, /*unwrap_outer_collection=*/true));
  std::vector<Op> ops;
  ops.reserve(forms.size());
  for (const EdnForm& form : forms) {
    std::string where = source + ":" + std::to_string(form.line);
    BOOST_OUTCOME_TRY(op, op_from_map(form.value, where));
    if (require_key && !op.is_nemesis() && !op.key) return fail(where + ": an op has no :key");
    ops.push_back(std::move(op));
  }
  bool all_indexed = std::all_of(ops.begin(), ops.end(), [](const Op& op) { return op.index >= 0; });
  for (size_t position = 0; position < ops.size() && !all_indexed; ++position)
    ops[position].index = static_cast<int64_t>(position);
  return ops;
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
  BOOST_OUTCOME_TRY(ops, read_ops(text, source, /*require_key=*/false));
  if (is_independent(ops)) split_key_tuples(ops);
  mark_unknown_reads(ops);
  retire_processes_after_info(ops);
  History history;
  history.ops = std::move(ops);
  return history;
}

Result<History> import_porcupine_kv(std::string_view text, const std::string& source) {
  BOOST_OUTCOME_TRY(ops, read_ops(text, source, /*require_key=*/true));
  retire_processes_after_info(ops);
  History history;
  history.ops = std::move(ops);
  return history;
}

}  // namespace faultline
