#pragma once
// The deterministic simulator (DESIGN.md, "The simulator"): one thread, virtual time, one
// event queue ordered by (time in ns, sequence number), per-purpose random streams derived
// from one seed. Same system + config + seed => the same sequence of events.
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <unordered_set>
#include <vector>

#include "framework/fault_api.h"
#include "framework/link_rules.h"
#include "framework/world.h"
#include "framework/sim_clock.h"
#include "framework/sim_disk.h"
#include "framework/system.h"

namespace faultline {

struct SimConfig {
  uint64_t seed = 1;
  int node_count = 3;
  LinkQuality default_link;
  bool codec_roundtrip = false;   // encode + decode every message (proves the codec)
  bool torn_writes = false;       // a power loss may keep a torn prefix of unsynced writes
  bool check_invariants = false;  // run the system's InvariantChecker after every event
  // The watchdog (docs/limits.md): the run stops with a reason past any of these.
  uint64_t max_events = 0;  // events processed in all; 0: no budget
  uint64_t max_events_at_one_instant = 1'000'000;  // without simulated time advancing
  size_t max_pending_events = 4'000'000;           // held in the queue at once
  // Messages kept for a report (record_messages): the first ones only. Each record keeps its
  // message alive, so a run that floods the network would otherwise hold every message it
  // ever sent (a replication storm reached 24 GB).
  size_t max_recorded_messages = 250'000;
};

// One message copy as the simulator handled it, for the message diagram of a report
// (framework/report/): recorded only while a log is attached (Simulator::record_messages).
struct MessageRecord {
  enum class Fate : uint8_t { in_flight, delivered, dropped_cut, dropped_loss, dropped_down };
  EndpointId from = -1;
  EndpointId to = -1;
  int64_t sent_ns = 0;
  int64_t ended_ns = -1;  // when it was delivered or dropped; -1 while in flight
  Fate fate = Fate::in_flight;
  bool duplicate = false;  // the second copy of a duplicated send
  MessagePtr message;      // kept, so its JSON (and type) is made only for what is written
};

// What the simulator on this thread is handling now (time, event kind, endpoints), for a
// crash report: step() notes it before each event with a few stores, and a handler of a
// fatal signal (SIGABRT from FAULTLINE_ASSERT) writes it to fd as one line starting with
// kSimEventPrefix. Async-signal-safe: no allocation, no locks. Writes nothing when no event
// is being handled. Deterministic: only simulated time and ids.
inline constexpr const char* kSimEventPrefix = "faultline: while handling: ";
void write_current_sim_event(int fd);

class Simulator final : public World {
 public:
  Simulator(const System& system, const SimConfig& config);
  ~Simulator() override;
  Simulator(const Simulator&) = delete;
  Simulator& operator=(const Simulator&) = delete;

  void start_nodes() override;  // builds and starts every node at the current time
  int64_t now_ns() const override { return now_ns_; }

  // Processes the next event; false when none is left or an invariant broke.
  bool step() override;
  // Processes every event due at or before time_ns, then sets the time to time_ns.
  void run_until(int64_t time_ns);
  // A framework callback (generator, nemesis schedule) at a virtual time.
  void schedule(int64_t at_ns, std::function<void()> callback) override;

  // Clients: a new endpoint whose completions go to on_complete. retire_client drops it;
  // messages still addressed to it are lost.
  EndpointId add_client(std::function<void(const Completion&)> on_complete) override;
  void invoke(EndpointId client, const ClientOp& op) override;
  void retire_client(EndpointId client) override;

  Node* node(EndpointId id) const;  // nullptr while down
  std::span<Node* const> nodes() const { return node_view_; }
  Disk& disk(EndpointId node);
  SimStats stats() const override { return stats_; }
  Json protocol_metrics() const override { return system_.run_metrics(); }
  // From now on every send, delivery and drop is appended to log (nullptr: none, the
  // default). Deterministic like the run; when off it costs one test per message.
  void record_messages(std::vector<MessageRecord>* log) { message_log_ = log; }
  // Hears every moment a node reports (Env::report_moment), while that node's handler runs:
  // the listener may only schedule, never act on the cluster then.
  void on_moment(std::function<void(EndpointId, std::string_view)> listener) override {
    moment_listener_ = std::move(listener);
  }
  std::optional<bool> replicas_agree() const override { return system_.replicas_agree(node_view_); }
  // Set when an invariant broke: what broke and the event after which it did.
  const std::optional<std::string>& invariant_violation() const override { return violation_; }
  // Set when the watchdog stopped the run (SimConfig's limits): why, and at which event.
  const std::optional<std::string>& watchdog_stop() const override { return watchdog_; }

  // FaultApi
  int node_count() const override { return config_.node_count; }
  void cut_link(EndpointId from, EndpointId to) override;
  void heal_link(EndpointId from, EndpointId to) override;
  void heal_all_links() override;
  bool link_cut(EndpointId from, EndpointId to) const override;
  void crash(EndpointId node, CrashMode mode) override;
  void restart(EndpointId node) override;
  bool is_up(EndpointId node) const override;
  void pause(EndpointId node) override;
  void resume(EndpointId node) override;
  bool is_paused(EndpointId node) const override;
  void set_clock(EndpointId node, int64_t offset_ns, int64_t drift_ppm) override;
  void set_clock_strobe(EndpointId node, int64_t delta_ns, int64_t period_ns) override;
  void set_link_quality(EndpointId from, EndpointId to, const LinkQuality& quality) override;
  void reset_link_quality(EndpointId from, EndpointId to) override;
  void set_client_link_quality(EndpointId node, ClientLinks links, const LinkQuality& quality) override;
  void reset_client_link_quality(EndpointId node, ClientLinks links) override;
  void reset_link_qualities() override;
  std::optional<EndpointId> leader() const override;
  std::vector<EndpointId> nodes_in_role(const std::string& role) const override { return system_.nodes_in_role(role); }
  void send_operator_message(EndpointId node, MessagePtr message) override;

  struct Event;
  struct EndpointState;

 private:
  friend class SimEnv;
  void push(Event event);
  void note_current_event(const Event& event) const;
  void dispatch(Event& event);
  void deliver(Event& event);
  void note_fate(const Event& event, MessageRecord::Fate fate);
  void log_send(Event& event, bool duplicate);
  bool recording_messages() const;
  void drop_held(EndpointState& state);
  void fire_timer(Event& event);
  void send(EndpointId from, EndpointId to, MessagePtr message);
  TimerId set_timer(EndpointId owner, int64_t delay_ns, uint64_t tag);
  int64_t local_time(EndpointId endpoint) const;
  void boot(EndpointId node);
  void check_invariants(const Event& event);
  void watch(const Event& event);
  std::string describe(const Event& event) const;
  EndpointState& endpoint(EndpointId id);
  const EndpointState& endpoint(EndpointId id) const;

  const System& system_;
  SimConfig config_;
  int64_t now_ns_ = 0;
  uint64_t next_sequence_ = 0;
  TimerId next_timer_id_ = 1;
  std::vector<Event> queue_;  // a binary min-heap on (time, sequence)
  std::vector<std::unique_ptr<EndpointState>> endpoints_;  // nodes, then clients
  std::vector<Node*> node_view_;
  std::unordered_set<TimerId> live_timers_;  // looked up only, never iterated
  LinkRules links_;
  Rng network_rng_;
  Rng disk_rng_;
  std::vector<std::function<void()>> callbacks_;  // indexed by a callback event's tag
  std::vector<uint64_t> free_callback_slots_;
  std::vector<std::unique_ptr<Client>> retired_clients_;  // destroyed after the event
  std::unique_ptr<InvariantChecker> invariants_;
  std::optional<std::string> violation_;
  std::optional<std::string> watchdog_;
  int64_t instant_ns_ = -1;  // the watchdog's current instant and the events seen at it
  uint64_t events_at_instant_ = 0;
  SimStats stats_;
  std::vector<MessageRecord>* message_log_ = nullptr;
  std::function<void(EndpointId, std::string_view)> moment_listener_;
};

}  // namespace faultline
