#include "systems/single/single_store.h"

#include <algorithm>

#include "base/assert.h"
#include "framework/claims.h"

namespace faultline::single {

namespace {
constexpr const char* kLogFile = "kv.log";
constexpr uint64_t kGroupCommitTimer = 1;
constexpr int64_t kGroupCommitDelay_ns = 50'000'000;
constexpr uint64_t kRetryTimer = 2;
constexpr int64_t kRetryInterval_ns = 100'000'000;

Result<Mode> mode_of(const std::string& workload) {
  if (workload == "register" || workload == "session") return Mode::registers;
  if (workload == "set") return Mode::sets;
  if (workload == "counter") return Mode::counters;
  if (workload == "append") return Mode::lists;
  return fail("--workload: system \"single\" does not speak workload \"" + workload + "\"");
}

Reply refused(uint64_t id, std::string error) {
  return Reply{.id = id, .applied = false, .error = std::move(error)};
}
}  // namespace

// Recovery: replay the log of answers that survived on disk (each record holds the request
// it answered, for deduplication, and for an update the key's new value). A torn last line
// (a crash in the middle of an append) is not an answer that was ever given, so it is
// skipped.
void StoreNode::start() {
  std::string_view log = env_.disk().read(kLogFile);
  std::vector<Json> records;
  for (size_t begin = 0; begin < log.size();) {
    size_t end = log.find('\n', begin);
    if (end == std::string_view::npos) break;  // torn tail
    Json record = Json::parse(log.substr(begin, end - begin), nullptr, false);
    if (!record.is_discarded()) records.push_back(std::move(record));
    begin = end + 1;
  }
  if (bugs_.drop_last_record && !records.empty()) records.pop_back();  // the planted off-by-one
  for (const Json& record : records) {
    const uint64_t request_id = record.at("r").get<uint64_t>();
    const bool updated = record.at("a").get<bool>();
    if (updated) data_[record.at("k").get<std::string>()] = record.at("v");
    applied_[record.at("c").get<EndpointId>()] =
        Applied{.request_id = request_id, .reply = Reply{.id = request_id, .applied = updated}};
  }
}

// An update's new value, or a cas that compared and did nothing: either is an answer the
// client may be given, so it is durable before it is given (a retry must get it again).
void StoreNode::persist(const Request& request, const Reply& reply, EndpointId client) {
  Json record{{"c", client}, {"r", request.id}, {"a", reply.applied}};
  if (reply.applied) record.update({{"k", request.key}, {"v", data_.at(request.key)}});
  env_.disk().append(kLogFile, record.dump() + "\n");
  if (!bugs_.ack_before_fsync) {
    env_.disk().fsync(kLogFile);  // durable before it is acknowledged
  } else if (!sync_pending_) {
    // The planted bug: acknowledge now, fsync later in a batch (group commit done wrong).
    sync_pending_ = true;
    env_.set_timer(kGroupCommitDelay_ns, kGroupCommitTimer);
  }
}

// A key never written reads as the empty value of its kind.
Json StoreNode::current(const std::string& key) const {
  auto it = data_.find(key);
  if (it != data_.end()) return it->second;
  switch (mode_) {
    case Mode::registers: return Json();
    case Mode::sets:
    case Mode::lists: return Json::array();
    case Mode::counters: return 0;
  }
  return Json();
}

// The new value of the request's key, or a refusal; a read returns the current value.
Reply StoreNode::apply(const Request& request) {
  Json value = current(request.key);
  if (request.f == "read") return Reply{.id = request.id, .value = value};
  const bool sets = mode_ == Mode::sets, counters = mode_ == Mode::counters, lists = mode_ == Mode::lists;
  if (request.f == "write" && mode_ == Mode::registers) {
    value = request.value;
  } else if (request.f == "cas" && mode_ == Mode::registers) {
    if (!request.value.is_array() || request.value.size() != 2) return refused(request.id, "malformed cas");
    if (value != request.value[0]) return Reply{.id = request.id, .applied = false};  // no effect
    value = request.value[1];
  } else if (request.f == "add" && sets) {
    auto at = std::lower_bound(value.begin(), value.end(), request.value);
    if (at == value.end() || *at != request.value) value.insert(at, request.value);
  } else if ((request.f == "add" || request.f == "decrement") && counters) {
    if (!request.value.is_number_integer()) return refused(request.id, "an amount must be an integer");
    value = value.get<int64_t>() + (request.f == "add" ? 1 : -1) * request.value.get<int64_t>();
  } else if (request.f == "append" && lists) {
    value.push_back(request.value);
  } else {
    return refused(request.id, "unknown operation " + request.f);
  }
  data_[request.key] = value;
  return Reply{.id = request.id};
}

void StoreNode::on_message(EndpointId from, const MessagePtr& message) {
  const auto* body = message_body<SingleMessage>(message);
  if (body == nullptr || !std::holds_alternative<Request>(*body)) return;
  const auto& request = std::get<Request>(*body);
  auto seen = applied_.find(from);
  const bool update = request.f != "read";
  if (update && !bugs_.no_request_dedup && seen != applied_.end() && seen->second.request_id >= request.id) {
    // A retry or a duplicate: answer the request applied last again, never apply it twice.
    if (seen->second.request_id == request.id) env_.send(from, make_message(SingleMessage{seen->second.reply}));
    return;
  }
  Reply reply = apply(request);
  if (update && reply.error.empty()) {
    persist(request, reply, from);
    applied_[from] = Applied{.request_id = request.id, .reply = reply};
  }
  env_.send(from, make_message(SingleMessage{reply}));
}

void StoreNode::on_timer(TimerId, uint64_t tag) {
  FAULTLINE_ASSERT(tag == kGroupCommitTimer, "the store sets only the group-commit timer");
  env_.disk().fsync(kLogFile);
  sync_pending_ = false;
}

void StoreClient::invoke(const ClientOp& op) {
  FAULTLINE_ASSERT(!outstanding_, "a client runs one operation at a time");
  outstanding_ = Request{.id = next_request_id_++, .f = op.f, .key = op.key.value_or(""), .value = op.value};
  send_outstanding();
}

// Sends the request and resends it every 100 ms until answered: a lost request or reply is
// retried; the store applies it once.
void StoreClient::send_outstanding() {
  FAULTLINE_ASSERT(outstanding_.has_value(), "only an outstanding request is sent");
  env_.send(0, make_message(SingleMessage{*outstanding_}));
  retry_timer_ = env_.set_timer(kRetryInterval_ns, kRetryTimer);
}

void StoreClient::on_timer(TimerId id, uint64_t tag) {
  FAULTLINE_ASSERT(tag == kRetryTimer, "the client sets only the retry timer");
  if (outstanding_ && id == retry_timer_) send_outstanding();
}

void StoreClient::on_message(EndpointId from, const MessagePtr& message) {
  const auto* body = message_body<SingleMessage>(message);
  if (body == nullptr || !std::holds_alternative<Reply>(*body)) return;
  const auto& reply = std::get<Reply>(*body);
  if (!outstanding_ || reply.id != outstanding_->id) return;  // a late or duplicated reply
  const bool read = outstanding_->f == "read";
  outstanding_.reset();
  env_.cancel_timer(retry_timer_);
  Completion completion{.type = OpType::ok, .node = from};
  if (!reply.error.empty()) {
    completion.type = OpType::fail;  // refused: certainly no effect
    completion.error = reply.error;
  } else if (!reply.applied) {
    completion.type = OpType::fail;  // the cas compared and did nothing: a definite no
    completion.error = "cas mismatch";
  } else if (read) {
    completion.value = reply.value;
  }
  env_.complete(std::move(completion));
}

std::vector<ClaimSpec> SingleStore::claims() const {
  const ClaimSpec liveness = claims::liveness();
  switch (mode_) {
    case Mode::registers: {
      std::vector<ClaimSpec> claims = {claims::linearizable("kv"), liveness};
      if (config_.workload == "session") {
        claims.push_back({"session", "every process reads its writes, monotonically, in write order",
                          "session", Json::object()});
        claims.push_back({"no-stale-reads", "a read sees every write acknowledged before it began",
                          "staleness", Json{{"bound_versions", 0}}});
      }
      return claims;
    }
    case Mode::sets:
      return {{"set-full", "no acknowledged add is lost, nothing unexpected appears, and no read is stale",
               "set-full", Json{{"linearizable", true}}},
              {"convergence", "after the heal every node reads the same set, holding every acknowledged add",
               "convergence", Json{{"type", "set"}}},
              liveness};
    case Mode::counters:
      return {{"counter", "every read lies within the bounds of the increments and decrements around it",
               "counter", Json::object()},
              {"convergence", "after the heal every read returns one value reachable from the updates",
               "convergence", Json{{"type", "counter"}}},
              liveness};
    case Mode::lists:
      return {{"session", "every process reads its appends, monotonically, in append order", "session",
               Json::object()},
              {"convergence", "after the heal every node reads the same list, holding every acknowledged append",
               "convergence", Json{{"type", "append"}}},
              liveness};
  }
  return {};
}

std::unique_ptr<Node> SingleStore::make_node(Env& env) const {
  FAULTLINE_ASSERT(env.self() == 0, "the single store has exactly one node");
  return std::make_unique<StoreNode>(env, mode_, bugs_);
}

std::unique_ptr<Client> SingleStore::make_client(ClientEnv& env) const {
  return std::make_unique<StoreClient>(env);
}

std::optional<EndpointId> SingleStore::leader(std::span<Node* const> nodes) const {
  return nodes[0] != nullptr ? std::optional<EndpointId>(0) : std::nullopt;
}

Result<std::unique_ptr<System>> make_single_store(const SystemConfig& config) {
  BOOST_OUTCOME_TRY(mode, mode_of(config.workload));
  BOOST_OUTCOME_TRY(bugs, bugs_from_name(config.bug));
  return std::unique_ptr<System>(std::make_unique<SingleStore>(config, mode, bugs));
}

SystemEntry single_entry() {
  return SystemEntry{
      .name = "single",
      .description = "one-node store (the baseline), every workload: linearizable, unavailable when down",
      .min_nodes = 1,
      .max_nodes = 1,
      .default_nodes = 1,
      .make = make_single_store,
      // The demo drives the register workload: double-increment needs counters (a retried
      // add applied twice), so it is shown by `campaign --workload counter`, not here.
      .showcase_bugs = {{kBugAckBeforeFsync, {"crash"}}, {kBugLostAdd, {"crash"}}},
      .workloads = {"register", "set", "counter", "session", "append"},
      .configurations = {{.name = "register", .workload = "register"},
                         {.name = "set", .workload = "set"},
                         {.name = "counter", .workload = "counter"},
                         {.name = "session", .workload = "session"},
                         {.name = "append", .workload = "append"}},
  };
}

}  // namespace faultline::single
