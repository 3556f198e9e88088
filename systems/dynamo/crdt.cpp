#include "systems/dynamo/crdt.h"

#include <algorithm>

namespace faultline::dynamo {

namespace {

Json counts_to_json(const std::map<Actor, int64_t>& counts) {
  Json out = Json::array();
  for (const auto& [actor, count] : counts) out.push_back({actor, count});
  return out;
}

std::map<Actor, int64_t> counts_from_json(const Json& json) {
  std::map<Actor, int64_t> counts;
  for (const Json& entry : json) counts[entry.at(0).get<Actor>()] = entry.at(1).get<int64_t>();
  return counts;
}

// The G-counter join: per actor, the larger total.
std::map<Actor, int64_t> join_counts(const std::map<Actor, int64_t>& a, const std::map<Actor, int64_t>& b) {
  std::map<Actor, int64_t> out = a;
  for (const auto& [actor, count] : b) out[actor] = std::max(out[actor], count);
  return out;
}

int64_t total(const std::map<Actor, int64_t>& counts) {
  int64_t sum = 0;
  for (const auto& [actor, count] : counts) sum += count;
  return sum;
}

// The dots of one side that survive a merge: those the other side also holds, and those
// the other side has not seen (a seen dot missing there was removed or superseded).
std::vector<Dot> surviving_dots(const std::vector<Dot>& mine, const std::vector<Dot>& theirs,
                                const VersionVector& their_clock) {
  std::vector<Dot> kept;
  for (const Dot& dot : mine) {
    const bool shared = std::find(theirs.begin(), theirs.end(), dot) != theirs.end();
    if (shared || !their_clock.contains(dot)) kept.push_back(dot);
  }
  return kept;
}

// By dot, then value: two siblings share a dot only when an actor reused its counter.
void sort_siblings(std::vector<Sibling>& siblings) {
  std::sort(siblings.begin(), siblings.end(), [](const Sibling& x, const Sibling& y) {
    if (x.dot != y.dot) return x.dot < y.dot;
    return x.value.dump() < y.value.dump();
  });
}

}  // namespace

const LwwValue& lww_winner(const LwwValue& a, const LwwValue& b) {
  if (a.timestamp_ns != b.timestamp_ns) return a.timestamp_ns > b.timestamp_ns ? a : b;
  if (a.writer != b.writer) return a.writer > b.writer ? a : b;
  return a.value.dump() >= b.value.dump() ? a : b;
}

Siblings Siblings::write(const VersionVector& context, const Dot& dot, Json value) const {
  Siblings out;
  out.clock_ = clock_;
  out.clock_.join(context);
  out.clock_.add(dot);
  for (const Sibling& sibling : entries_)
    if (!context.contains(sibling.dot)) out.entries_.push_back(sibling);
  out.entries_.push_back(Sibling{dot, std::move(value)});
  sort_siblings(out.entries_);
  return out;
}

// DVV merge: a sibling survives if both sides hold it, or the other side never saw its dot.
Siblings merge(const Siblings& a, const Siblings& b) {
  Siblings out;
  out.clock_ = a.clock_;
  out.clock_.join(b.clock_);
  auto keep = [&out](const Sibling& sibling, const Siblings& other) {
    const bool shared = std::find(other.entries_.begin(), other.entries_.end(), sibling) != other.entries_.end();
    if (shared || !other.clock_.contains(sibling.dot)) out.entries_.push_back(sibling);
  };
  for (const Sibling& sibling : a.entries_) keep(sibling, b);
  for (const Sibling& sibling : b.entries_) {
    const bool taken = std::find(out.entries_.begin(), out.entries_.end(), sibling) != out.entries_.end();
    if (!taken) keep(sibling, a);
  }
  sort_siblings(out.entries_);
  return out;
}

Json Siblings::to_json() const {
  Json entries = Json::array();
  for (const Sibling& sibling : entries_) entries.push_back({dot_to_json(sibling.dot), sibling.value});
  return {{"clock", clock_.to_json()}, {"siblings", entries}};
}

Siblings Siblings::from_json(const Json& json) {
  Siblings out;
  out.clock_ = VersionVector::from_json(json.at("clock"));
  for (const Json& entry : json.at("siblings")) out.entries_.push_back(Sibling{dot_from_json(entry.at(0)), entry.at(1)});
  return out;
}

// riak_dt_orswot add: a fresh dot replaces the element's previous dots (they are now in
// the clock, so the add has observed them).
Orswot Orswot::add(Actor actor, int64_t element) const {
  Orswot out = *this;
  const Dot dot = out.clock_.next_dot(actor);
  out.clock_.add(dot);
  out.entries_[element] = {dot};
  return out;
}

Orswot Orswot::remove(int64_t element) const {
  Orswot out = *this;
  out.entries_.erase(element);
  return out;
}

std::vector<int64_t> Orswot::elements() const {
  std::vector<int64_t> out;
  for (const auto& [element, dots] : entries_) out.push_back(element);
  return out;
}

Orswot merge(const Orswot& a, const Orswot& b) {
  Orswot out;
  out.clock_ = a.clock_;
  out.clock_.join(b.clock_);
  static const std::vector<Dot> kNone;
  auto dots_of = [](const Orswot& set, int64_t element) -> const std::vector<Dot>& {
    auto it = set.entries_.find(element);
    return it == set.entries_.end() ? kNone : it->second;
  };
  std::vector<int64_t> elements = a.elements();
  for (int64_t element : b.elements())
    if (!a.entries_.count(element)) elements.push_back(element);
  for (int64_t element : elements) {
    const auto& in_a = dots_of(a, element);
    const auto& in_b = dots_of(b, element);
    std::vector<Dot> kept = surviving_dots(in_a, in_b, b.clock_);
    for (const Dot& dot : surviving_dots(in_b, in_a, a.clock_))
      if (std::find(kept.begin(), kept.end(), dot) == kept.end()) kept.push_back(dot);
    std::sort(kept.begin(), kept.end());
    if (!kept.empty()) out.entries_[element] = kept;
  }
  return out;
}

Json Orswot::to_json() const {
  Json entries = Json::array();
  for (const auto& [element, dots] : entries_) {
    Json dot_list = Json::array();
    for (const Dot& dot : dots) dot_list.push_back(dot_to_json(dot));
    entries.push_back({element, dot_list});
  }
  return {{"clock", clock_.to_json()}, {"entries", entries}};
}

Orswot Orswot::from_json(const Json& json) {
  Orswot out;
  out.clock_ = VersionVector::from_json(json.at("clock"));
  for (const Json& entry : json.at("entries")) {
    std::vector<Dot> dots;
    for (const Json& dot : entry.at(1)) dots.push_back(dot_from_json(dot));
    out.entries_[entry.at(0).get<int64_t>()] = dots;
  }
  return out;
}

PnCounter PnCounter::add(Actor actor, int64_t amount) const {
  PnCounter out = *this;
  if (amount == 0) return out;  // a stored zero would make equal states compare unequal
  if (amount > 0)
    out.increments_[actor] += amount;
  else
    out.decrements_[actor] -= amount;
  return out;
}

int64_t PnCounter::value() const { return total(increments_) - total(decrements_); }

PnCounter merge(const PnCounter& a, const PnCounter& b) {
  PnCounter out;
  out.increments_ = join_counts(a.increments_, b.increments_);
  out.decrements_ = join_counts(a.decrements_, b.decrements_);
  return out;
}

Json PnCounter::to_json() const {
  return {{"increments", counts_to_json(increments_)}, {"decrements", counts_to_json(decrements_)}};
}

PnCounter PnCounter::from_json(const Json& json) {
  PnCounter out;
  out.increments_ = counts_from_json(json.at("increments"));
  out.decrements_ = counts_from_json(json.at("decrements"));
  return out;
}

}  // namespace faultline::dynamo
