// Hinted handoff (Dynamo 4.6): a fallback keeps a write for an unreachable owner, durably,
// and keeps offering it to that owner; it deletes the hint only once the owner acknowledged
// merging exactly the state the hint holds now (a hint that changed since is offered again).
#include "systems/dynamo/node.h"

namespace faultline::dynamo {

void DynamoNode::store_hint(int owner, const std::string& key, const KeyState& state) {
  const HintKey hint{owner, key};
  const auto held = storage_.hint(hint);
  const KeyState next = held ? merged(*held, state) : state;
  if (held && next == *held) return;
  storage_.put_hint(hint, next);
  ++telemetry_.hints_stored;
  env_.report_moment("hint-stored");  // a fallback lost now holds the only copy of a sloppy write
}

// A hint names an owner other than its holder: fallbacks are never owners of the key.
void DynamoNode::deliver_hints() {
  for (const auto& [hint, state] : storage_.hints())
    send(hint.first, Transfer{.purpose = "hint", .key = hint.second, .state = state_to_json(state),
                              .digest = state_digest(state), .ring = ring_json()});
}

void DynamoNode::hint_acknowledged(int owner, const std::string& key, uint64_t digest) {
  const HintKey hint{owner, key};
  const auto held = storage_.hint(hint);
  if (!held || state_digest(*held) != digest) return;  // changed since it was sent: offer again
  storage_.erase_hint(hint);
  ++telemetry_.hints_delivered;
}

}  // namespace faultline::dynamo
