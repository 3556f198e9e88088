#pragma once
// The convergence checker's view of a history (docs/checkers/convergence.md): the data type,
// and per key its updates and its final reads (docs/workloads.md: after the nemesis `heal`
// line and a quiet period every slot reads every key from every node, `"final": true`).
// Values are read here once, so the judgment sees only well-formed input.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "checkers/checker.h"
#include "checkers/op_pairs.h"
#include "histories/history.h"

namespace faultline {

enum class DataType { set, counter, reg, append };

std::string_view to_string(DataType type);

// One add, append, decrement, write or cas.
struct Update {
  int64_t index = 0;  // the invoke's index
  size_t invoke_position = 0;
  size_t completion_position = kNeverPosition;
  size_t effective_end = kNeverPosition;  // kNeverPosition for info: it may land at any later time
  OpType outcome = OpType::info;
  std::string f;
  Json element;        // set/append: the element; register: the value written (a cas's new value)
  int64_t amount = 0;  // counter: the change (negative for a decrement)
};

// An ok final read; its value in canonical form (a set sorted without duplicates, a null list
// as [], a null counter as 0).
struct FinalRead {
  int64_t index = 0;  // the invoke's index
  size_t invoke_position = 0;
  size_t completion_position = 0;
  int64_t invoke_time_ns = 0;
  std::optional<int64_t> node;  // addressed, else answering; nullopt: unknown
  Json value;
};

struct KeyInput {
  std::optional<std::string> key;
  std::vector<Update> updates;              // invoke order
  std::vector<FinalRead> ok_final_reads;    // invoke order
  size_t final_reads = 0;                   // of any outcome
  size_t first_final_invoke = kNeverPosition;
};

struct ConvergenceInput {
  DataType type = DataType::set;
  std::map<std::optional<std::string>, KeyInput> keys;  // every key of a client op
  size_t final_reads = 0;
  std::optional<int64_t> heal_ns;        // the last nemesis heal line
  std::optional<int64_t> first_final_ns; // the first final read's invoke time
};

// type_option: "auto" infers the type from the ops (docs/checkers/convergence.md, "Data
// types"); an inference that is ambiguous, an op the type has no meaning for, or a value of
// the wrong shape is an error naming the op.
Result<ConvergenceInput> read_convergence_input(const History& history, const std::string& type_option,
                                                const OpLocator& locate);

}  // namespace faultline
