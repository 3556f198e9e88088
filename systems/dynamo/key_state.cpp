#include "systems/dynamo/key_state.h"

#include <algorithm>
#include <set>

#include "base/assert.h"
#include "framework/random.h"

namespace faultline::dynamo {

namespace {

template <class T>
const T& same_type(const KeyState& other) {
  const T* typed = std::get_if<T>(&other);
  FAULTLINE_ASSERT(typed != nullptr, "states of one key always have the run's single type");
  return *typed;
}

// The largest live (non-tombstone) value among siblings, or null when none is live.
Json largest_live(const Siblings& siblings) {
  Json best;
  for (const Sibling& sibling : siblings.entries())
    if (!sibling.value.is_null() && (best.is_null() || best < sibling.value)) best = sibling.value;
  return best;
}

// A vclock set's value: the union of its live siblings (each a whole set).
Json union_of_live(const Siblings& siblings) {
  std::set<int64_t> elements;
  for (const Sibling& sibling : siblings.entries())
    if (sibling.value.is_array())
      for (const Json& element : sibling.value) elements.insert(element.get<int64_t>());
  return Json(std::vector<int64_t>(elements.begin(), elements.end()));
}

Json empty_value(Shape shape) {
  switch (shape) {
    case Shape::registers: return Json();
    case Shape::sets: return Json::array();
    case Shape::counters: return 0;
  }
  return Json();
}

}  // namespace

KeyState merge_states(const KeyState& a, const KeyState& b) {
  return std::visit([&b](const auto& left) -> KeyState {
    using T = std::decay_t<decltype(left)>;
    const T& right = same_type<T>(b);
    if constexpr (std::is_same_v<T, LwwValue>) {
      return lww_winner(left, right);
    } else {
      return merge(left, right);
    }
  }, a);
}

bool state_leq(const KeyState& a, const KeyState& b) { return merge_states(a, b) == b; }

KeyState collapse_by_clock_sum(const KeyState& a, const KeyState& b) {
  const auto clock_a = state_clock(a);
  const auto clock_b = state_clock(b);
  if (!clock_a || !clock_b) return merge_states(a, b);
  if (clock_a->sum() != clock_b->sum()) return clock_a->sum() > clock_b->sum() ? a : b;
  return state_digest(a) >= state_digest(b) ? a : b;
}

uint64_t state_digest(const KeyState& state) { return stable_hash(state_to_json(state).dump()); }

bool is_tombstone(const KeyState& state) {
  if (const auto* lww = std::get_if<LwwValue>(&state)) return lww->value.is_null();
  if (const auto* siblings = std::get_if<Siblings>(&state))
    return std::all_of(siblings->entries().begin(), siblings->entries().end(),
                       [](const Sibling& sibling) { return sibling.value.is_null(); });
  return false;
}

std::optional<VersionVector> state_clock(const KeyState& state) {
  if (const auto* siblings = std::get_if<Siblings>(&state)) return siblings->clock();
  if (const auto* set = std::get_if<Orswot>(&state)) return set->clock();
  return std::nullopt;
}

Json state_to_json(const KeyState& state) {
  if (const auto* lww = std::get_if<LwwValue>(&state))
    return {{"lww", {{"ts", lww->timestamp_ns}, {"writer", lww->writer}, {"value", lww->value}}}};
  if (const auto* siblings = std::get_if<Siblings>(&state)) return {{"mv", siblings->to_json()}};
  if (const auto* set = std::get_if<Orswot>(&state)) return {{"orset", set->to_json()}};
  return {{"pn", std::get<PnCounter>(state).to_json()}};
}

Result<KeyState> state_from_json(const Json& json) {
  try {
    if (json.contains("lww")) {
      const Json& lww = json.at("lww");
      return KeyState(LwwValue{lww.at("ts").get<int64_t>(), lww.at("writer").get<Actor>(), lww.at("value")});
    }
    if (json.contains("mv")) return KeyState(Siblings::from_json(json.at("mv")));
    if (json.contains("orset")) return KeyState(Orswot::from_json(json.at("orset")));
    if (json.contains("pn")) return KeyState(PnCounter::from_json(json.at("pn")));
  } catch (const nlohmann::json::exception& error) {
    return fail(std::string("malformed key state: ") + error.what());
  }
  return fail("unknown key state " + json.dump());
}

Json optional_state_to_json(const std::optional<KeyState>& state) {
  return state ? state_to_json(*state) : Json();
}

Result<std::optional<KeyState>> optional_state_from_json(const Json& json) {
  if (json.is_null()) return std::optional<KeyState>();
  BOOST_OUTCOME_TRY(state, state_from_json(json));
  return std::optional<KeyState>(std::move(state));
}

Json read_value(const std::optional<KeyState>& state, Shape shape) {
  if (!state) return empty_value(shape);
  if (const auto* lww = std::get_if<LwwValue>(&*state)) return lww->value.is_null() ? empty_value(shape) : lww->value;
  if (const auto* siblings = std::get_if<Siblings>(&*state))
    return shape == Shape::sets ? union_of_live(*siblings) : largest_live(*siblings);
  if (const auto* set = std::get_if<Orswot>(&*state)) return Json(set->elements());
  return std::get<PnCounter>(*state).value();
}

Json read_context(const std::optional<KeyState>& state) {
  if (!state) return Json();
  if (const auto* lww = std::get_if<LwwValue>(&*state)) return lww->timestamp_ns;
  if (const auto* siblings = std::get_if<Siblings>(&*state)) return siblings->clock().to_json();
  return Json();
}

}  // namespace faultline::dynamo
