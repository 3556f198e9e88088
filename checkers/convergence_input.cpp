#include "checkers/convergence_input.h"

#include <algorithm>

namespace faultline {

std::string_view to_string(DataType type) {
  switch (type) {
    case DataType::set: return "set";
    case DataType::counter: return "counter";
    case DataType::reg: return "register";
    case DataType::append: return "append";
  }
  return "?";
}

namespace {

std::optional<DataType> type_named(const std::string& name) {
  for (DataType type : {DataType::set, DataType::counter, DataType::reg, DataType::append})
    if (to_string(type) == name) return type;
  return std::nullopt;
}

// What each op suggests about the data type (docs/checkers/convergence.md, "Data types"):
// append -> append; write/cas -> register; decrement or a negative add -> counter; add -> set
// when some read returned an array, counter when some read returned an integer.
Result<DataType> infer_type(const std::vector<OpPair>& ops, const OpLocator& locate) {
  std::map<DataType, size_t> first_hint;  // type -> position of the first op suggesting it
  std::optional<size_t> first_add, first_array_read, first_integer_read;
  auto hint = [&first_hint](DataType type, size_t position) { first_hint.emplace(type, position); };
  for (const OpPair& op : ops) {
    const Op& invoke = (*op.invoke);
    const size_t at = op.invoke_position;
    if (invoke.f == "append") hint(DataType::append, at);
    if (invoke.f == "write" || invoke.f == "cas") hint(DataType::reg, at);
    if (invoke.f == "decrement" || (invoke.f == "add" && invoke.value.is_number_integer() &&
                                    invoke.value.get<int64_t>() < 0))
      hint(DataType::counter, at);
    if (invoke.f == "add" && !first_add) first_add = at;
    const Op* done = op.completion;
    if (invoke.f != "read" || done == nullptr || done->type != OpType::ok) continue;
    if (done->value.is_array() && !first_array_read) first_array_read = op.completed_at();
    if (done->value.is_number_integer() && !first_integer_read) first_integer_read = op.completed_at();
  }
  if (first_add && first_array_read) hint(DataType::set, *first_array_read);
  if (first_add && first_integer_read) hint(DataType::counter, *first_integer_read);
  if (first_hint.size() == 1) return first_hint.begin()->first;
  if (first_hint.empty())
    return fail("cannot infer the data type: no append, write, cas or decrement, and no add with an array or "
                "integer read; give option type");
  auto second = std::next(first_hint.begin());
  return fail("cannot infer the data type: " + locate(first_hint.begin()->second) + " suggests " +
              std::string(to_string(first_hint.begin()->first)) + ", " + locate(second->second) +
              " suggests " + std::string(to_string(second->first)) + "; give option type");
}

bool is_update_of(DataType type, const std::string& f) {
  switch (type) {
    case DataType::set: return f == "add";
    case DataType::counter: return f == "add" || f == "decrement";
    case DataType::reg: return f == "write" || f == "cas";
    case DataType::append: return f == "append";
  }
  return false;
}

Result<Update> read_update(const OpPair& op, DataType type, const OpLocator& locate) {
  const Op& invoke = (*op.invoke);
  Update update{.index = invoke.index,
                .invoke_position = op.invoke_position,
                .completion_position = op.completion_position.value_or(kNeverPosition),
                .effective_end = op.effective_end(),
                .outcome = op.outcome(),
                .f = invoke.f};
  const std::string where = locate(op.invoke_position) + ": ";
  switch (type) {
    case DataType::set:
    case DataType::append:
      if (invoke.value.is_null()) return fail(where + "an " + invoke.f + " of null");
      update.element = invoke.value;
      break;
    case DataType::counter:
      if (!invoke.value.is_number_integer())
        return fail(where + "a counter " + invoke.f + " needs an integer amount, got " + invoke.value.dump());
      update.amount = invoke.value.get<int64_t>() * (invoke.f == "decrement" ? -1 : 1);
      break;
    case DataType::reg:
      if (invoke.f == "cas" && !(invoke.value.is_array() && invoke.value.size() == 2))
        return fail(where + "a cas value must be [expected, new], got " + invoke.value.dump());
      update.element = invoke.f == "cas" ? invoke.value[1] : invoke.value;
      break;
  }
  return update;
}

// The canonical value of an ok read: sets compare as sets, lists as lists (docs/workloads.md:
// a null set or list reads as [], a null counter as 0; a register's null is "never written").
Result<Json> canonical_read(const Json& value, DataType type, const std::string& where) {
  switch (type) {
    case DataType::set:
    case DataType::append: {
      if (value.is_null()) return Json::array();
      if (!value.is_array())
        return fail(where + "a " + std::string(to_string(type)) + " read returned " + value.dump() +
                    ", not an array");
      if (type == DataType::append) return value;
      std::vector<Json> elements = value.get<std::vector<Json>>();
      std::sort(elements.begin(), elements.end());
      elements.erase(std::unique(elements.begin(), elements.end()), elements.end());
      return Json(elements);
    }
    case DataType::counter:
      if (value.is_null()) return Json(0);
      if (!value.is_number_integer()) return fail(where + "a counter read returned " + value.dump() + ", not an integer");
      return value;
    case DataType::reg: return value;
  }
  return value;
}

Result<void> add_final_read(const OpPair& op, DataType type, KeyInput& key, const OpLocator& locate) {
  ++key.final_reads;
  key.first_final_invoke = std::min(key.first_final_invoke, op.invoke_position);
  if (op.outcome() != OpType::ok) return outcome::success();
  const Op& done = *op.completion;
  BOOST_OUTCOME_TRY(value, canonical_read(done.value, type, locate(op.completed_at()) + ": "));
  key.ok_final_reads.push_back(FinalRead{.index = (*op.invoke).index,
                                         .invoke_position = op.invoke_position,
                                         .completion_position = op.completion_position.value_or(kNeverPosition),
                                         .invoke_time_ns = (*op.invoke).time_ns,
                                         .node = op.node(),
                                         .value = std::move(value)});
  return outcome::success();
}

Result<void> add_client_op(const OpPair& op, ConvergenceInput& input, const OpLocator& locate) {
  const Op& invoke = (*op.invoke);
  KeyInput& key = input.keys[invoke.key];
  key.key = invoke.key;
  const bool final = op.is_final();
  if (final && invoke.f != "read")
    return fail(locate(op.invoke_position) + ": a final op must be a read, got \"" + invoke.f + "\"");
  if (final) {
    ++input.final_reads;
    if (!input.first_final_ns) input.first_final_ns = invoke.time_ns;
    return add_final_read(op, input.type, key, locate);
  }
  if (invoke.f == "read") return outcome::success();  // only final reads show the converged state
  if (!is_update_of(input.type, invoke.f))
    return fail(locate(op.invoke_position) + ": \"" + invoke.f + "\" is not an op of a " +
                std::string(to_string(input.type)) + " (give option type if the inference is wrong)");
  BOOST_OUTCOME_TRY(update, read_update(op, input.type, locate));
  key.updates.push_back(std::move(update));
  return outcome::success();
}

}  // namespace

Result<ConvergenceInput> read_convergence_input(const History& history, const std::string& type_option,
                                                const OpLocator& locate) {
  BOOST_OUTCOME_TRY(ops, pair_client_ops(history, locate));
  ConvergenceInput input;
  for (const Op& op : history.ops)
    if (op.is_nemesis() && op.f == "heal") input.heal_ns = op.time_ns;
  const bool any_final = std::any_of(ops.begin(), ops.end(), [&](const OpPair& op) { return op.is_final(); });
  if (!any_final) return input;  // no final reads: nothing to judge, the type does not matter
  if (type_option == "auto") {
    BOOST_OUTCOME_TRY(inferred, infer_type(ops, locate));
    input.type = inferred;
  } else {
    std::optional<DataType> named = type_named(type_option);
    if (!named) return fail("convergence: unknown type \"" + type_option + "\"");
    input.type = *named;
  }
  for (const OpPair& op : ops) {
    BOOST_OUTCOME_TRYV(add_client_op(op, input, locate));
  }
  return input;
}

}  // namespace faultline
