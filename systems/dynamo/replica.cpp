// What a replica does when asked. Every request carries the asker's ring, merged first, so
// both agree on who owns the key: a node that is not (or no longer) an owner refuses with
// its own ring instead of answering, and the coordinator counts only owners' answers under
// the newest ring either of them knows.
#include "base/assert.h"
#include "systems/dynamo/node.h"

namespace faultline::dynamo {

namespace {

KeyState decode_state(const Json& json) {
  auto state = state_from_json(json);
  FAULTLINE_ASSERT(state.has_value(), "nodes send states they encoded");
  return std::move(state).value();
}

}  // namespace

std::optional<KeyState> DynamoNode::hinted_state(const std::string& key) const {
  std::optional<KeyState> out;
  for (const auto& [hint, state] : storage_.hints())
    if (hint.second == key) out = out ? merged(*out, state) : state;
  return out;
}

void DynamoNode::handle_replica_read(int from, const ReplicaRead& read) {
  FAULTLINE_ASSERT(is_node(from), "a replica read comes from a node");
  merge_ring(read.ring);
  ReplicaReadReply reply{.id = read.id, .status = "ok", .ring = ring_json(), .stand_in_for = read.stand_in_for};
  if (read.stand_in_for >= 0) {
    reply.state = optional_state_to_json(hinted_state(read.key));  // a fallback answers with its hints
  } else if (owns(read.key)) {
    reply.state = optional_state_to_json(storage_.key(read.key));
  } else {
    reply.status = "not-owner";
  }
  send(from, std::move(reply));
}

void DynamoNode::handle_replica_write(int from, const ReplicaWrite& write) {
  FAULTLINE_ASSERT(is_node(from), "a replica write comes from a node");
  merge_ring(write.ring);
  const KeyState state = decode_state(write.state);
  ReplicaWriteAck ack{.id = write.id, .status = "ok", .ring = ring_json(), .hint_for = write.hint_for};
  if (write.hint_for >= 0) {
    owns(write.key) ? void(merge_into_data(write.key, state)) : store_hint(write.hint_for, write.key, state);
  } else if (owns(write.key)) {
    merge_into_data(write.key, state);
  } else {
    ack.status = "not-owner";
  }
  send(from, std::move(ack));
}

// A hint for us, or a copy of a key we take over: merged whatever we own (a key we do not
// own is passed on by cleanup_unowned), durable before the acknowledgement.
void DynamoNode::handle_transfer(int from, const Transfer& transfer) {
  FAULTLINE_ASSERT(is_node(from), "a transfer comes from a node");
  if (!transfer.ring.is_null()) merge_ring(transfer.ring);
  merge_into_data(transfer.key, decode_state(transfer.state));
  send(from, TransferAck{.purpose = transfer.purpose, .key = transfer.key, .digest = transfer.digest});
}

void DynamoNode::handle_transfer_ack(int from, const TransferAck& ack) {
  FAULTLINE_ASSERT(is_node(from), "a transfer ack comes from a node");
  if (ack.purpose == "hint") return hint_acknowledged(from, ack.key, ack.digest);
  handed_digests_[{from, ack.key}] = ack.digest;
}

}  // namespace faultline::dynamo
