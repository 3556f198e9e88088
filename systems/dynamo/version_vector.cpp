#include "systems/dynamo/version_vector.h"

#include <algorithm>

namespace faultline::dynamo {

uint64_t VersionVector::get(Actor actor) const {
  auto it = entries_.find(actor);
  return it == entries_.end() ? 0 : it->second;
}

void VersionVector::add(const Dot& dot) {
  if (dot.counter == 0) return;  // "no event" is the absent entry, never a stored 0
  uint64_t& counter = entries_[dot.actor];
  counter = std::max(counter, dot.counter);
}

void VersionVector::join(const VersionVector& other) {
  for (const auto& [actor, counter] : other.entries_) add(Dot{actor, counter});
}

bool VersionVector::included_in(const VersionVector& other) const {
  return std::all_of(entries_.begin(), entries_.end(),
                     [&](const auto& entry) { return entry.second <= other.get(entry.first); });
}

uint64_t VersionVector::sum() const {
  uint64_t total = 0;
  for (const auto& [actor, counter] : entries_) total += counter;
  return total;
}

Json VersionVector::to_json() const {
  Json out = Json::array();
  for (const auto& [actor, counter] : entries_) out.push_back({actor, counter});
  return out;
}

VersionVector VersionVector::from_json(const Json& json) {
  VersionVector vv;
  for (const Json& entry : json) vv.add(Dot{entry.at(0).get<Actor>(), entry.at(1).get<uint64_t>()});
  return vv;
}

Causality compare(const VersionVector& a, const VersionVector& b) {
  const bool a_in_b = a.included_in(b);
  const bool b_in_a = b.included_in(a);
  if (a_in_b && b_in_a) return Causality::equal;
  if (a_in_b) return Causality::before;
  if (b_in_a) return Causality::after;
  return Causality::concurrent;
}

Json dot_to_json(const Dot& dot) { return Json::array({dot.actor, dot.counter}); }

Dot dot_from_json(const Json& json) { return Dot{json.at(0).get<Actor>(), json.at(1).get<uint64_t>()}; }

}  // namespace faultline::dynamo
