#include "framework/simulator.h"

#include <unistd.h>

#include <algorithm>

#include "base/assert.h"
#include "histories/json_input.h"

namespace faultline {

struct Simulator::Event {
  enum class Kind : uint8_t { deliver, timer, callback };
  int64_t time_ns = 0;
  uint64_t sequence = 0;
  Kind kind = Kind::callback;
  EndpointId from = -1;
  EndpointId to = -1;          // deliver: the receiver; timer: the owner
  uint64_t incarnation = 0;    // timer: the owner's incarnation when it was set
  TimerId timer_id = 0;
  uint64_t tag = 0;            // timer: the core's tag; callback: slot in callbacks_
  int64_t deadline_ns = 0;     // timer: when it is due on the owner's timer clock
  MessagePtr message;
  int64_t record = -1;         // deliver: its entry in the message log, when one is attached
};

namespace {


// The event in progress on this thread (write_current_sim_event); plain data, so a signal
// handler can read it.
struct CurrentEvent {
  enum class Kind : uint8_t { none, deliver, timer, callback, start };
  Kind kind = Kind::none;
  int64_t time_ns = 0;
  EndpointId from = -1;
  EndpointId to = -1;
  uint64_t tag = 0;
  int node_count = 0;
};

thread_local CurrentEvent current_event;

// Text building without allocation, for the signal handler.
struct LineBuffer {
  char text[256];
  size_t size = 0;
  void add(const char* part) {
    while (*part != '\0' && size < sizeof text - 1) text[size++] = *part++;
  }
  void add(int64_t number) {
    char digits[24];
    int count = 0;
    uint64_t magnitude = number < 0 ? 0 - static_cast<uint64_t>(number) : static_cast<uint64_t>(number);
    do {
      digits[count++] = static_cast<char>('0' + magnitude % 10);
      magnitude /= 10;
    } while (magnitude > 0);
    if (number < 0) add("-");
    while (count > 0 && size < sizeof text - 1) text[size++] = digits[--count];
  }
  void add_endpoint(EndpointId id, int node_count) {
    add(id < node_count ? "node " : "client endpoint ");
    add(static_cast<int64_t>(id));
  }
};

}  // namespace

void write_current_sim_event(int fd) {
  const CurrentEvent event = current_event;
  if (event.kind == CurrentEvent::Kind::none) return;
  LineBuffer line;
  line.add(kSimEventPrefix);
  line.add("t=");
  line.add(event.time_ns);
  line.add(" ns, ");
  switch (event.kind) {
    case CurrentEvent::Kind::deliver:
      line.add("delivering a message from ");
      line.add_endpoint(event.from, event.node_count);
      line.add(" to ");
      line.add_endpoint(event.to, event.node_count);
      break;
    case CurrentEvent::Kind::timer:
      line.add("firing timer (tag ");
      line.add(static_cast<int64_t>(event.tag));
      line.add(") of ");
      line.add_endpoint(event.to, event.node_count);
      break;
    case CurrentEvent::Kind::callback: line.add("a framework event (a client operation or a fault)"); break;
    case CurrentEvent::Kind::start:
      line.add("starting ");
      line.add_endpoint(event.to, event.node_count);
      break;
    case CurrentEvent::Kind::none: break;
  }
  line.add("\n");
  ssize_t ignored = ::write(fd, line.text, line.size);
  (void)ignored;  // nothing more can be done about a failed write while crashing
}

namespace {
// A message's text on the wire; "" (which is no JSON) when it cannot be written (invalid UTF-8).
std::string wire_text(const Json& encoded) {
  try {
    return encoded.dump();
  } catch (const Json::type_error&) {
    return "";
  }
}

// std heap algorithms build a max-heap; "later" puts the earliest (time, sequence) on top.
struct Later {
  bool operator()(const Simulator::Event& a, const Simulator::Event& b) const {
    return a.time_ns != b.time_ns ? a.time_ns > b.time_ns : a.sequence > b.sequence;
  }
};
}  // namespace

// The Env a node or client sees: every effect goes back through the simulator.
class SimEnv final : public ClientEnv {
 public:
  SimEnv(Simulator& sim, EndpointId self) : sim_(sim), self_(self) {}
  EndpointId self() const override { return self_; }
  int node_count() const override { return sim_.config_.node_count; }
  void send(EndpointId to, MessagePtr message) override { sim_.send(self_, to, std::move(message)); }
  TimerId set_timer(int64_t delay_ns, uint64_t tag) override {
    return sim_.set_timer(self_, delay_ns, tag);
  }
  void cancel_timer(TimerId id) override { sim_.live_timers_.erase(id); }
  int64_t now_ns() const override { return sim_.local_time(self_); }
  int64_t monotonic_ns() const override;
  Disk& disk() override;
  Rng& rng() override;
  void report_moment(std::string_view moment) override {
    if (sim_.moment_listener_) sim_.moment_listener_(self_, moment);
  }
  void complete(Completion completion) override;

 private:
  Simulator& sim_;
  EndpointId self_;
};

struct Simulator::EndpointState {
  EndpointState(Simulator& sim, EndpointId id, bool is_client, Rng rng)
      : env(sim, id), is_client(is_client), rng(rng) {}
  SimEnv env;
  bool is_client;
  std::unique_ptr<Node> node;
  std::unique_ptr<Client> client;
  std::function<void(const Completion&)> on_complete;
  bool up = false;  // a node that runs, or a client not retired
  bool paused = false;
  std::vector<Event> held;  // events that arrived while paused, in arrival order
  uint64_t incarnation = 0;
  SimClock clock;
  SimDisk disk;
  Rng rng;
};

Disk& SimEnv::disk() {
  FAULTLINE_ASSERT(!sim_.endpoint(self_).is_client, "clients have no disk");
  return sim_.endpoint(self_).disk;
}

Rng& SimEnv::rng() { return sim_.endpoint(self_).rng; }

int64_t SimEnv::monotonic_ns() const { return sim_.endpoint(self_).clock.elapsed(sim_.now_ns_); }

void SimEnv::complete(Completion completion) {
  auto& state = sim_.endpoint(self_);
  FAULTLINE_ASSERT(state.is_client, "only a client completes operations");
  if (state.up && state.on_complete) state.on_complete(completion);
}

Simulator::Simulator(const System& system, const SimConfig& config)
    : system_(system),
      config_(config),
      links_(config.node_count, config.default_link),
      network_rng_(Rng::stream(config.seed, "network")),
      disk_rng_(Rng::stream(config.seed, "disk")) {
  FAULTLINE_ASSERT(config.node_count > 0, "a cluster needs at least one node");
  for (EndpointId id = 0; id < config.node_count; ++id) {
    auto rng = Rng::stream(config.seed, "node/" + std::to_string(id));
    endpoints_.push_back(std::make_unique<EndpointState>(*this, id, false, rng));
  }
  node_view_.assign(config.node_count, nullptr);
  if (config.check_invariants) invariants_ = system.make_invariant_checker();
}

Simulator::~Simulator() = default;

Simulator::EndpointState& Simulator::endpoint(EndpointId id) {
  FAULTLINE_ASSERT(id >= 0 && static_cast<size_t>(id) < endpoints_.size(), "unknown endpoint");
  return *endpoints_[id];
}

const Simulator::EndpointState& Simulator::endpoint(EndpointId id) const {
  FAULTLINE_ASSERT(id >= 0 && static_cast<size_t>(id) < endpoints_.size(), "unknown endpoint");
  return *endpoints_[id];
}

void Simulator::start_nodes() {
  for (EndpointId id = 0; id < config_.node_count; ++id) {
    current_event = {.kind = CurrentEvent::Kind::start, .time_ns = now_ns_, .to = id, .node_count = config_.node_count};
    boot(id);
  }
  current_event = {};
}

void Simulator::boot(EndpointId id) {
  auto& state = endpoint(id);
  FAULTLINE_ASSERT(!state.up, "boot of a node that is up");
  state.up = true;
  state.node = system_.make_node(state.env);
  node_view_[id] = state.node.get();
  state.node->start();
}

void Simulator::push(Event event) {
  FAULTLINE_ASSERT(event.time_ns >= now_ns_, "an event in the past");
  event.sequence = next_sequence_++;
  queue_.push_back(std::move(event));
  std::push_heap(queue_.begin(), queue_.end(), Later{});
}

void Simulator::schedule(int64_t at_ns, std::function<void()> callback) {
  FAULTLINE_ASSERT(at_ns >= now_ns_, "cannot schedule in the past");
  Event event;
  event.time_ns = at_ns;
  event.kind = Event::Kind::callback;
  if (free_callback_slots_.empty()) {
    event.tag = callbacks_.size();
    callbacks_.push_back(std::move(callback));
  } else {
    event.tag = free_callback_slots_.back();
    free_callback_slots_.pop_back();
    callbacks_[event.tag] = std::move(callback);
  }
  push(std::move(event));
}

bool Simulator::step() {
  if (violation_ || watchdog_ || queue_.empty()) return false;
  std::pop_heap(queue_.begin(), queue_.end(), Later{});
  Event event = std::move(queue_.back());
  queue_.pop_back();
  now_ns_ = event.time_ns;
  ++stats_.events;
  note_current_event(event);
  dispatch(event);
  retired_clients_.clear();  // destroyed only now: a client may retire inside its own call
  if (invariants_) check_invariants(event);
  current_event = {};
  watch(event);
  return !violation_ && !watchdog_;
}

void Simulator::note_current_event(const Event& event) const {
  CurrentEvent::Kind kind = event.kind == Event::Kind::deliver ? CurrentEvent::Kind::deliver
                            : event.kind == Event::Kind::timer ? CurrentEvent::Kind::timer
                                                               : CurrentEvent::Kind::callback;
  current_event = {.kind = kind, .time_ns = event.time_ns, .from = event.from, .to = event.to, .tag = event.tag,
                   .node_count = config_.node_count};
}

void Simulator::run_until(int64_t time_ns) {
  while (!violation_ && !watchdog_ && !queue_.empty() && queue_.front().time_ns <= time_ns) step();
  if (!violation_ && !watchdog_) now_ns_ = std::max(now_ns_, time_ns);
}

// The watchdog: a run that loops at one simulated instant, runs past its event budget or
// floods the queue stops with the reason instead of hanging or exhausting memory.
void Simulator::watch(const Event& event) {
  if (event.time_ns != instant_ns_) {
    instant_ns_ = event.time_ns;
    events_at_instant_ = 0;
  }
  std::string why;
  if (++events_at_instant_ > config_.max_events_at_one_instant)
    why = "simulated time stopped advancing: " + std::to_string(config_.max_events_at_one_instant) +
          " events at one instant; a node or client loops without letting time pass";
  else if (config_.max_events > 0 && stats_.events >= config_.max_events)
    why = "the run reached its budget of " + std::to_string(config_.max_events) +
          " simulator events; raise it with --max-events";
  else if (queue_.size() > config_.max_pending_events)
    why = "more than " + std::to_string(config_.max_pending_events) +
          " events pending at once; the system floods the network or sets timers without bound";
  if (!why.empty()) watchdog_ = why + " (at t=" + std::to_string(now_ns_) + "ns, after " + describe(event) + ")";
}

std::string Simulator::describe(const Event& event) const {
  switch (event.kind) {
    case Event::Kind::deliver:
      return "a message from " + std::to_string(event.from) + " to " + std::to_string(event.to);
    case Event::Kind::timer: return "timer " + std::to_string(event.tag) + " on " + std::to_string(event.to);
    case Event::Kind::callback: return "a framework event (client or nemesis)";
  }
  return "an event";
}

void Simulator::dispatch(Event& event) {
  switch (event.kind) {
    case Event::Kind::deliver: deliver(event); break;
    case Event::Kind::timer: fire_timer(event); break;
    case Event::Kind::callback: {
      auto callback = std::move(callbacks_[event.tag]);
      callbacks_[event.tag] = nullptr;
      free_callback_slots_.push_back(event.tag);
      callback();
      break;
    }
  }
}

void Simulator::note_fate(const Event& event, MessageRecord::Fate fate) {
  if (message_log_ == nullptr || event.record < 0) return;
  MessageRecord& record = (*message_log_)[event.record];
  record.fate = fate;
  record.ended_ns = now_ns_;
}

void Simulator::deliver(Event& event) {
  auto& receiver = endpoint(event.to);
  // A cut is checked on arrival, as a real packet in flight is lost (DESIGN.md).
  if (links_.is_cut(event.from, event.to)) {
    ++stats_.dropped_cut;
    note_fate(event, MessageRecord::Fate::dropped_cut);
    return;
  }
  if (!receiver.up) {
    ++stats_.dropped_down;
    note_fate(event, MessageRecord::Fate::dropped_down);
    return;
  }
  if (receiver.paused) {
    receiver.held.push_back(std::move(event));
    return;
  }
  ++stats_.deliveries;
  note_fate(event, MessageRecord::Fate::delivered);
  if (receiver.is_client)
    receiver.client->on_message(event.from, event.message);
  else
    receiver.node->on_message(event.from, event.message);
}

void Simulator::fire_timer(Event& event) {
  auto& owner = endpoint(event.to);
  if (!owner.up || owner.incarnation != event.incarnation) return;
  if (owner.paused) {
    owner.held.push_back(std::move(event));
    return;
  }
  if (live_timers_.count(event.timer_id) == 0) return;  // cancelled
  if (owner.clock.elapsed(now_ns_) < event.deadline_ns) {
    // The drift slowed since the timer was set: it waits, as a timer never fires early.
    event.time_ns = owner.clock.when_elapsed_reaches(event.deadline_ns, now_ns_);
    push(std::move(event));
    return;
  }
  live_timers_.erase(event.timer_id);
  ++stats_.timers_fired;
  if (owner.is_client)
    owner.client->on_timer(event.timer_id, event.tag);
  else
    owner.node->on_timer(event.timer_id, event.tag);
}

void Simulator::send(EndpointId from, EndpointId to, MessagePtr message) {
  FAULTLINE_ASSERT(message != nullptr, "send of a null message");
  FAULTLINE_ASSERT(to >= 0 && static_cast<size_t>(to) < endpoints_.size(), "send to an unknown endpoint");
  if (config_.codec_roundtrip) {
    const Json encoded = message->to_json();
    // Through JSON text too, as the real runtime's wire carries it (framework/runtime/frame.h).
    auto carried = parse_json_input(wire_text(encoded));
    FAULTLINE_ASSERT(carried.has_value() && carried.value() == encoded, "a message does not survive the wire's text");
    auto decoded = system_.codec().decode(carried.value());
    FAULTLINE_ASSERT(decoded.has_value(), "a message does not survive its codec");
    FAULTLINE_ASSERT(decoded.value()->to_json() == encoded, "codec changed a message");
    message = std::move(decoded).value();
  }
  const std::vector<int64_t> delays_ns = draw_copy_delays(links_.quality(from, to), network_rng_);
  if (delays_ns.empty()) {
    ++stats_.dropped_loss;
    if (recording_messages())
      message_log_->push_back({.from = from, .to = to, .sent_ns = now_ns_, .ended_ns = now_ns_,
                               .fate = MessageRecord::Fate::dropped_loss, .message = message});
    return;
  }
  stats_.duplicated += delays_ns.size() - 1;
  for (size_t copy = 0; copy < delays_ns.size(); ++copy) {
    Event event;
    event.time_ns = now_ns_ + delays_ns[copy];
    event.kind = Event::Kind::deliver;
    event.from = from;
    event.to = to;
    event.message = message;
    log_send(event, copy > 0);
    push(std::move(event));
  }
}

bool Simulator::recording_messages() const {
  return message_log_ != nullptr && message_log_->size() < config_.max_recorded_messages;
}

void Simulator::log_send(Event& event, bool duplicate) {
  if (!recording_messages()) return;
  event.record = static_cast<int64_t>(message_log_->size());
  message_log_->push_back({.from = event.from, .to = event.to, .sent_ns = now_ns_, .duplicate = duplicate,
                           .message = event.message});
}

void Simulator::send_operator_message(EndpointId node, MessagePtr message) {
  FAULTLINE_ASSERT(node >= 0 && node < config_.node_count, "an operator command goes to a node");
  FAULTLINE_ASSERT(message != nullptr, "an operator command is a message");
  Event event;
  event.time_ns = now_ns_;
  event.kind = Event::Kind::deliver;
  event.from = kOperatorEndpoint;
  event.to = node;
  event.message = std::move(message);
  log_send(event, false);
  push(std::move(event));
}

TimerId Simulator::set_timer(EndpointId owner, int64_t delay_ns, uint64_t tag) {
  FAULTLINE_ASSERT(delay_ns >= 0, "a timer cannot fire in the past");
  auto& state = endpoint(owner);
  // delay_ns is on the owner's timer clock: a clock running fast by drift_ppm fires early in
  // virtual time, never before the clock has advanced by delay_ns.
  Event event;
  event.deadline_ns = state.clock.elapsed(now_ns_) + std::min(delay_ns, kLongestTimer_ns);
  event.time_ns = state.clock.when_elapsed_reaches(event.deadline_ns, now_ns_);
  event.kind = Event::Kind::timer;
  event.to = owner;
  event.incarnation = state.incarnation;
  event.timer_id = next_timer_id_++;
  event.tag = tag;
  live_timers_.insert(event.timer_id);
  TimerId id = event.timer_id;
  push(std::move(event));
  return id;
}

int64_t Simulator::local_time(EndpointId id) const { return endpoint(id).clock.read(now_ns_); }

EndpointId Simulator::add_client(std::function<void(const Completion&)> on_complete) {
  auto id = static_cast<EndpointId>(endpoints_.size());
  auto rng = Rng::stream(config_.seed, "client/" + std::to_string(id));
  endpoints_.push_back(std::make_unique<EndpointState>(*this, id, true, rng));
  auto& state = *endpoints_.back();
  state.on_complete = std::move(on_complete);
  state.client = system_.make_client(state.env);
  state.up = true;
  return id;
}

void Simulator::invoke(EndpointId client, const ClientOp& op) {
  auto& state = endpoint(client);
  FAULTLINE_ASSERT(state.is_client && state.up, "invoke on a retired client");
  state.client->invoke(op);
}

void Simulator::retire_client(EndpointId client) {
  auto& state = endpoint(client);
  FAULTLINE_ASSERT(state.is_client, "retire_client of a node");
  state.up = false;
  ++state.incarnation;
  drop_held(state);
  retired_clients_.push_back(std::move(state.client));
}

Node* Simulator::node(EndpointId id) const {
  FAULTLINE_ASSERT(id >= 0 && id < config_.node_count, "node id out of range");
  return node_view_[id];
}

Disk& Simulator::disk(EndpointId id) {
  FAULTLINE_ASSERT(id >= 0 && id < config_.node_count, "node id out of range");
  return endpoint(id).disk;
}

void Simulator::check_invariants(const Event& event) {
  auto broken = invariants_->check(node_view_);
  if (!broken) return;
  std::string what = "at t=" + std::to_string(now_ns_) + "ns, after ";
  switch (event.kind) {
    case Event::Kind::deliver:
      what += "delivering " + event.message->to_json().dump() + " from " +
              std::to_string(event.from) + " to " + std::to_string(event.to);
      break;
    case Event::Kind::timer:
      what += "timer " + std::to_string(event.tag) + " on " + std::to_string(event.to);
      break;
    case Event::Kind::callback: what += "a framework event (client or nemesis)"; break;
  }
  violation_ = *broken + " (" + what + ")";
}

// ---- FaultApi ----

void Simulator::cut_link(EndpointId from, EndpointId to) { links_.cut(from, to); }
void Simulator::heal_link(EndpointId from, EndpointId to) { links_.heal(from, to); }
void Simulator::heal_all_links() { links_.heal_all(); }
bool Simulator::link_cut(EndpointId from, EndpointId to) const { return links_.is_cut(from, to); }

void Simulator::crash(EndpointId id, CrashMode mode) {
  FAULTLINE_ASSERT(id >= 0 && id < config_.node_count, "crash of a non-node");
  auto& state = endpoint(id);
  if (!state.up) return;
  state.node.reset();  // all volatile state is gone
  node_view_[id] = nullptr;
  state.up = false;
  state.paused = false;
  drop_held(state);
  ++state.incarnation;  // its pending timers die with it
  if (mode == CrashMode::power_loss) state.disk.on_power_loss(disk_rng_, config_.torn_writes);
}

void Simulator::restart(EndpointId id) {
  FAULTLINE_ASSERT(id >= 0 && id < config_.node_count, "restart of a non-node");
  if (!endpoint(id).up) boot(id);
}

// Messages held while paused are lost with a crash or a retirement, as if never received.
void Simulator::drop_held(EndpointState& state) {
  for (const Event& event : state.held)
    if (event.kind == Event::Kind::deliver) note_fate(event, MessageRecord::Fate::dropped_down);
  state.held.clear();
}

bool Simulator::is_up(EndpointId id) const { return endpoint(id).up; }

void Simulator::pause(EndpointId id) {
  auto& state = endpoint(id);
  if (state.up) state.paused = true;
}

void Simulator::resume(EndpointId id) {
  auto& state = endpoint(id);
  if (!state.paused) return;
  state.paused = false;
  // What waited is handled now, in the order it arrived.
  auto held = std::move(state.held);
  state.held.clear();
  for (auto& event : held) {
    event.time_ns = now_ns_;
    push(std::move(event));
  }
}

bool Simulator::is_paused(EndpointId id) const { return endpoint(id).paused; }

void Simulator::set_clock(EndpointId id, int64_t offset_ns, int64_t drift_ppm) {
  endpoint(id).clock.set(now_ns_, offset_ns, drift_ppm);
}

void Simulator::set_clock_strobe(EndpointId id, int64_t delta_ns, int64_t period_ns) {
  endpoint(id).clock.set_strobe(delta_ns, period_ns);
}

void Simulator::set_link_quality(EndpointId from, EndpointId to, const LinkQuality& quality) {
  links_.set_quality(from, to, quality);
}

void Simulator::reset_link_quality(EndpointId from, EndpointId to) { links_.reset_quality(from, to); }

void Simulator::set_client_link_quality(EndpointId node, ClientLinks links, const LinkQuality& quality) {
  links_.set_client_quality(node, links, quality);
}

void Simulator::reset_client_link_quality(EndpointId node, ClientLinks links) {
  links_.reset_client_quality(node, links);
}

void Simulator::reset_link_qualities() { links_.reset_qualities(); }

std::optional<EndpointId> Simulator::leader() const { return system_.leader(node_view_); }

}  // namespace faultline
