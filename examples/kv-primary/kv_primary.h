#pragma once
// kv-primary: a primary-backup register store, written against faultline's node contract
// (framework/env.h) the way a user writes their own system.
//
// Node 0 is the primary; the others are backups. The primary decides every write and cas,
// appends the decision to its log and fsyncs it, ships it to every backup, and answers the
// client once every backup has acknowledged holding it (synchronous replication). Backups
// append and fsync before they acknowledge. Reads are answered by the primary from its
// state. Clients retry every 100 ms; the primary remembers each client's latest update
// request (rebuilt from its log after a restart), so a retry is answered, never applied
// again. Linearizable while the primary is up; unavailable for updates while any backup is
// down or cut off, and altogether while the primary is down.
#include <map>
#include <memory>
#include <optional>
#include <vector>

#include "framework/registry.h"
#include "messages.h"

namespace kvp {

inline constexpr const char* kBugAckBeforeBackup = "kvp.ack-before-backup";

class StoreNode final : public faultline::Node {
 public:
  StoreNode(faultline::Env& env, bool ack_before_backup) : env_(env), ack_before_backup_(ack_before_backup) {}
  void start() override;
  void on_message(EndpointId from, const faultline::MessagePtr& message) override;
  void on_timer(faultline::TimerId id, uint64_t tag) override;
  const std::vector<Update>& log() const { return log_; }

 private:
  bool is_primary() const { return env_.self() == 0; }
  void send(EndpointId to, KvpMessage message) { env_.send(to, faultline::make_message(std::move(message))); }
  Json value_of(const std::string& key) const;
  void apply(const Update& update);
  void record(const Update& update);
  void on_request(EndpointId client, const Request& request);
  void decide(EndpointId client, const Request& request);
  uint64_t held_by_all() const;
  void answer_when_held(EndpointId client, uint64_t seq);
  void answer(EndpointId client, uint64_t seq);
  void replicate_to(EndpointId backup);
  void on_ack(EndpointId backup, const Ack& ack);
  void on_replicate(EndpointId primary, const Replicate& replicate);

  struct LastUpdate {
    uint64_t request = 0;  // the client's Request::id
    uint64_t seq = 0;      // where its decision is in the log
  };

  faultline::Env& env_;
  bool ack_before_backup_;
  std::vector<Update> log_;           // every decided update, in order (durable)
  std::map<std::string, Json> data_;  // the registers: the log applied
  std::map<EndpointId, LastUpdate> last_update_;  // per client, from the log: dedups retries
  // The primary's alone, in memory.
  std::map<EndpointId, uint64_t> held_;           // per backup, how many updates it acked
  std::map<EndpointId, uint64_t> waiting_;        // client -> seq it waits to see held
};

class StoreClient final : public faultline::Client {
 public:
  StoreClient(faultline::ClientEnv& env, bool reads_at_backups) : env_(env), reads_at_backups_(reads_at_backups) {}
  void invoke(const faultline::ClientOp& op) override;
  void on_message(EndpointId from, const faultline::MessagePtr& message) override;
  void on_timer(faultline::TimerId id, uint64_t tag) override;

 private:
  void send_request();

  faultline::ClientEnv& env_;
  bool reads_at_backups_;
  uint64_t last_id_ = 0;
  std::optional<Request> request_;  // in flight, resent until answered
  EndpointId target_ = 0;
  faultline::TimerId retry_timer_ = 0;
};

// The registry entry: `registry.add_system(kvp::kv_primary_entry())`.
faultline::SystemEntry kv_primary_entry();

}  // namespace kvp
