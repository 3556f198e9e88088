// Membership changes and ownership handoff (Dynamo 4.9; Riak's ownership handoff). A node
// changes its own status when an operator asks (MemberCommand, from the `member` fault
// package), one change at a time. A leaving node keeps owning its keys until it has handed
// each to the node that replaces it and that node acknowledged the node's *current* copy; a
// write that lands meanwhile changes the copy, so the copy is handed again (Riak forwards
// writes during handoff, riak_kv PR 164 and 223). Only then does it declare itself out.
// Towards a joining node, each node that must give up a key hands it over the same way, then
// adds itself to the joiner's hand-off set, from which moment the joiner owns the key.
// A copy of a key the node may no longer own is handed to every current owner and dropped
// only once all of them acknowledged it.
#include "systems/dynamo/node.h"

namespace faultline::dynamo {

void DynamoNode::handle_member_command(const MemberCommand& command) {
  FAULTLINE_ASSERT(command.action == "leave" || command.action == "join", "the operator asks a node to leave or join");
  std::vector<std::string> commands = storage_.member_commands();
  commands.push_back(command.action);
  storage_.set_member_commands(std::move(commands));
}

void DynamoNode::handoff_tick() {
  apply_member_commands();
  const MemberStatus status = ring_.membership(self_).status;
  if (status == MemberStatus::joining && ring_.join_complete(self_)) set_own_status(MemberStatus::member);
  if (status == MemberStatus::leaving) leave_fold();
  join_folds();
  cleanup_unowned();
  age_tombstones();
}

// The next command waits while any node of our view is joining or leaving.
void DynamoNode::apply_member_commands() {
  std::vector<std::string> commands = storage_.member_commands();
  if (commands.empty() || ring_.in_transition()) return;
  const std::string action = commands.front();
  commands.erase(commands.begin());
  storage_.set_member_commands(std::move(commands));
  const MemberStatus status = ring_.membership(self_).status;
  if (action == "leave" && status == MemberStatus::member) set_own_status(MemberStatus::leaving);
  if (action == "join" && status == MemberStatus::out) set_own_status(MemberStatus::joining);
}

void DynamoNode::set_own_status(MemberStatus status) {
  ring_.set_status(self_, status);
  ++telemetry_.membership_changes;
  ring_changed_here();
}

// Handed over: the target acknowledged our current copy (the planted ap.handoff-write-loss:
// any earlier copy will do).
bool DynamoNode::handed(int target, const std::string& key) const {
  auto it = handed_digests_.find({target, key});
  if (it == handed_digests_.end()) return false;
  if (bugs_.handoff_write_loss) return true;
  const auto state = storage_.key(key);
  return state && it->second == state_digest(*state);
}

void DynamoNode::hand(int target, const std::string& key) {
  const auto state = storage_.key(key);
  if (!state) return;
  send(target, Transfer{.purpose = "handoff", .key = key, .state = state_to_json(*state),
                        .digest = state_digest(*state), .ring = ring_json()});
  env_.report_moment("handoff-sent");  // a source lost mid-handoff, before the new owner confirms
}

void DynamoNode::leave_fold() {
  bool done = true;
  std::vector<std::string> moved;
  for (const auto& [key, state] : storage_.data()) {
    const std::vector<int> targets = ring_.leave_targets(self_, Ring::key_hash(key));
    for (int target : targets) {
      if (handed(target, key)) continue;
      hand(target, key);
      done = false;
    }
    if (!targets.empty()) moved.push_back(key);
  }
  if (!done) return;
  set_own_status(MemberStatus::out);
  if (!bugs_.handoff_write_loss) return;  // our copies are now unowned: cleanup_unowned hands them on
  for (const std::string& key : moved) storage_.erase_key(key);  // planted: dropped unforwarded
}

void DynamoNode::join_folds() {
  for (int joiner = 0; joiner < env_.node_count(); ++joiner) {
    const Membership& membership = ring_.membership(joiner);
    if (joiner == self_ || membership.status != MemberStatus::joining || membership.handed_off.count(self_)) continue;
    bool done = true;
    std::vector<std::string> moved;
    for (const auto& [key, state] : storage_.data()) {
      if (!ring_.is_join_source(self_, joiner, Ring::key_hash(key))) continue;
      moved.push_back(key);
      if (handed(joiner, key)) continue;
      hand(joiner, key);
      done = false;
    }
    if (!done) continue;
    ring_.mark_handed_off(joiner, self_);
    ring_changed_here();
    if (!bugs_.handoff_write_loss) continue;
    for (const std::string& key : moved)
      if (!owns(key)) storage_.erase_key(key);  // planted: dropped unforwarded
  }
}

void DynamoNode::cleanup_unowned() {
  std::vector<std::string> done;
  for (const auto& [key, state] : storage_.data()) {
    const uint64_t hash = Ring::key_hash(key);
    if (ring_.may_own(self_, hash)) continue;
    const std::vector<int> owners = ring_.preference_list(hash);
    bool all = !owners.empty();
    for (int owner : owners) {
      auto it = handed_digests_.find({owner, key});
      if (it != handed_digests_.end() && it->second == state_digest(state)) continue;
      hand(owner, key);
      all = false;
    }
    if (all) done.push_back(key);
  }
  for (const std::string& key : done) {
    storage_.erase_key(key);
    tombstone_age_ns_.erase(key);
    ++telemetry_.handoff_keys;
  }
}

}  // namespace faultline::dynamo
