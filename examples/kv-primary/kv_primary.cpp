#include "kv_primary.h"

#include <algorithm>

#include "base/assert.h"

namespace kvp {

using faultline::MessagePtr;
using faultline::message_body;

namespace {
constexpr const char* kLogFile = "kvp.log";
constexpr uint64_t kResendTimer = 1;
constexpr int64_t kResendInterval_ns = 100'000'000;
constexpr size_t kMaxUpdatesPerReplicate = 32;

Reply refused(uint64_t id, std::string error) { return Reply{.id = id, .applied = false, .error = std::move(error)}; }
}  // namespace

// A restart (or first boot) sees only what the disk kept: the log's complete lines. A torn
// last line (power loss mid-append, --torn-writes) was never fsynced, so never acknowledged
// or shipped: it is dropped.
void StoreNode::start() {
  std::string_view disk_log = env_.disk().read(kLogFile);
  for (size_t begin = 0, end; (end = disk_log.find('\n', begin)) != std::string_view::npos; begin = end + 1) {
    Json line = Json::parse(disk_log.substr(begin, end - begin), nullptr, false);
    if (line.is_discarded()) break;
    apply(line.get<Update>());
  }
  if (is_primary()) env_.set_timer(kResendInterval_ns, kResendTimer);
}

// Appends to the log in memory and applies the update to the registers.
void StoreNode::apply(const Update& update) {
  log_.push_back(update);
  if (update.applied) data_[update.key] = update.value;
  last_update_[update.client] = LastUpdate{.request = update.request, .seq = log_.size()};
}

// Appends to the log in memory and on disk, and applies; the caller fsyncs.
void StoreNode::record(const Update& update) {
  apply(update);
  env_.disk().append(kLogFile, Json(update).dump() + "\n");
}

Json StoreNode::value_of(const std::string& key) const {
  auto it = data_.find(key);
  return it == data_.end() ? Json() : it->second;  // a key never written reads null
}

void StoreNode::on_message(EndpointId from, const MessagePtr& message) {
  const KvpMessage* body = message_body<KvpMessage>(message);
  if (body == nullptr) return;
  if (const auto* request = std::get_if<Request>(body)) on_request(from, *request);
  if (const auto* replicate = std::get_if<Replicate>(body); replicate && !is_primary()) on_replicate(from, *replicate);
  if (const auto* ack = std::get_if<Ack>(body); ack && is_primary()) on_ack(from, *ack);
}

void StoreNode::on_request(EndpointId client, const Request& request) {
  if (request.f == "read") {
    // The planted bug spreads reads over the backups, which may not hold what was acked.
    if (is_primary() || ack_before_backup_) send(client, Reply{.id = request.id, .value = value_of(request.key)});
    else send(client, refused(request.id, "not the primary"));
    return;
  }
  if (!is_primary()) return send(client, refused(request.id, "not the primary"));
  auto last = last_update_.find(client);
  if (last != last_update_.end() && last->second.request >= request.id) {
    // A retry or a duplicate: answer the decision already made, never decide again.
    if (last->second.request == request.id) answer_when_held(client, last->second.seq);
    return;
  }
  decide(client, request);
}

// The primary decides an update, makes it durable, ships it, and answers once it is held.
void StoreNode::decide(EndpointId client, const Request& request) {
  Update update{.client = client, .request = request.id, .key = request.key, .value = request.value};
  if (request.f == "cas") {
    if (!request.value.is_array() || request.value.size() != 2) return send(client, refused(request.id, "malformed cas"));
    update.applied = value_of(request.key) == request.value[0];
    update.value = request.value[1];
  } else if (request.f != "write") {
    return send(client, refused(request.id, "unknown operation " + request.f));
  }
  record(update);               // in memory, applied, appended to kvp.log
  env_.disk().fsync(kLogFile);  // durable before anyone hears of it
  for (EndpointId backup = 1; backup < env_.node_count(); ++backup) replicate_to(backup);
  answer_when_held(client, log_.size());
}

// How many updates every backup holds (all of them with no backups).
uint64_t StoreNode::held_by_all() const {
  uint64_t held = log_.size();
  for (EndpointId backup = 1; backup < env_.node_count(); ++backup) {
    auto it = held_.find(backup);
    held = std::min(held, it == held_.end() ? 0 : it->second);
  }
  return held;
}

void StoreNode::answer_when_held(EndpointId client, uint64_t seq) {
  // The planted bug acknowledges once the primary's own disk holds the update.
  if (ack_before_backup_ || seq <= held_by_all()) return answer(client, seq);
  waiting_[client] = seq;
}

void StoreNode::answer(EndpointId client, uint64_t seq) {
  const Update& update = log_.at(seq - 1);
  send(client, Reply{.id = update.request, .applied = update.applied});
}

// Ships the updates the backup is not known to hold, a bounded batch at a time.
void StoreNode::replicate_to(EndpointId backup) {
  const uint64_t first = held_[backup] + 1;
  if (first > log_.size()) return;
  const uint64_t last = std::min<uint64_t>(log_.size(), first - 1 + kMaxUpdatesPerReplicate);
  send(backup, Replicate{.first_seq = first, .updates = {log_.begin() + first - 1, log_.begin() + last}});
}

void StoreNode::on_ack(EndpointId backup, const Ack& ack) {
  uint64_t& held = held_[backup];
  if (ack.held <= held) return;  // late or duplicated
  held = std::min<uint64_t>(ack.held, log_.size());
  replicate_to(backup);
  const uint64_t held_now = held_by_all();
  std::erase_if(waiting_, [&](const auto& client_seq) {
    if (client_seq.second > held_now) return false;
    answer(client_seq.first, client_seq.second);
    return true;
  });
}

// A backup appends the updates that extend its log, fsyncs, then says how many it holds.
void StoreNode::on_replicate(EndpointId primary, const Replicate& replicate) {
  const size_t held_before = log_.size();
  for (size_t i = 0; i < replicate.updates.size(); ++i)
    if (replicate.first_seq + i == log_.size() + 1) record(replicate.updates[i]);
  if (log_.size() > held_before) env_.disk().fsync(kLogFile);
  send(primary, Ack{.held = log_.size()});
}

// The primary resends to every backup what it has not acked (lost messages, restarts).
void StoreNode::on_timer(faultline::TimerId, uint64_t tag) {
  FAULTLINE_ASSERT(tag == kResendTimer, "the primary sets only the resend timer");
  for (EndpointId backup = 1; backup < env_.node_count(); ++backup) replicate_to(backup);
  env_.set_timer(kResendInterval_ns, kResendTimer);
}

void StoreClient::invoke(const faultline::ClientOp& op) {
  FAULTLINE_ASSERT(!request_ && op.key, "one register operation at a time");
  request_ = Request{.id = ++last_id_, .f = op.f, .key = *op.key, .value = op.value};
  target_ = 0;
  if (reads_at_backups_ && op.f == "read" && env_.node_count() > 1)
    target_ = 1 + static_cast<EndpointId>(env_.rng().below(env_.node_count() - 1));
  target_ = op.node.value_or(target_);  // final reads ask every node
  send_request();
}

// Resent every 100 ms until answered; the primary applies an update once.
void StoreClient::send_request() {
  env_.send(target_, faultline::make_message(KvpMessage{*request_}));
  retry_timer_ = env_.set_timer(kResendInterval_ns, kResendTimer);
}

void StoreClient::on_timer(faultline::TimerId id, uint64_t) {
  if (request_ && id == retry_timer_) send_request();
}

void StoreClient::on_message(EndpointId from, const MessagePtr& message) {
  const KvpMessage* body = message_body<KvpMessage>(message);
  const Reply* reply = body ? std::get_if<Reply>(body) : nullptr;
  if (reply == nullptr || !request_ || reply->id != request_->id) return;  // late or duplicated
  env_.cancel_timer(retry_timer_);
  faultline::Completion done{.node = from, .role = from == 0 ? "primary" : "backup"};
  if (!reply->error.empty()) {
    done.type = faultline::OpType::fail;  // refused: certainly no effect
    done.error = reply->error;
  } else if (!reply->applied) {
    done.type = faultline::OpType::fail;  // the cas compared and did nothing
    done.error = "cas mismatch";
  } else if (request_->f == "read") {
    done.value = reply->value;
  }
  request_.reset();
  env_.complete(std::move(done));
}

}  // namespace kvp
