#pragma once
// The search for one partition: Wing & Gong's backtracking over a doubly linked list of call
// and return events, with Lowe's memo of visited (linearized set, state) configurations
// (research/porcupine.md section 6; research/lin-tester.md section 5). Jepsen semantics: a
// call whose outcome is unknown has no return event, so it may be linearized at any point
// after its call or never; the search succeeds once every op with a known outcome is
// linearized.
#include <memory>
#include <cstdint>
#include <string>
#include <vector>

#include "checkers/lin_model.h"
#include "checkers/search_budget.h"
#include "checkers/verdict.h"

namespace faultline {

// One event of a partition in real-time (line) order.
struct SearchEvent {
  ModelOpId op;
  bool is_call;
};

// Search ops are numbered densely 0..op_count-1; model_ops maps them to the model's ids
// (ops the search drops keep their model id but get no search op).
struct PartitionInput {
  std::vector<SearchEvent> events;  // every op has a call; ops with a known outcome a return
  std::vector<ModelOpId> model_ops;
  size_t op_count = 0;
};

struct SearchOutcome {
  Verdict verdict = Verdict::unknown;
  uint64_t iterations = 0;
  size_t cache_entries = 0;
  // The furthest return event the search reached without being able to linearize its op:
  // every op returning before it was linearized in some configuration. Events count when
  // valid (all), -1 if no return was ever reached.
  int64_t frontier_event = -1;
};

// What the configurations stuck at the frontier looked like (for the witness).
struct FrontierDetail {
  ModelOpId failing_op = 0;             // the op whose return is the frontier event
  std::vector<StateId> states;          // distinct states seen there, first kMaxStates
  size_t distinct_states = 0;
  std::vector<bool> pending_ops;  // called before the frontier and not linearized, in some
                                  // configuration stuck there
  uint64_t configurations = 0;    // configurations seen stuck at the frontier
  // The longest partial linearization among them (the first of that length): the ops in the
  // order they took effect and the model state after each (Porcupine's visualization).
  std::vector<ModelOpId> linearization;
  std::vector<StateId> states_after;
  bool complete = true;           // false when the budget ran out while explaining
  static constexpr size_t kMaxStates = 16;
};

class Search;

// The search of one partition, resumable so a scheduler can interleave partitions.
class PartitionSearch {
 public:
  PartitionSearch(SequentialModel& model, const PartitionInput& input, SearchBudget& budget);
  ~PartitionSearch();
  PartitionSearch(const PartitionSearch&) = delete;
  PartitionSearch& operator=(const PartitionSearch&) = delete;

  // Searches until decided (returns true), or until `iteration_limit` iterations in all or
  // the budget is exhausted (returns false); the next call continues from there.
  bool advance(uint64_t iteration_limit);
  SearchOutcome outcome() const;

 private:
  std::unique_ptr<Search> search_;
};

// Re-runs the search of a partition found invalid and records the configurations that reach
// `outcome.frontier_event`.
FrontierDetail explain_frontier(SequentialModel& model, const PartitionInput& input,
                                int64_t frontier_event, SearchBudget& budget);

}  // namespace faultline
