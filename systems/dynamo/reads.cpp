// Quorum reads and read repair (Dynamo 4.5 and 4.7; Cassandra's blocking read repair). The
// coordinator asks every owner, answers once R of them replied (with a sloppy quorum a
// fallback's hinted copy counts for an owner that stays silent), and writes the merged state
// back to every replier that lacked part of it. With blocking read repair the client gets
// its answer only once those repairs are acknowledged, so the value it saw is on R replicas
// and the next quorum read (2R > N) sees it: monotonic reads. Replies that come after the
// answer are repaired in the background until the job's deadline.
#include "base/assert.h"
#include "systems/dynamo/node.h"

namespace faultline::dynamo {

namespace {

constexpr int kAttemptsBeforeEmptyStandIns = 2;  // see record_read

}  // namespace

void DynamoNode::start_read(EndpointId client, const ClientRequest& request) {
  const uint64_t id = next_id();
  ReadJob& job = reads_
                     .emplace(id, ReadJob{.id = id,
                                          .client = client,
                                          .request = request.request,
                                          .key = request.key,
                                          .quorum = QuorumTracker(owners(request.key), params_.read_quorum,
                                                                  params_.sloppy || bugs_.sloppy_quorum_counted)})
                     .first->second;
  for (int owner : job.quorum.owners()) ask_replica(job, owner, -1);
  arm(params_.replica_attempt_ns, kAttemptTimer, id);
  arm(params_.coordinator_deadline_ns, kDeadlineTimer, id);
  maybe_answer_read(job);
}

// Our own replica answers at once; others by message.
void DynamoNode::ask_replica(ReadJob& job, int node, int stand_in_for) {
  if (node != self_) {
    send(node, ReplicaRead{.id = job.id, .key = job.key, .ring = ring_json(), .stand_in_for = stand_in_for});
    return;
  }
  if (stand_in_for >= 0) {
    record_read(job, self_, hinted_state(job.key), stand_in_for);
  } else if (owns(job.key)) {
    record_read(job, self_, storage_.key(job.key), -1);
  }
}

void DynamoNode::handle_read_reply(int from, const ReplicaReadReply& reply) {
  FAULTLINE_ASSERT(is_node(from), "a read reply comes from a node");
  auto it = reads_.find(reply.id);
  if (it == reads_.end()) return;  // the job ended
  ReadJob& job = it->second;
  if (reply.status == "not-owner") {
    // The replica's ring is newer: learn it and ask the key's owners under it.
    if (!merge_ring(reply.ring)) return;
    job.quorum.reassign(owners(job.key));
    for (int owner : job.quorum.missing_owners()) ask_replica(job, owner, -1);
    return;
  }
  auto state = optional_state_from_json(reply.state);
  FAULTLINE_ASSERT(state.has_value(), "replicas send states they encoded");
  record_read(job, from, std::move(state).value(), reply.stand_in_for);
  maybe_answer_read(job);
}

void DynamoNode::record_read(ReadJob& job, int from, std::optional<KeyState> state, int stand_in_for) {
  if (stand_in_for >= 0) {
    // Riak's notfound_ok = false, for stand-ins: a fallback holding no hint of the key knows
    // nothing about it, so its empty reply counts for the silent owner only once that owner
    // stayed silent through a second attempt (cut off, not one lost message). Counting it at
    // once let a read during the final reads of a lossy run answer "nothing" for a key every
    // owner held.
    const bool counts = state.has_value() || job.attempts >= kAttemptsBeforeEmptyStandIns;
    job.fallback_replies[from] = std::move(state);
    if (counts) job.quorum.fallback_answered(from, stand_in_for);
    else job.empty_stand_ins.emplace_back(from, stand_in_for);
    return;
  }
  const bool late = job.result.has_value();
  job.replies[from] = state;
  job.quorum.owner_answered(from);
  if (!late) return;
  // A reply after the answer: repair it in the background if it lacks something.
  const std::optional<KeyState>& answered = *job.result;
  if (!answered) return;
  const KeyState target = state ? merged(*state, *answered) : *answered;
  if (!state || !(target == *state)) send_repair(job, from, target, false);
}

void DynamoNode::maybe_answer_read(ReadJob& job) {
  if (job.result || !job.quorum.satisfied()) return;
  std::optional<KeyState> result;
  auto fold = [&](const std::optional<KeyState>& state) {
    if (state) result = result ? merged(*result, *state) : *state;
  };
  for (const auto& [node, state] : job.replies) fold(state);
  for (const auto& [node, state] : job.fallback_replies) fold(state);
  job.result = result;
  // The planted ap.nonblocking-read-repair: "blocking" repairs sent without waiting for them.
  const bool blocking = params_.read_repair == ReadRepair::blocking && !bugs_.nonblocking_read_repair;
  if (result) {
    for (const auto& [owner, state] : job.replies)
      if (!state || !(*state == *result)) send_repair(job, owner, *result, blocking);
  }
  if (job.repairs_pending.empty()) reply_read(job, "ok");
}

void DynamoNode::send_repair(ReadJob& job, int owner, const KeyState& state, bool awaited) {
  ++telemetry_.read_repairs;
  if (owner == self_) {
    merge_into_data(job.key, state);  // durable before we answer
    return;
  }
  if (awaited) job.repairs_pending.insert(owner);
  send(owner, ReplicaWrite{.id = job.id, .key = job.key, .state = state_to_json(state), .ring = ring_json()});
  env_.report_moment("read-repair-sent");  // a coordinator lost before its repairs land
}

void DynamoNode::reply_read(ReadJob& job, const std::string& status) {
  if (job.answered) return;
  job.answered = true;
  Json state = status == "ok" && job.result ? optional_state_to_json(*job.result) : Json();
  send(job.client, ClientReply{.request = job.request, .status = status, .state = std::move(state)});
}

// Silent owners: ask again, and ask fallbacks for the hinted copies they may hold.
void DynamoNode::read_attempt(ReadJob& job) {
  if (job.answered) return;
  if (++job.attempts >= kAttemptsBeforeEmptyStandIns) {
    for (const auto& [fallback, owner] : job.empty_stand_ins) job.quorum.fallback_answered(fallback, owner);
    job.empty_stand_ins.clear();
  }
  std::vector<int> free_fallbacks;
  for (int fallback : ring_.fallbacks(Ring::key_hash(job.key)))
    if (!job.fallback_for.count(fallback)) free_fallbacks.push_back(fallback);
  size_t next = 0;
  for (int owner : job.quorum.missing_owners()) {
    if (owner != self_) suspected_.insert(owner);
    ask_replica(job, owner, -1);
    if (next < free_fallbacks.size()) {
      job.fallback_for[free_fallbacks[next]] = owner;
      ask_replica(job, free_fallbacks[next++], owner);
    }
  }
  for (int owner : job.repairs_pending) {
    const KeyState& state = **job.result;
    send(owner, ReplicaWrite{.id = job.id, .key = job.key, .state = state_to_json(state), .ring = ring_json()});
  }
  maybe_answer_read(job);
  arm(params_.replica_attempt_ns, kAttemptTimer, job.id);
}

}  // namespace faultline::dynamo
