#include "systems/single/single_store.h"

#include "base/assert.h"

namespace faultline::single {

namespace {
constexpr const char* kLogFile = "kv.log";
constexpr uint64_t kGroupCommitTimer = 1;
constexpr int64_t kGroupCommitDelay_ns = 50'000'000;
}  // namespace

// Recovery: replay the log of writes that survived on disk. A torn last line (a crash in
// the middle of an append) is not a write that was ever acknowledged, so it is skipped.
void StoreNode::start() {
  std::string_view log = env_.disk().read(kLogFile);
  size_t begin = 0;
  while (begin < log.size()) {
    size_t end = log.find('\n', begin);
    if (end == std::string_view::npos) break;  // torn tail
    Json entry = Json::parse(log.substr(begin, end - begin), nullptr, false);
    if (!entry.is_discarded()) data_[entry.at("k").get<std::string>()] = entry.at("v");
    begin = end + 1;
  }
}

void StoreNode::persist(const std::string& key, const Json& value) {
  env_.disk().append(kLogFile, Json{{"k", key}, {"v", value}}.dump() + "\n");
  if (!ack_before_fsync_) {
    env_.disk().fsync(kLogFile);  // durable before it is acknowledged
  } else if (!sync_pending_) {
    // The planted bug: acknowledge now, fsync later in a batch (group commit done wrong).
    sync_pending_ = true;
    env_.set_timer(kGroupCommitDelay_ns, kGroupCommitTimer);
  }
}

Json StoreNode::apply(const Request& request, bool& applied) {
  applied = true;
  auto it = data_.find(request.key);
  Json current = it == data_.end() ? Json() : it->second;
  if (request.f == "read") return current;
  if (request.f == "write") {
    data_[request.key] = request.value;
    persist(request.key, request.value);
    return Json();
  }
  FAULTLINE_ASSERT(request.f == "cas", "unknown operation reached the store");
  if (!request.value.is_array() || request.value.size() != 2 || current != request.value[0]) {
    applied = false;
    return Json();
  }
  data_[request.key] = request.value[1];
  persist(request.key, request.value[1]);
  return Json();
}

void StoreNode::on_message(EndpointId from, const MessagePtr& message) {
  const auto* body = message_body<SingleMessage>(message);
  if (body == nullptr || !std::holds_alternative<Request>(*body)) return;
  const auto& request = std::get<Request>(*body);
  Reply reply;
  reply.id = request.id;
  reply.value = apply(request, reply.applied);
  env_.send(from, make_message(SingleMessage{reply}));
}

void StoreNode::on_timer(TimerId, uint64_t tag) {
  if (tag != kGroupCommitTimer) return;
  env_.disk().fsync(kLogFile);
  sync_pending_ = false;
}

void StoreClient::invoke(const ClientOp& op) {
  outstanding_ = next_request_id_++;
  outstanding_f_ = op.f;
  Request request{outstanding_, op.f, op.key.value_or(""), op.value};
  env_.send(0, make_message(SingleMessage{request}));
}

void StoreClient::on_message(EndpointId from, const MessagePtr& message) {
  const auto* body = message_body<SingleMessage>(message);
  if (body == nullptr || !std::holds_alternative<Reply>(*body)) return;
  const auto& reply = std::get<Reply>(*body);
  if (reply.id != outstanding_) return;  // a late or duplicated reply
  outstanding_ = 0;
  Completion completion;
  completion.node = from;
  if (!reply.applied) {
    completion.type = OpType::fail;  // the cas compared and did nothing: a definite no
    completion.error = "cas mismatch";
  } else {
    completion.type = OpType::ok;
    if (outstanding_f_ == "read") completion.value = reply.value;
  }
  env_.complete(std::move(completion));
}

std::vector<ClaimSpec> SingleStore::claims() const {
  return {{"linearizable", "every read, write and cas takes effect atomically between its invoke and completion",
           "linearizable", Json{{"model", "kv"}}}};
}

std::vector<BugSpec> SingleStore::bugs() const {
  return {{kBugAckBeforeFsync,
           "acknowledges a write before fsync (group commit every 50 ms); a power loss loses acknowledged writes",
           "fsync-before-ack mistakes, e.g. Redis appendfsync everysec and MongoDB w:1 j:false losing acknowledged writes on crash"}};
}

std::unique_ptr<Node> SingleStore::make_node(Env& env) const {
  FAULTLINE_ASSERT(env.self() == 0, "the single store has exactly one node");
  return std::make_unique<StoreNode>(env, config_.bug == std::string(kBugAckBeforeFsync));
}

std::unique_ptr<Client> SingleStore::make_client(ClientEnv& env) const {
  return std::make_unique<StoreClient>(env);
}

std::optional<EndpointId> SingleStore::leader(std::span<Node* const> nodes) const {
  return nodes[0] != nullptr ? std::optional<EndpointId>(0) : std::nullopt;
}

SystemEntry single_entry() {
  return SystemEntry{
      .name = "single",
      .description = "one-node key-value store (the baseline): linearizable, unavailable when down",
      .min_nodes = 1,
      .max_nodes = 1,
      .default_nodes = 1,
      .make = [](const SystemConfig& config) -> Result<std::unique_ptr<System>> {
        return std::unique_ptr<System>(std::make_unique<SingleStore>(config));
      },
      .showcase_bugs = {{kBugAckBeforeFsync, {"crash"}}},
      .workloads = {"register"},
  };
}

}  // namespace faultline::single
