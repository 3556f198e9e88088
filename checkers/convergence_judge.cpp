#include "checkers/convergence_judge.h"

#include <algorithm>
#include <set>

#include "base/assert.h"
#include "checkers/subset_sums.h"

namespace faultline {

namespace {

// Replicas agree when the last ok final read (in invoke order) of every node returns the same
// value. Earlier reads may still be catching up: that lag is the time to agreement.
void judge_agreement(const KeyInput& key, KeyFinding& finding) {
  std::map<std::optional<int64_t>, const FinalRead*> last_by_node;
  for (const FinalRead& read : key.ok_final_reads) last_by_node[read.node] = &read;
  std::vector<NodeValue> groups;  // in node order, nodes with equal values together
  for (const auto& [node, read] : last_by_node) {
    const Json& value = read->value;  // a lambda may not capture a structured binding before clang 16
    auto same = std::find_if(groups.begin(), groups.end(), [&](const NodeValue& g) { return g.value == value; });
    if (same == groups.end())
      groups.push_back(NodeValue{.nodes = {node}, .value = read->value, .read_index = read->index});
    else
      same->nodes.push_back(node);
  }
  if (groups.size() == 1) finding.agreed = groups.front().value;
  if (groups.size() > 1) finding.by_node = std::move(groups);
}

// From the earliest final read after which every final read returns the agreed value.
double time_to_agreement_ms(const KeyInput& key, const Json& agreed, int64_t time_base_ns) {
  size_t from = key.ok_final_reads.size();
  while (from > 0 && key.ok_final_reads[from - 1].value == agreed) --from;
  FAULTLINE_ASSERT(from < key.ok_final_reads.size(), "the last final read returns the agreed value");
  return static_cast<double>(key.ok_final_reads[from].invoke_time_ns - time_base_ns) / 1e6;
}

// Unexplained values, each with the first read (in the order checked) that returned it.
using UnexplainedValues = std::map<Json, int64_t>;

void keep_unexplained(const UnexplainedValues& values, KeyFinding& finding) {
  for (const auto& [value, read_index] : values)
    finding.unexplained.push_back(Unexplained{.value = value, .read_index = read_index});
}

// Invoke positions of the updates that did not fail, per element (in invoke order).
std::map<Json, std::vector<size_t>> attempts_by_element(const KeyInput& key) {
  std::map<Json, std::vector<size_t>> attempts;
  for (const Update& update : key.updates)
    if (update.outcome != OpType::fail) attempts[update.element].push_back(update.invoke_position);
  return attempts;
}

size_t attempts_before(const std::map<Json, std::vector<size_t>>& attempts, const Json& element, size_t end) {
  auto it = attempts.find(element);
  if (it == attempts.end()) return 0;
  return static_cast<size_t>(std::lower_bound(it->second.begin(), it->second.end(), end) - it->second.begin());
}

// Every element (set), element occurrence (list) or register value a final read returns was
// attempted: an update of it that did not fail was invoked before the read completed.
void explain_elements(const KeyInput& key, DataType type, KeyFinding& finding) {
  const auto attempts = attempts_by_element(key);
  UnexplainedValues unexplained;
  for (const FinalRead& read : key.ok_final_reads) {
    if (type == DataType::reg) {
      if (!read.value.is_null() && attempts_before(attempts, read.value, read.completion_position) == 0)
        unexplained.emplace(read.value, read.index);
      continue;
    }
    std::map<Json, size_t> occurrences;
    for (const Json& element : read.value) ++occurrences[element];
    for (const auto& [element, count] : occurrences)
      if (count > attempts_before(attempts, element, read.completion_position)) unexplained.emplace(element, read.index);
  }
  keep_unexplained(unexplained, finding);
}

// A counter total is explained when some subset of the updates that did not fail and were
// invoked before the read completed sums to it.
void explain_counter_totals(const KeyInput& key, int64_t limit, KeyFinding& finding) {
  std::vector<const FinalRead*> by_completion;
  for (const FinalRead& read : key.ok_final_reads) by_completion.push_back(&read);
  std::sort(by_completion.begin(), by_completion.end(),
            [](const FinalRead* a, const FinalRead* b) { return a->completion_position < b->completion_position; });
  std::vector<int64_t> amounts;
  SubsetSums sums = subset_sums(amounts, static_cast<size_t>(limit));
  UnexplainedValues unexplained;
  size_t next = 0;
  for (const FinalRead* read : by_completion) {
    const size_t known = amounts.size();
    for (; next < key.updates.size() && key.updates[next].invoke_position < read->completion_position; ++next)
      if (key.updates[next].outcome != OpType::fail) amounts.push_back(key.updates[next].amount);
    if (amounts.size() != known) sums = subset_sums(amounts, static_cast<size_t>(limit));
    if (!contains(sums, read->value.get<int64_t>())) unexplained.emplace(read->value, read->index);
    finding.approximate = finding.approximate || !sums.exact;
  }
  keep_unexplained(unexplained, finding);
}

// Acknowledged: ok, and completed before the key's final reads began.
bool acknowledged(const Update& update, const KeyInput& key) {
  return update.outcome == OpType::ok && update.completion_position < key.first_final_invoke;
}

void lost_elements(const KeyInput& key, const Json& agreed, KeyFinding& finding) {
  const std::set<Json> present(agreed.begin(), agreed.end());
  for (const Update& update : key.updates)
    if (acknowledged(update, key) && !present.contains(update.element)) finding.lost.push_back(&update);
}

size_t last_final_read_end(const KeyInput& key) {
  size_t end = 0;
  for (const FinalRead& read : key.ok_final_reads) end = std::max(end, read.completion_position);
  return end;
}

// The agreed value must come from a write w that did not fail and that no acknowledged write
// strictly follows (invoked after w completed): such a later write would have to be the
// survivor. Of the candidate writes the one that ends last has the fewest followers, so the
// acknowledged writes invoked after it ended are the lost ones. A null value means no write
// survived at all.
void lost_register_writes(const KeyInput& key, const Json& agreed, KeyFinding& finding) {
  if (agreed.is_null()) {  // no write survived: every acknowledged one is lost
    for (const Update& update : key.updates)
      if (acknowledged(update, key)) finding.lost.push_back(&update);
    return;
  }
  std::optional<size_t> latest_end;
  const size_t read_end = last_final_read_end(key);
  for (const Update& update : key.updates)
    if (update.outcome != OpType::fail && update.element == agreed && update.invoke_position < read_end)
      latest_end = std::max(latest_end.value_or(0), update.effective_end);
  if (!latest_end) return;  // no write explains the value: reported as unexplained
  for (const Update& update : key.updates)
    if (acknowledged(update, key) && update.invoke_position > *latest_end) finding.lost.push_back(&update);
}

// Counter: agreed = the sum of the acknowledged updates + the sum of some subset of the other
// updates that did not fail (Jepsen's counter checker, with info ops as maybe-applied).
void counter_survival(const KeyInput& key, const Json& agreed, int64_t limit, KeyFinding& finding) {
  CounterSurvival survival;
  std::vector<int64_t> uncertain_amounts;
  const size_t read_end = last_final_read_end(key);
  for (const Update& update : key.updates) {
    if (acknowledged(update, key)) {
      survival.acknowledged_sum += update.amount;
      ++survival.acknowledged_updates;
    } else if (update.outcome != OpType::fail && update.invoke_position < read_end) {
      uncertain_amounts.push_back(update.amount);
      ++survival.uncertain_updates;
      (update.amount < 0 ? survival.uncertain_lower : survival.uncertain_upper) += update.amount;
    }
  }
  SubsetSums uncertain = subset_sums(uncertain_amounts, static_cast<size_t>(limit));
  survival.exact = uncertain.exact;
  survival.survived = contains(uncertain, agreed.get<int64_t>() - survival.acknowledged_sum);
  finding.approximate = finding.approximate || !survival.exact;
  finding.counter = survival;
}

void judge_survival(const KeyInput& key, const JudgeSettings& settings, KeyFinding& finding) {
  FAULTLINE_ASSERT(finding.agreed.has_value(), "survival is judged against an agreed value");
  const Json& agreed = *finding.agreed;
  switch (settings.type) {
    case DataType::set:
    case DataType::append: lost_elements(key, agreed, finding); break;
    case DataType::reg: lost_register_writes(key, agreed, finding); break;
    case DataType::counter:
      // An unexplained total has no meaningful loss figure: it is already a violation.
      if (finding.unexplained.empty()) counter_survival(key, agreed, settings.subset_sum_limit, finding);
      break;
  }
}

}  // namespace

KeyFinding judge_key(const KeyInput& key, const JudgeSettings& settings) {
  KeyFinding finding{.key = key.key, .final_reads = key.final_reads, .ok_final_reads = key.ok_final_reads.size()};
  if (key.ok_final_reads.empty()) return finding;
  judge_agreement(key, finding);
  if (settings.type == DataType::counter)
    explain_counter_totals(key, settings.subset_sum_limit, finding);
  else
    explain_elements(key, settings.type, finding);
  if (!finding.agreed) return finding;
  finding.time_to_agreement_ms = time_to_agreement_ms(key, *finding.agreed, settings.time_base_ns);
  judge_survival(key, settings, finding);
  return finding;
}

}  // namespace faultline
