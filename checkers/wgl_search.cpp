#include "checkers/wgl_search.h"

#include <algorithm>
#include <array>
#include <limits>
#include <unordered_map>
#include <unordered_set>

#include "base/assert.h"
#include "checkers/check_progress.h"
#include "checkers/state_cache.h"

namespace faultline {
namespace {

// Zobrist hashing of the linearized set: a fixed random word per op, XORed in and out, so
// the set's hash is updated in O(1) per step (research/lin-tester.md, trick 4).
uint64_t zobrist_word(uint64_t op) {
  uint64_t z = (op + 1) * 0x9e3779b97f4a7c15ULL;  // SplitMix64
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

constexpr int32_t kNone = -1;
constexpr uint64_t kBudgetCheckInterval = 4096;

}  // namespace

class Search {
 public:
  Search(SequentialModel& model, const PartitionInput& input, SearchBudget& budget)
      : model_(model),
        input_(input),
        budget_(budget),
        cache_((input.op_count + 63) / 64, budget),
        bits_((input.op_count + 63) / 64, 0) {
    build_list();
    build_reductions();
    stack_.reserve(input.op_count);
    state_ = model_.initial_state();
  }

  // Searches until decided (true) or until `iteration_limit` iterations in all or the budget
  // is exhausted (false). Resumable: the next call continues where this one stopped.
  bool advance(uint64_t iteration_limit, int64_t record_at, FrontierDetail* detail);
  SearchOutcome outcome() const {
    SearchOutcome outcome = outcome_;
    outcome.cache_entries = cache_.size();
    return outcome;
  }

 private:
  enum class Phase : uint8_t { observers, urgent, others };
  struct Frame {
    int32_t call_event;
    StateId previous_state;
    Phase phase;          // observers: committed, its configuration has no alternative
    int32_t urgent_call;  // the urgent op of its configuration
  };
  static constexpr size_t kDominators = 2;

  void build_list();
  void build_reductions();
  bool dominated(ModelOpId op) const {
    for (int32_t other : dominators_[op]) {
      if (other != kNone && !linearized(static_cast<ModelOpId>(other))) return true;
    }
    return false;
  }
  bool linearized(ModelOpId op) const { return (bits_[op / 64] >> (op % 64)) & 1; }
  void lift(ModelOpId op);
  void unlift(ModelOpId op);
  void flip(ModelOpId op) {
    bits_[op / 64] ^= uint64_t{1} << (op % 64);
    bits_hash_ ^= zobrist_[op];
  }
  void record(int32_t return_event, StateId state, FrontierDetail& detail);

  SequentialModel& model_;
  const PartitionInput& input_;
  SearchBudget& budget_;
  StateCache cache_;
  std::vector<uint64_t> bits_;
  uint64_t bits_hash_ = 0;
  std::vector<uint64_t> zobrist_;
  // The doubly linked event list; node `head_` is the sentinel.
  std::vector<int32_t> next_, prev_;
  int32_t head_ = 0;
  std::vector<int32_t> call_event_, return_event_;  // per op; kNone when absent
  size_t known_outcome_ops_ = 0;
  std::vector<char> observer_;  // per op: never changes the state
  // Per op: identical ops called earlier whose deadline is not later; while one of them is
  // not linearized, this op need not be tried (any order placing it first can swap the two).
  std::vector<std::array<int32_t, kDominators>> dominators_;
  std::unordered_set<StateId> frontier_states_;
  // The search's position, kept between advance() calls.
  SearchOutcome outcome_;
  std::vector<Frame> stack_;
  StateId state_ = 0;
  size_t linearized_known_ = 0;
  int32_t entry_ = kNone;  // kNone: at a fresh configuration
  int32_t urgent_ = kNone;
  Phase phase_ = Phase::observers;
};

void Search::build_list() {
  const size_t events = input_.events.size();
  head_ = static_cast<int32_t>(events);
  next_.resize(events + 1);
  prev_.resize(events + 1);
  for (size_t i = 0; i <= events; ++i) {
    next_[i] = i + 1 < events ? static_cast<int32_t>(i + 1) : kNone;
    prev_[i] = i == 0 ? head_ : static_cast<int32_t>(i - 1);
  }
  next_[head_] = events > 0 ? 0 : kNone;
  prev_[head_] = kNone;
  call_event_.assign(input_.op_count, kNone);
  return_event_.assign(input_.op_count, kNone);
  for (size_t i = 0; i < events; ++i) {
    const SearchEvent& event = input_.events[i];
    (event.is_call ? call_event_ : return_event_)[event.op] = static_cast<int32_t>(i);
  }
  zobrist_.resize(input_.op_count);
  for (size_t op = 0; op < input_.op_count; ++op) {
    FAULTLINE_ASSERT(call_event_[op] != kNone, "every op has a call event");
    zobrist_[op] = zobrist_word(op);
    if (return_event_[op] != kNone) ++known_outcome_ops_;
  }
}

void Search::build_reductions() {
  const size_t ops = input_.op_count;
  observer_.resize(ops);
  dominators_.assign(ops, {kNone, kNone});
  // Ops are numbered in call order, so earlier ops of a signature have earlier calls.
  std::unordered_map<uint64_t, std::vector<int32_t>> by_signature;
  const auto deadline = [&](int32_t op) {
    return return_event_[op] == kNone ? std::numeric_limits<int32_t>::max() : return_event_[op];
  };
  for (size_t op = 0; op < ops; ++op) {
    const ModelOpId model_op = input_.model_ops[op];
    observer_[op] = model_.is_observer(model_op);
    uint64_t signature = model_.op_signature(model_op);
    if (signature >> 63) continue;
    auto& earlier = by_signature[signature];
    size_t found = 0;
    for (auto it = earlier.rbegin(); it != earlier.rend() && found < kDominators; ++it) {
      if (deadline(*it) <= deadline(static_cast<int32_t>(op))) dominators_[op][found++] = *it;
    }
    earlier.push_back(static_cast<int32_t>(op));
  }
}

void Search::lift(ModelOpId op) {
  for (int32_t node : {call_event_[op], return_event_[op]}) {
    if (node == kNone) continue;
    next_[prev_[node]] = next_[node];
    if (next_[node] != kNone) prev_[next_[node]] = prev_[node];
  }
}

void Search::unlift(ModelOpId op) {
  // Relink in the reverse order of lift (dancing links).
  for (int32_t node : {return_event_[op], call_event_[op]}) {
    if (node == kNone) continue;
    next_[prev_[node]] = node;
    if (next_[node] != kNone) prev_[next_[node]] = node;
  }
}

void Search::record(int32_t return_event, StateId state, FrontierDetail& detail) {
  if (detail.pending_ops.empty()) {
    detail.pending_ops.assign(input_.op_count, false);
    detail.failing_op = input_.events[return_event].op;
  }
  ++detail.configurations;
  if (frontier_states_.insert(state).second && detail.states.size() < FrontierDetail::kMaxStates)
    detail.states.push_back(state);
  detail.distinct_states = frontier_states_.size();
  for (int32_t node = next_[head_]; node != return_event; node = next_[node]) {
    if (input_.events[node].is_call) detail.pending_ops[input_.events[node].op] = true;
  }
  if (detail.configurations > 1 && stack_.size() <= detail.linearization.size()) return;
  // Frame i holds the state before step i, so the state after it is frame i+1's (or the
  // current state after the last step).
  detail.linearization.clear();
  detail.states_after.clear();
  for (size_t i = 0; i < stack_.size(); ++i) {
    detail.linearization.push_back(input_.events[stack_[i].call_event].op);
    detail.states_after.push_back(i + 1 < stack_.size() ? stack_[i + 1].previous_state : state);
  }
}

// The order in which a configuration's candidates are tried (each phase in list order):
//  1. observers: a legal one is committed to with no alternative (see is_observer), so a
//     configuration with one has a single successor;
//  2. the urgent op, whose return comes first in the list: it must be linearized before any
//     other return, and trying it first (earliest deadline first) finds the legal order of a
//     valid history with little backtracking;
//  3. the other non-observers (observers were all illegal in phase 1, in this same state).
bool Search::advance(uint64_t iteration_limit, int64_t record_at, FrontierDetail* detail) {
  if (outcome_.verdict != Verdict::unknown) return true;
  SearchOutcome& outcome = outcome_;
  std::vector<Frame>& stack = stack_;
  StateId& state = state_;
  size_t& linearized_known = linearized_known_;
  int32_t& entry = entry_;
  while (true) {
    if (linearized_known == known_outcome_ops_) {
      outcome.verdict = Verdict::valid;
      outcome.frontier_event = static_cast<int64_t>(input_.events.size());
      break;
    }
    if (outcome.iterations >= iteration_limit) return false;
    if (++outcome.iterations % kBudgetCheckInterval == 0) {
      check_progress().search_steps += kBudgetCheckInterval;
      if (budget_.exhausted()) return false;
    }
    if (entry == kNone) {  // a fresh configuration
      phase_ = Phase::observers;
      entry = next_[head_];
    }
    const SearchEvent& event = input_.events[entry];
    if (phase_ == Phase::observers && !event.is_call) {
      // Every observer was tried; `entry` is the first return: its op is the urgent one.
      urgent_ = call_event_[event.op];
      phase_ = observer_[event.op] ? Phase::others : Phase::urgent;
      entry = phase_ == Phase::urgent ? urgent_ : next_[head_];
      continue;
    }
    bool dead_end = !event.is_call;
    const bool try_it = event.is_call && !dominated(event.op) &&
                        (phase_ == Phase::observers ? observer_[event.op] != 0
                         : phase_ == Phase::urgent  ? true
                                                    : !observer_[event.op] && entry != urgent_);
    if (try_it) {
      StateId next_state;
      if (model_.step(state, input_.model_ops[event.op], next_state)) {
        flip(event.op);
        auto inserted = cache_.insert(bits_.data(), bits_hash_, next_state);
        if (inserted == StateCache::Insert::added) {
          stack.push_back(Frame{entry, state, phase_, urgent_});
          state = next_state;
          lift(event.op);
          if (return_event_[event.op] != kNone) ++linearized_known;
          entry = kNone;
          continue;
        }
        flip(event.op);
        if (inserted == StateCache::Insert::out_of_memory) return false;  // budget exhausted
        // A legal observer leads to a configuration already explored: so does this one.
        dead_end = observer_[event.op] != 0;
      }
    }
    if (!dead_end) {
      if (phase_ == Phase::urgent) {
        phase_ = Phase::others;
        entry = next_[head_];
      } else {
        entry = next_[entry];
      }
      continue;
    }
    if (!event.is_call) {
      // A return event whose op is not linearized yet: this prefix is a dead end.
      outcome.frontier_event = std::max<int64_t>(outcome.frontier_event, entry);
      if (detail != nullptr && entry == record_at) record(entry, state, *detail);
    }
    // Backtrack: undo the last choice; an observer's configuration has no other choice.
    bool resumed = false;
    while (!stack.empty() && !resumed) {
      Frame frame = stack.back();
      stack.pop_back();
      ModelOpId op = input_.events[frame.call_event].op;
      state = frame.previous_state;
      flip(op);
      unlift(op);
      if (return_event_[op] != kNone) --linearized_known;
      urgent_ = frame.urgent_call;
      resumed = frame.phase != Phase::observers;
      phase_ = Phase::others;
      entry = frame.phase == Phase::urgent ? next_[head_] : next_[frame.call_event];
    }
    if (!resumed) {
      outcome.verdict = Verdict::invalid;
      break;
    }
  }
  return true;
}

PartitionSearch::PartitionSearch(SequentialModel& model, const PartitionInput& input,
                                 SearchBudget& budget)
    : search_(std::make_unique<Search>(model, input, budget)) {}

PartitionSearch::~PartitionSearch() = default;

bool PartitionSearch::advance(uint64_t iteration_limit) {
  return search_->advance(iteration_limit, -1, nullptr);
}

SearchOutcome PartitionSearch::outcome() const { return search_->outcome(); }

FrontierDetail explain_frontier(SequentialModel& model, const PartitionInput& input,
                                int64_t frontier_event, SearchBudget& budget) {
  FrontierDetail detail;
  Search search(model, input, budget);
  search.advance(std::numeric_limits<uint64_t>::max(), frontier_event, &detail);
  detail.complete = search.outcome().verdict == Verdict::invalid;
  return detail;
}

}  // namespace faultline
