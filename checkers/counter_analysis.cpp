#include "checkers/counter_analysis.h"

#include <algorithm>
#include <map>

#include "base/assert.h"
#include "checkers/wording.h"

namespace faultline::counter {
namespace {

Result<int64_t> update_delta(const OpPair& update, const OpLocator& locate) {
  const Op& invoke = *update.invoke;
  auto amount = as_int64(invoke.value);
  if (!amount || *amount > kMaxAmount || *amount < -kMaxAmount)
    return fail(locate(update.invoke_position) + ": " + invoke.f + " must carry an integer amount within +-2^32, got " +
                quoted_value(invoke.value));
  if (invoke.f == "add") return *amount;  // a negative add is a decrement (Maelstrom's pn-counter)
  if (*amount < 0)
    return fail(locate(update.invoke_position) + ": a decrement's amount must not be negative, got " +
                std::to_string(*amount));
  return -*amount;
}

Result<int64_t> read_value(const OpPair& read, const OpLocator& locate) {
  const Json& value = read.completion->value;
  if (value.is_null()) return 0;  // a counter never written reads 0
  auto number = as_int64(value);
  if (!number)
    return fail(locate(read.completed_at()) + ": a counter read must return an integer (or null for 0), got " +
                quoted_value(value));
  return *number;
}

Result<std::map<CounterKey, KeyCounter>> collect(const std::vector<OpPair>& ops, const OpLocator& locate) {
  std::map<CounterKey, KeyCounter> counters;
  for (const OpPair& op : ops) {
    const Op& invoke = *op.invoke;
    KeyCounter& counter = counters[invoke.key];
    counter.key = invoke.key;
    if (invoke.f == "add" || invoke.f == "decrement") {
      BOOST_OUTCOME_TRY(delta, update_delta(op, locate));
      counter.updates.push_back(CounterUpdate{.op = &op, .delta = delta});
    } else if (invoke.f == "read") {
      if (!op.acknowledged()) continue;  // a read that failed or timed out shows nothing
      BOOST_OUTCOME_TRY(value, read_value(op, locate));
      counter.reads.push_back(
          CounterRead{.op = &op, .value = value, .final = invoke.final || op.completion->final, .bounds = {}});
    } else {
      return fail(locate(op.invoke_position) + ": f \"" + invoke.f + "\" is not a counter op (add, decrement, read)");
    }
  }
  return counters;
}

enum class Mark { update_invoked, update_acknowledged, read_began, read_ended };

struct Event {
  size_t position;  // in history.ops
  Mark mark;
  size_t item;  // into KeyCounter::updates or reads
};

// The lines that move a read's bounds, in line order (each line is one event).
std::vector<Event> line_events(const KeyCounter& counter) {
  std::vector<Event> events;
  for (size_t i = 0; i < counter.updates.size(); ++i) {
    const OpPair& op = *counter.updates[i].op;
    if (op.may_have_happened())
      events.push_back(Event{.position = op.invoke_position, .mark = Mark::update_invoked, .item = i});
    if (op.acknowledged())
      events.push_back(Event{.position = op.completed_at(), .mark = Mark::update_acknowledged, .item = i});
  }
  for (size_t i = 0; i < counter.reads.size(); ++i) {
    events.push_back(Event{.position = counter.reads[i].op->invoke_position, .mark = Mark::read_began, .item = i});
    events.push_back(Event{.position = counter.reads[i].op->completed_at(), .mark = Mark::read_ended, .item = i});
  }
  std::sort(events.begin(), events.end(), [](const Event& a, const Event& b) { return a.position < b.position; });
  return events;
}

// One sweep in line order: a read's acknowledged tallies are taken when it begins, its
// possible tallies when it completes.
void bound_reads(KeyCounter& counter) {
  ReadBounds running;  // every tally as of the current line
  for (const Event& event : line_events(counter)) {
    switch (event.mark) {
      case Mark::update_invoked: {
        const int64_t delta = counter.updates[event.item].delta;
        (delta >= 0 ? running.increments_possible : running.decrements_possible).add(delta);
        break;
      }
      case Mark::update_acknowledged: {
        const int64_t delta = counter.updates[event.item].delta;
        (delta >= 0 ? running.increments_acknowledged : running.decrements_acknowledged).add(delta);
        break;
      }
      case Mark::read_began: {
        ReadBounds& bounds = counter.reads[event.item].bounds;
        bounds.increments_acknowledged = running.increments_acknowledged;
        bounds.decrements_acknowledged = running.decrements_acknowledged;
        break;
      }
      case Mark::read_ended: {
        ReadBounds& bounds = counter.reads[event.item].bounds;
        bounds.increments_possible = running.increments_possible;
        bounds.decrements_possible = running.decrements_possible;
        FAULTLINE_ASSERT(bounds.lower() <= bounds.upper(), "acknowledged updates are possible updates");
        break;
      }
    }
  }
}

std::optional<FinalReads> judge_final_reads(const KeyCounter& counter, size_t subset_sum_limit) {
  FinalReads final;
  for (size_t i = 0; i < counter.reads.size(); ++i)
    if (counter.reads[i].final) final.reads.push_back(i);
  if (final.reads.empty()) return std::nullopt;
  for (const CounterUpdate& update : counter.updates) {
    if (update.op->acknowledged()) final.acknowledged.add(update.delta);
    if (update.op->may_have_happened() && !update.op->acknowledged()) final.uncertain.push_back(update.delta);
  }
  final.offsets = subset_sums(final.uncertain, subset_sum_limit);
  const int64_t first_value = counter.reads[final.reads.front()].value;
  for (size_t read : final.reads) final.agree = final.agree && counter.reads[read].value == first_value;
  return final;
}

}  // namespace

Result<std::vector<KeyCounter>> analyze_counter(const History& history, const std::vector<OpPair>& ops,
                                                size_t subset_sum_limit, const OpLocator& locate) {
  // With |amount| <= 2^32 and fewer than 2^31 ops, no sum of amounts leaves int64.
  FAULTLINE_ASSERT(history.ops.size() < (size_t{1} << 31), "history small enough for exact sums");
  BOOST_OUTCOME_TRY(counters, collect(ops, locate));
  std::vector<KeyCounter> analyses;
  for (auto& [key, counter] : counters) {
    bound_reads(counter);
    counter.final = judge_final_reads(counter, subset_sum_limit);
    analyses.push_back(std::move(counter));
  }
  return analyses;
}

}  // namespace faultline::counter
