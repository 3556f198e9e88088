#include "checkers/set_full_analysis.h"

#include <algorithm>
#include <set>

#include "base/assert.h"
#include "checkers/wording.h"

namespace faultline::set_full {
namespace {

std::string key_name(const SetKey& key) { return key ? "key " + *key : "the set without a key"; }

Result<std::vector<int64_t>> read_elements(const OpPair& read, const OpLocator& locate) {
  const Json& value = read.completion->value;
  std::vector<int64_t> elements;
  if (value.is_null()) return elements;  // nothing stored yet reads as the empty set
  auto malformed = [&] {
    return fail(locate(read.completed_at()) + ": a set read must return a list of integer elements, got " +
                quoted_value(value));
  };
  if (!value.is_array()) return malformed();
  for (const Json& item : value) {
    auto element = as_int64(item);
    if (!element) return malformed();
    elements.push_back(*element);
  }
  std::sort(elements.begin(), elements.end());
  elements.erase(std::unique(elements.begin(), elements.end()), elements.end());
  return elements;
}

Result<void> collect_add(const OpPair& add, KeySet& set, const OpLocator& locate) {
  auto element = as_int64(add.invoke->value);
  if (!element)
    return fail(locate(add.invoke_position) + ": an " + add.invoke->f + " must carry one integer element, got " +
                quoted_value(add.invoke->value));
  auto [it, inserted] = set.adds.emplace(*element, &add);
  if (!inserted)
    return fail(locate(add.invoke_position) + ": element " + std::to_string(*element) + " of " +
                key_name(add.invoke->key) + " is added twice (first at " + locate(it->second->invoke_position) +
                "); set-full needs unique elements");
  return outcome::success();
}

Result<std::map<SetKey, KeySet>> collect(const std::vector<OpPair>& ops, const std::string& add_f,
                                         const OpLocator& locate) {
  std::map<SetKey, KeySet> sets;
  for (const OpPair& op : ops) {
    KeySet& set = sets[op.invoke->key];
    if (op.invoke->f == add_f) {
      BOOST_OUTCOME_TRYV(collect_add(op, set, locate));
    } else if (op.invoke->f == "read") {
      if (!op.acknowledged()) continue;  // a read that failed or timed out shows nothing
      BOOST_OUTCOME_TRY(elements, read_elements(op, locate));
      set.reads.push_back(SetRead{.op = &op, .elements = std::move(elements)});
    } else {
      return fail(locate(op.invoke_position) + ": f \"" + op.invoke->f + "\" is neither the add (option add_f: \"" +
                  add_f + "\") nor \"read\"");
    }
  }
  return sets;
}

// A read's element is explained when an add of it that did not fail was invoked before the
// read completed (docs/checkers/set-full.md, "unexpected": stricter than Jepsen's "never
// attempted", which lets a read show an element before its add began).
bool explained(const SetRead& read, const OpPair* add) {
  return add != nullptr && add->may_have_happened() && add->invoke_position < read.op->completed_at();
}

std::optional<UnexpectedElement> find_unexpected(const KeySet& set, int64_t element, const OpPair* add,
                                                 const std::vector<size_t>& seen) {
  UnexpectedElement found{.element = element, .add = add, .first_read = 0, .reads = 0};
  for (size_t read : seen) {
    if (explained(set.reads[read], add)) continue;
    if (found.reads++ == 0) found.first_read = read;
  }
  if (found.reads == 0) return std::nullopt;
  return found;
}

// Jepsen's known point: the earliest of the add's ok completion and the completion of the
// first read that shows the element (only reads the add explains).
std::optional<size_t> known_position(const KeySet& set, const OpPair& add, const std::vector<size_t>& seen) {
  std::optional<size_t> known;
  if (add.acknowledged()) known = add.completion_position;
  for (size_t read : seen) {
    if (!explained(set.reads[read], &add)) continue;
    const size_t completed = set.reads[read].op->completed_at();
    if (!known || completed < *known) known = completed;
  }
  return known;
}

// The first read that began after `position`: reads are in invoke order, so the reads that
// count for an element are a suffix.
size_t first_read_after(const KeySet& set, size_t position) {
  auto it = std::partition_point(set.reads.begin(), set.reads.end(),
                                 [position](const SetRead& read) { return read.op->invoke_position <= position; });
  return static_cast<size_t>(it - set.reads.begin());
}

int64_t began_ns(const KeySet& set, size_t read) { return set.reads[read].op->invoke->time_ns; }

// Stable (Jepsen): every counting read from some point on contains the element, i.e. the
// latest-begun read does. stable_from is the start of that final run of sightings.
void judge_stable(const KeySet& set, const std::vector<size_t>& seen, ElementFate& fate) {
  FAULTLINE_ASSERT(fate.first_counting, "a read began after the element was known");
  const size_t first = *fate.first_counting;
  size_t run = seen.size() - 1;
  while (run > 0 && seen[run - 1] + 1 == seen[run]) --run;
  const size_t stable_from = std::max(first, seen[run]);
  fate.outcome = stable_from == first ? Outcome::ok : Outcome::stale;
  fate.stable_from = stable_from;
  fate.latency_ns = std::max<int64_t>(0, began_ns(set, stable_from) - began_ns(set, first));
}

ElementFate fate_of(const KeySet& set, int64_t element, const OpPair& add, const std::vector<size_t>& seen) {
  ElementFate fate{.element = element, .add = &add};
  if (!seen.empty()) fate.last_seen = seen.back();
  fate.known_position = known_position(set, add, seen);
  if (!fate.known_position) return fate;  // never known: never read
  const size_t first = first_read_after(set, *fate.known_position);
  if (first == set.reads.size()) return fate;  // no read began after it was known
  fate.first_counting = first;
  if (!seen.empty() && seen.back() == set.reads.size() - 1) {
    judge_stable(set, seen, fate);
    return fate;
  }
  // Lost (Jepsen's lost-time): the latest-begun reads miss it, from absent_from on.
  fate.outcome = Outcome::lost;
  fate.absent_from = seen.empty() ? first : std::max(first, seen.back() + 1);
  return fate;
}

KeyAnalysis analyze_key(SetKey key, KeySet set) {
  std::map<int64_t, std::vector<size_t>> seen_in;  // element -> the reads containing it, in invoke order
  for (size_t read = 0; read < set.reads.size(); ++read)
    for (int64_t element : set.reads[read].elements) seen_in[element].push_back(read);
  std::set<int64_t> elements;
  for (const auto& [element, add] : set.adds) elements.insert(element);
  for (const auto& [element, reads] : seen_in) elements.insert(element);
  KeyAnalysis analysis{.key = std::move(key), .set = std::move(set), .fates = {}, .unexpected = {}};
  static const std::vector<size_t> kNever;
  for (int64_t element : elements) {
    auto add_it = analysis.set.adds.find(element);
    const OpPair* add = add_it == analysis.set.adds.end() ? nullptr : add_it->second;
    auto seen_it = seen_in.find(element);
    const std::vector<size_t>& seen = seen_it == seen_in.end() ? kNever : seen_it->second;
    if (auto unexpected = find_unexpected(analysis.set, element, add, seen)) analysis.unexpected.push_back(*unexpected);
    if (add != nullptr && add->may_have_happened())
      analysis.fates.push_back(fate_of(analysis.set, element, *add, seen));
  }
  return analysis;
}

}  // namespace

Result<std::vector<KeyAnalysis>> analyze_set_full(const std::vector<OpPair>& ops, const std::string& add_f,
                                                  const OpLocator& locate) {
  BOOST_OUTCOME_TRY(sets, collect(ops, add_f, locate));
  std::vector<KeyAnalysis> analyses;
  for (auto& [key, set] : sets) analyses.push_back(analyze_key(key, std::move(set)));
  return analyses;
}

}  // namespace faultline::set_full
