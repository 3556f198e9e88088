// Deletes leave tombstones (a LWW value or siblings that are all null). An owner may reap its
// tombstone once the grace period has passed on its own timers (a clock jump cannot shorten
// it) *and* a reap round confirmed it: every node of the cluster merged the tombstone into
// whatever copy or hint of the key it holds and found that the tombstone covers it, and
// raised its LWW floor past the tombstone's stamp. No stale copy is left anywhere to be
// repaired back (Cassandra's zombies, Riak's issue 311), and no later write can be stamped
// below the forgotten tombstone; a node that is down holds the round until it returns (Riak
// reaps only once every primary has the tombstone). Messages older than the grace period
// cannot still be in flight (the network delays them by milliseconds, a paused node handles
// them before it answers the round).
#include "base/assert.h"
#include "systems/dynamo/node.h"

namespace faultline::dynamo {

void DynamoNode::age_tombstones() {
  std::vector<std::pair<std::string, KeyState>> due;
  for (const auto& [key, state] : storage_.data()) {
    if (!is_tombstone(state) || !owns(key)) continue;
    int64_t& age = tombstone_age_ns_[key];
    age += params_.handoff_ns;
    if (age >= params_.tombstone_grace_ns) due.emplace_back(key, state);
  }
  for (const auto& [key, tombstone] : due) {
    if (bugs_.tombstone_resurrection) {  // planted: reaped on age alone
      storage_.erase_key(key);
      tombstone_age_ns_.erase(key);
      ++telemetry_.tombstones_reaped;
      continue;
    }
    auto round = reaps_.find(key);
    if (round == reaps_.end() || !(round->second.tombstone == tombstone)) {
      start_reap(key, tombstone);
      continue;
    }
    const Json encoded = state_to_json(tombstone);
    for (int node : round->second.waiting)
      send(node, ReapQuery{.round = round->second.round, .key = key, .state = encoded});
  }
}

void DynamoNode::start_reap(const std::string& key, const KeyState& tombstone) {
  reaps_.erase(key);
  const ReapQuery query{.round = next_id(), .key = key, .state = state_to_json(tombstone)};
  if (!covered_by(query)) return;  // our own hints hold something newer
  ReapRound round{.round = query.round, .tombstone = tombstone};
  for (int node = 0; node < env_.node_count(); ++node)
    if (node != self_) round.waiting.insert(node);
  reaps_.emplace(key, std::move(round));
  for (int node = 0; node < env_.node_count(); ++node)
    if (node != self_) send(node, query);
}

void DynamoNode::handle_reap_query(int from, const ReapQuery& query) {
  FAULTLINE_ASSERT(is_node(from), "a reap query comes from a node");
  send(from, ReapReply{.round = query.round, .key = query.key, .covered = covered_by(query)});
}

// Merges the tombstone into our copy and hints of the key, durably, and says whether it
// covers all of them. What this node is coordinating holds copies too: a read's replies
// (one read before the delete reached that replica would be repaired back to an owner that
// has reaped the tombstone: seed 217 of delete-strict under the generic fault mix) and an
// update's state; the tombstone is merged into those as well.
bool DynamoNode::covered_by(const ReapQuery& query) {
  auto decoded = state_from_json(query.state);
  FAULTLINE_ASSERT(decoded.has_value(), "nodes send states they encoded");
  const KeyState& tombstone = decoded.value();
  if (const auto* lww = std::get_if<LwwValue>(&tombstone)) storage_.raise_timestamp_floor(lww->timestamp_ns);
  merge_into_jobs(query.key, tombstone);
  bool covered = true;
  if (const auto local = storage_.key(query.key)) {
    merge_into_data(query.key, tombstone);
    covered = *storage_.key(query.key) == tombstone;
  }
  std::vector<std::pair<HintKey, KeyState>> hints;
  for (const auto& [hint, state] : storage_.hints())
    if (hint.second == query.key) hints.emplace_back(hint, state);
  for (const auto& [hint, state] : hints) {
    const KeyState next = merged(state, tombstone);
    if (!(next == state)) storage_.put_hint(hint, next);
    covered = covered && next == tombstone;
  }
  return covered;
}

void DynamoNode::merge_into_jobs(const std::string& key, const KeyState& tombstone) {
  auto merge = [&](std::optional<KeyState>& state) {
    if (state) state = merged(*state, tombstone);
  };
  for (auto& [id, job] : reads_) {
    if (job.key != key) continue;
    for (auto& [node, state] : job.replies) merge(state);
    for (auto& [node, state] : job.fallback_replies) merge(state);
    if (job.result) merge(*job.result);
  }
  for (auto& [id, job] : writes_)
    if (job.key == key) job.state = merged(job.state, tombstone);
}

void DynamoNode::handle_reap_reply(int from, const ReapReply& reply) {
  FAULTLINE_ASSERT(is_node(from), "a reap reply comes from a node");
  auto it = reaps_.find(reply.key);
  if (it == reaps_.end() || it->second.round != reply.round) return;
  if (!reply.covered) {
    reaps_.erase(it);  // somebody holds a newer version: the tombstone is not the last word
    return;
  }
  it->second.waiting.erase(from);
  if (!it->second.waiting.empty()) return;
  const auto local = storage_.key(reply.key);
  if (local && *local == it->second.tombstone) {
    storage_.erase_key(reply.key);
    tombstone_age_ns_.erase(reply.key);
    ++telemetry_.tombstones_reaped;
  }
  reaps_.erase(it);
}

}  // namespace faultline::dynamo
