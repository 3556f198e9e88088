#include "framework/runtime/real_cluster.h"

#include <algorithm>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <map>
#include <optional>
#include <thread>
#include <vector>

#include "base/assert.h"
#include "base/files.h"
#include "framework/link_rules.h"
#include "framework/sim_clock.h"
#include "framework/runtime/asio.h"
#include "framework/runtime/child_process.h"
#include "framework/runtime/control_protocol.h"
#include "framework/runtime/framed_connection.h"
#include "framework/runtime/line_channel.h"
#include "framework/runtime/run_clock.h"
#include "histories/json_input.h"

namespace faultline::runtime {

namespace {

namespace fs = std::filesystem;

// Long enough for a loaded machine (ASan, two test jobs) to exec a node and build its
// system; a node that takes longer is reported with its stderr.
constexpr int kReadyTimeout_ms = 20'000;
// How long step() waits for something to happen before it looks at the processes again.
constexpr auto kStepWait = std::chrono::milliseconds(20);

// Loopback is the real network: the default link adds no delay of its own, only the loss
// and duplication a user asked for (--loss, --duplicate). Faults' qualities come on top.
LinkQuality real_default_link(const LinkQuality& simulated) {
  return LinkQuality{.latency_ns_base = 0,
                     .latency_ns_jitter = 0,
                     .loss_probability = simulated.loss_probability,
                     .duplicate_probability = simulated.duplicate_probability};
}

}  // namespace

class RealCluster final : public World {
 public:
  RealCluster(const Scenario& scenario, const System& system, RealClusterOptions options)
      : scenario_(scenario),
        system_(system),
        options_(std::move(options)),
        epoch_ns_(monotonic_now_ns()),
        work_(io_.get_executor()),
        links_(scenario.node_count, real_default_link(scenario.link)),
        network_rng_(Rng::stream(scenario.seed, "network")),
        nodes_(scenario.node_count) {}
  ~RealCluster() override { shut_down(); }

  Result<void> launch();

  // World
  void start_nodes() override;
  bool step() override;
  void schedule(int64_t at_ns, std::function<void()> callback) override;
  EndpointId add_client(std::function<void(const Completion&)> on_complete) override;
  void invoke(EndpointId client, const ClientOp& op) override;
  void retire_client(EndpointId client) override;
  // A node's moments arrive over its control channel, a round trip after the event (the
  // simulator hears them inside the handler): a strike lands a little later than there.
  void on_moment(std::function<void(EndpointId, std::string_view)> listener) override {
    moment_listener_ = std::move(listener);
  }
  std::optional<bool> replicas_agree() const override { return std::nullopt; }
  const std::optional<std::string>& invariant_violation() const override { return no_violation_; }
  const std::optional<std::string>& watchdog_stop() const override { return stopped_; }
  SimStats stats() const override { return stats_; }
  Json protocol_metrics() const override { return Json::object(); }
  Json header_extras() const override;

  // FaultApi
  int node_count() const override { return scenario_.node_count; }
  int64_t now_ns() const override { return monotonic_now_ns() - epoch_ns_; }
  void cut_link(EndpointId from, EndpointId to) override;
  void heal_link(EndpointId from, EndpointId to) override;
  void heal_all_links() override;
  bool link_cut(EndpointId from, EndpointId to) const override { return links_.is_cut(from, to); }
  void crash(EndpointId node, CrashMode mode) override;
  void restart(EndpointId node) override;
  bool is_up(EndpointId node) const override { return process(node).up; }
  void pause(EndpointId node) override;
  void resume(EndpointId node) override;
  bool is_paused(EndpointId node) const override { return process(node).paused; }
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

 private:
  struct NodeProcess {
    std::optional<ChildProcess> child;
    uint64_t incarnation = 0;
    int listen_port = 0;
    int control_port = 0;
    bool up = false;
    bool paused = false;
    bool power_loss_pending = false;  // the next start drops what was not fsynced
    std::shared_ptr<LineChannel> control;
    std::shared_ptr<FramedConnection> gateway;  // the clients' connection to it
    std::optional<int64_t> leading_since_ns;    // while it claims to lead
    ClockSetting clock;
  };
  class RealClientEnv;
  struct ClientState;

  NodeProcess& process(EndpointId node);
  const NodeProcess& process(EndpointId node) const;
  fs::path node_dir(EndpointId node) const { return fs::path(options_.work_dir) / "nodes" / ("n" + std::to_string(node)); }
  Result<void> spawn(EndpointId node);
  Result<void> connect(EndpointId node);
  void start_core(EndpointId node);
  std::vector<int> ports() const;
  std::vector<LinkRule> rules_into(EndpointId node) const;
  void push_links();
  void push_peers(EndpointId changed);
  void push_clock(EndpointId node);
  void on_control(EndpointId node, const Json& event);
  void on_reply(EndpointId node, Frame&& frame);
  void client_send(EndpointId client, EndpointId to, const MessagePtr& message);
  void after_link_delay(const LinkQuality& quality, std::function<void()> deliver);
  TimerId set_client_timer(EndpointId client, int64_t delay_ns, uint64_t tag);
  void mark_down(EndpointId node);
  void connection_lost(EndpointId node, const std::string& which, const std::string& why);
  void check_processes();
  void stop_for_exit(EndpointId node, const ChildExit& exit);
  std::string stderr_ending(EndpointId node) const;
  void shut_down();

  const Scenario& scenario_;
  const System& system_;
  RealClusterOptions options_;
  int64_t epoch_ns_;
  asio::io_context io_;
  asio::executor_work_guard<asio::io_context::executor_type> work_;
  LinkRules links_;
  Rng network_rng_;
  std::vector<NodeProcess> nodes_;
  // Before the clients: a client core destroyed with the cluster may still cancel its timers.
  std::map<TimerId, std::unique_ptr<asio::steady_timer>> client_timers_;
  std::map<EndpointId, std::unique_ptr<ClientState>> clients_;
  std::vector<std::unique_ptr<ClientState>> retired_clients_;  // destroyed after the handler
  TimerId next_timer_id_ = 1;
  EndpointId next_client_id_ = 0;
  SimStats stats_;
  std::optional<std::string> stopped_;
  const std::optional<std::string> no_violation_;
  std::function<void(EndpointId, std::string_view)> moment_listener_;
  bool links_push_pending_ = false;
};

// A client core's Env in the runner: its messages go through the gateway to the nodes.
class RealCluster::RealClientEnv final : public ClientEnv {
 public:
  RealClientEnv(RealCluster& cluster, EndpointId self)
      : cluster_(cluster), self_(self), rng_(Rng::stream(cluster.scenario_.seed, "client/" + std::to_string(self))) {}
  EndpointId self() const override { return self_; }
  int node_count() const override { return cluster_.scenario_.node_count; }
  void send(EndpointId to, MessagePtr message) override { cluster_.client_send(self_, to, message); }
  TimerId set_timer(int64_t delay_ns, uint64_t tag) override { return cluster_.set_client_timer(self_, delay_ns, tag); }
  void cancel_timer(TimerId id) override { cluster_.client_timers_.erase(id); }
  int64_t now_ns() const override { return cluster_.now_ns(); }
  int64_t monotonic_ns() const override { return cluster_.now_ns(); }
  Disk& disk() override { FAULTLINE_ASSERT(false, "clients have no disk"); std::abort(); }
  Rng& rng() override { return rng_; }
  void complete(Completion completion) override;

 private:
  RealCluster& cluster_;
  EndpointId self_;
  Rng rng_;
};

struct RealCluster::ClientState {
  ClientState(RealCluster& cluster, EndpointId id) : env(cluster, id) {}
  RealClientEnv env;
  std::unique_ptr<Client> client;
  std::function<void(const Completion&)> on_complete;
};

void RealCluster::RealClientEnv::complete(Completion completion) {
  auto it = cluster_.clients_.find(self_);
  if (it != cluster_.clients_.end() && it->second->on_complete) it->second->on_complete(completion);
}

RealCluster::NodeProcess& RealCluster::process(EndpointId node) {
  FAULTLINE_ASSERT(node >= 0 && node < scenario_.node_count, "a node of the cluster");
  return nodes_[node];
}

const RealCluster::NodeProcess& RealCluster::process(EndpointId node) const {
  FAULTLINE_ASSERT(node >= 0 && node < scenario_.node_count, "a node of the cluster");
  return nodes_[node];
}

Result<void> RealCluster::launch() {
  std::signal(SIGPIPE, SIG_IGN);  // a node that dies mid-write is a closed socket, not the runner's death
  std::error_code error;
  // A node starts from whatever its data directory holds: an earlier run's in the same --out
  // (or an interrupted campaign seed's) would give this run's nodes that run's log.
  fs::remove_all(fs::path(options_.work_dir) / "nodes", error);
  if (error) return fail(options_.work_dir + "/nodes: cannot remove the last run's node data: " + error.message());
  fs::create_directories(options_.work_dir, error);
  if (error) return fail(options_.work_dir + ": cannot create directory: " + error.message());
  const std::string scenario_path = (fs::path(options_.work_dir) / "scenario.jsonl").string();
  BOOST_OUTCOME_TRYV(write_file_atomically(scenario_path, scenario_to_header(scenario_).dump() + "\n"));
  for (EndpointId node = 0; node < scenario_.node_count; ++node) {
    BOOST_OUTCOME_TRYV(spawn(node));
  }
  return outcome::success();
}

Result<void> RealCluster::spawn(EndpointId node) {
  NodeProcess& p = process(node);
  FAULTLINE_ASSERT(!p.up, "a node process starts while none runs");
  std::error_code error;
  fs::create_directories(node_dir(node) / "data", error);
  if (error) return fail(node_dir(node).string() + ": cannot create directory: " + error.message());
  std::vector<std::string> args = {"node",         "--scenario",    (fs::path(options_.work_dir) / "scenario.jsonl").string(),
                                   "--id",         std::to_string(node),
                                   "--data",       (node_dir(node) / "data").string(),
                                   "--incarnation", std::to_string(p.incarnation),
                                   "--epoch-ns",   std::to_string(epoch_ns_),
                                   "--listen-port", std::to_string(p.listen_port),
                                   "--ready-fd",   std::to_string(kReadyFd)};
  if (p.power_loss_pending) args.push_back("--power-loss");
  const std::string who = "node " + std::to_string(node) + " (incarnation " + std::to_string(p.incarnation) + ")";
  BOOST_OUTCOME_TRY(child, ChildProcess::spawn({.executable = options_.executable,
                                                .args = std::move(args),
                                                .stderr_path = node_dir(node) / "stderr.log"}));
  p.child.emplace(std::move(child));
  auto ready = p.child->read_ready_line(kReadyTimeout_ms);
  if (!ready) return fail(who + " did not start: " + ready.error().message);
  auto ports = parse_json_input(ready.value());
  if (!ports || !ports.value().is_object()) return fail(who + " wrote a ready line that is not JSON: " + ready.value());
  p.listen_port = ports.value().value("listen", 0);
  p.control_port = ports.value().value("control", 0);
  p.power_loss_pending = false;
  BOOST_OUTCOME_TRYV(connect(node));
  p.up = true;
  return outcome::success();
}

// Both connections are to loopback and the node listens already, so they are made at once.
Result<void> RealCluster::connect(EndpointId node) {
  NodeProcess& p = process(node);
  const auto loopback = asio::ip::make_address("127.0.0.1");
  boost::system::error_code error;
  tcp::socket control(io_);
  control.connect(tcp::endpoint(loopback, static_cast<unsigned short>(p.control_port)), error);
  tcp::socket gateway(io_);
  if (!error) gateway.connect(tcp::endpoint(loopback, static_cast<unsigned short>(p.listen_port)), error);
  if (error) return fail("node " + std::to_string(node) + ": cannot connect: " + error.message());
  p.control = std::make_shared<LineChannel>(std::move(control));
  p.control->start([this, node](Json&& event) { on_control(node, event); },
                   [this, node](const std::string& why) { connection_lost(node, "control channel", why); });
  p.gateway = std::make_shared<FramedConnection>(std::move(gateway));
  p.gateway->start([this, node](Frame&& frame) { on_reply(node, std::move(frame)); },
                   [this, node](const std::string& why) { connection_lost(node, "clients' connection", why); });
  return outcome::success();
}

std::vector<int> RealCluster::ports() const {
  std::vector<int> ports;
  for (const NodeProcess& p : nodes_) ports.push_back(p.up ? p.listen_port : 0);
  return ports;
}

void RealCluster::start_core(EndpointId node) {
  NodeProcess& p = process(node);
  p.control->send(start_command(epoch_ns_, ports(), rules_into(node), p.clock));
}

// Time 0 of the run is now, once every node listens: starting them takes none of the main phase.
void RealCluster::start_nodes() {
  epoch_ns_ = monotonic_now_ns();
  for (EndpointId node = 0; node < scenario_.node_count; ++node) start_core(node);
}

Json RealCluster::header_extras() const {
  Json nodes = Json::array();
  for (const NodeProcess& p : nodes_)
    nodes.push_back({{"listen", p.listen_port}, {"control", p.control_port}, {"pid", p.child ? p.child->pid() : 0}});
  return {{"real",
           {{"nodes", nodes},
            {"work_dir", options_.work_dir},
            {"link", "loopback: the latency and jitter params are not added; loss and duplication are"}}}};
}

bool RealCluster::step() {
  if (stopped_) return false;
  io_.run_one_for(kStepWait);
  retired_clients_.clear();
  check_processes();
  return !stopped_;
}

// A node that ended without being crashed by the nemesis stops the run, as an abort does in
// the simulator: its stderr says why (an assertion, a failed disk write).
void RealCluster::check_processes() {
  for (EndpointId node = 0; node < scenario_.node_count; ++node) {
    NodeProcess& p = nodes_[node];
    if (!p.up) continue;
    if (auto exit = p.child->poll_exit()) return stop_for_exit(node, *exit);
  }
}

// What the node last wrote, for a stopped run's one line; a full disk may have kept even that.
std::string RealCluster::stderr_ending(EndpointId node) const {
  const NodeProcess& p = process(node);
  std::string tail = p.child->stderr_tail(3);
  while (!tail.empty() && tail.back() == '\n') tail.pop_back();
  std::replace(tail.begin(), tail.end(), '\n', ' ');
  if (tail.empty()) return "; its stderr (" + p.child->stderr_path().string() + ") is empty";
  return "; its stderr ends with: " + tail;
}

void RealCluster::stop_for_exit(EndpointId node, const ChildExit& exit) {
  NodeProcess& p = process(node);
  stopped_ = "node " + std::to_string(node) + " (incarnation " + std::to_string(p.incarnation) + ") " +
             describe_exit(exit) + stderr_ending(node);
  mark_down(node);
}

// Only the runner closes a live node's connections (mark_down closes them without this
// callback): a node that closed one refused what it was sent, or is ending.
void RealCluster::connection_lost(EndpointId node, const std::string& which, const std::string& why) {
  NodeProcess& p = process(node);
  if (!p.up || stopped_) return;
  for (int tries = 0; tries < 50; ++tries) {  // the exit status follows the closed socket closely
    if (auto exit = p.child->poll_exit()) return stop_for_exit(node, *exit);
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  stopped_ = "node " + std::to_string(node) + " closed its " + which + (why.empty() ? "" : " (" + why + ")") +
             stderr_ending(node);
}

void RealCluster::schedule(int64_t at_ns, std::function<void()> callback) {
  auto timer = std::make_shared<asio::steady_timer>(
      io_, monotonic_time_point(epoch_ns_ + at_ns));
  timer->async_wait([timer, callback = std::move(callback)](const boost::system::error_code& error) {
    if (!error) callback();
  });
}

EndpointId RealCluster::add_client(std::function<void(const Completion&)> on_complete) {
  const EndpointId id = scenario_.node_count + next_client_id_++;
  auto state = std::make_unique<ClientState>(*this, id);
  state->on_complete = std::move(on_complete);
  state->client = system_.make_client(state->env);
  clients_[id] = std::move(state);
  return id;
}

void RealCluster::invoke(EndpointId client, const ClientOp& op) {
  auto it = clients_.find(client);
  FAULTLINE_ASSERT(it != clients_.end(), "invoke on a live client");
  it->second->client->invoke(op);
}

void RealCluster::retire_client(EndpointId client) {
  auto it = clients_.find(client);
  FAULTLINE_ASSERT(it != clients_.end(), "retire_client of a live client");
  retired_clients_.push_back(std::move(it->second));  // its handler may be running now
  clients_.erase(it);
}

TimerId RealCluster::set_client_timer(EndpointId client, int64_t delay_ns, uint64_t tag) {
  const TimerId id = next_timer_id_++;
  FAULTLINE_ASSERT(delay_ns >= 0, "a timer cannot fire in the past");
  auto timer = std::make_unique<asio::steady_timer>(io_, std::chrono::nanoseconds(std::min(delay_ns, kLongestTimer_ns)));
  timer->async_wait([this, id, client, tag](const boost::system::error_code& error) {
    if (error || client_timers_.erase(id) == 0) return;
    ++stats_.timers_fired;
    auto it = clients_.find(client);
    if (it != clients_.end()) it->second->client->on_timer(id, tag);
  });
  client_timers_[id] = std::move(timer);
  return id;
}

// The link's quality, drawn as the simulator draws it.
void RealCluster::after_link_delay(const LinkQuality& quality, std::function<void()> deliver) {
  const std::vector<int64_t> delays_ns = draw_copy_delays(quality, network_rng_);
  if (delays_ns.empty()) ++stats_.dropped_loss;
  if (delays_ns.size() > 1) ++stats_.duplicated;
  for (const int64_t delay_ns : delays_ns) {
    if (delay_ns == 0) deliver();
    else schedule(now_ns() + delay_ns, deliver);
  }
}

void RealCluster::client_send(EndpointId client, EndpointId to, const MessagePtr& message) {
  FAULTLINE_ASSERT(to >= 0 && to < scenario_.node_count && message != nullptr, "a client sends a message to a node");
  auto bytes = encode_frame(Frame{.from = client, .to = to, .msg = message->to_json()});
  FAULTLINE_ASSERT(bytes, "every message a client sends fits a frame");
  after_link_delay(links_.quality(client, to), [this, client, to, bytes = std::move(bytes.value())] {
    NodeProcess& p = process(to);
    if (!p.up || !p.gateway || !p.gateway->is_open()) return void(++stats_.dropped_down);
    if (links_.is_cut(client, to)) return void(++stats_.dropped_cut);
    if (p.gateway->send(bytes)) ++stats_.deliveries;
  });
}

void RealCluster::on_reply(EndpointId node, Frame&& frame) {
  if (frame.from != node || frame.to < scenario_.node_count) {
    stopped_ = "node " + std::to_string(node) + " sent the clients a frame from " + std::to_string(frame.from) +
               " to " + std::to_string(frame.to);
    return;
  }
  auto message = system_.codec().decode(frame.msg);
  if (!message) {
    stopped_ = "node " + std::to_string(node) + " sent a reply its codec cannot decode: " + message.error().message;
    return;
  }
  const EndpointId client = frame.to;
  after_link_delay(links_.quality(node, client), [this, node, client, message = std::move(message.value())] {
    auto it = clients_.find(client);
    if (it == clients_.end()) return void(++stats_.dropped_down);  // retired: its replies are lost
    if (links_.is_cut(node, client)) return void(++stats_.dropped_cut);
    ++stats_.deliveries;
    it->second->client->on_message(node, message);
  });
}

void RealCluster::on_control(EndpointId node, const Json& event) {
  try {
    const std::string kind = event.at("event").get<std::string>();
    if (kind == "moment" && moment_listener_) return moment_listener_(node, event.at("moment").get<std::string>());
    if (kind != "leader") return;
    NodeProcess& p = process(node);
    if (event.at("leader").get<bool>())
      p.leading_since_ns = now_ns();
    else
      p.leading_since_ns.reset();
  } catch (const Json::exception& error) {
    stopped_ = "node " + std::to_string(node) + " sent a malformed control event " + event.dump() + ": " + error.what();
  }
}

// The node that most recently began to lead: a newer election won a higher term, so in a
// Raft-like system the latest claim is the one the simulator's leader() would pick. A claim
// made in the last round trip may not have arrived yet (docs/runtime.md).
std::optional<EndpointId> RealCluster::leader() const {
  std::optional<EndpointId> latest;
  for (EndpointId node = 0; node < scenario_.node_count; ++node) {
    const NodeProcess& p = nodes_[node];
    if (!p.up || !p.leading_since_ns) continue;
    if (!latest || *p.leading_since_ns > *nodes_[*latest].leading_since_ns) latest = node;
  }
  return latest;
}

std::vector<LinkRule> RealCluster::rules_into(EndpointId node) const {
  std::vector<LinkRule> rules;
  for (EndpointId from = 0; from < scenario_.node_count; ++from)
    rules.push_back(LinkRule{.cut = links_.is_cut(from, node), .quality = links_.quality(from, node)});
  return rules;
}

// Every node gets the rules for its incoming links once the fault's calls are done (a
// partition cuts many links, and must reach each node whole, as the simulator applies it).
void RealCluster::push_links() {
  if (links_push_pending_) return;
  links_push_pending_ = true;
  asio::post(io_, [this] {
    links_push_pending_ = false;
    for (EndpointId node = 0; node < scenario_.node_count; ++node) {
      NodeProcess& p = nodes_[node];
      if (p.up) p.control->send({{"cmd", "links"}, {"links", rules_into(node)}});
    }
  });
}

void RealCluster::cut_link(EndpointId from, EndpointId to) {
  links_.cut(from, to);
  push_links();
}

void RealCluster::heal_link(EndpointId from, EndpointId to) {
  links_.heal(from, to);
  push_links();
}

void RealCluster::heal_all_links() {
  links_.heal_all();
  push_links();
}

void RealCluster::set_link_quality(EndpointId from, EndpointId to, const LinkQuality& quality) {
  links_.set_quality(from, to, quality);
  push_links();
}

void RealCluster::reset_link_quality(EndpointId from, EndpointId to) {
  links_.reset_quality(from, to);
  push_links();
}

void RealCluster::set_client_link_quality(EndpointId node, ClientLinks links, const LinkQuality& quality) {
  links_.set_client_quality(node, links, quality);  // the runner hosts the clients: nothing to push
}

void RealCluster::reset_client_link_quality(EndpointId node, ClientLinks links) { links_.reset_client_quality(node, links); }

void RealCluster::reset_link_qualities() {
  links_.reset_qualities();
  push_links();
}

void RealCluster::mark_down(EndpointId node) {
  NodeProcess& p = process(node);
  p.up = false;
  p.paused = false;
  p.leading_since_ns.reset();
  if (p.control) p.control->close();
  if (p.gateway) p.gateway->close();
}

// kill -9: the page cache (current/) survives; a power loss also drops what was not fsynced,
// which the next start does (RealDisk, --power-loss).
void RealCluster::crash(EndpointId node, CrashMode mode) {
  NodeProcess& p = process(node);
  if (!p.up) return;
  const ChildExit exit = p.child->kill_and_reap();
  if (exit.signal != SIGKILL) return stop_for_exit(node, exit);  // it had ended on its own
  mark_down(node);
  if (mode == CrashMode::power_loss) p.power_loss_pending = true;
  push_peers(node);  // the others stop dialing its port, which another process may take
}

void RealCluster::restart(EndpointId node) {
  NodeProcess& p = process(node);
  if (p.up || stopped_) return;
  ++p.incarnation;
  if (auto started = spawn(node); !started) {
    stopped_ = started.error().message;
    return;
  }
  start_core(node);
  push_peers(node);  // the others learn it is up again, and its port if its last one was taken
}

void RealCluster::push_peers(EndpointId changed) {
  for (EndpointId other = 0; other < scenario_.node_count; ++other)
    if (other != changed && nodes_[other].up) nodes_[other].control->send({{"cmd", "peers"}, {"peers", ports()}});
}

void RealCluster::pause(EndpointId node) {
  NodeProcess& p = process(node);
  if (!p.up || p.paused) return;
  p.child->signal(SIGSTOP);
  p.paused = true;
}

void RealCluster::resume(EndpointId node) {
  NodeProcess& p = process(node);
  if (!p.paused) return;
  p.child->signal(SIGCONT);
  p.paused = false;
}

void RealCluster::push_clock(EndpointId node) {
  NodeProcess& p = process(node);
  if (p.up) p.control->send({{"cmd", "clock"}, {"clock", p.clock}});
}

void RealCluster::set_clock(EndpointId node, int64_t offset_ns, int64_t drift_ppm) {
  NodeProcess& p = process(node);
  p.clock.offset_ns = offset_ns;
  p.clock.drift_ppm = drift_ppm;
  push_clock(node);
}

void RealCluster::set_clock_strobe(EndpointId node, int64_t delta_ns, int64_t period_ns) {
  NodeProcess& p = process(node);
  p.clock.strobe_delta_ns = delta_ns;
  p.clock.strobe_period_ns = period_ns;
  push_clock(node);
}

// Lost if the node is down; a paused node finds it in its socket when it resumes.
void RealCluster::send_operator_message(EndpointId node, MessagePtr message) {
  FAULTLINE_ASSERT(message != nullptr, "an operator command is a message");
  NodeProcess& p = process(node);
  if (p.up) p.control->send({{"cmd", "operator"}, {"message", message->to_json()}});
}

void RealCluster::shut_down() {
  for (NodeProcess& p : nodes_) {
    if (p.child) p.child->kill_and_reap();
    if (p.control) p.control->close();
    if (p.gateway) p.gateway->close();
    p.up = false;
  }
}

Result<std::unique_ptr<World>> start_real_cluster(const Scenario& scenario, const System& system,
                                                  const RealClusterOptions& options) {
  auto cluster = std::make_unique<RealCluster>(scenario, system, options);
  BOOST_OUTCOME_TRYV(cluster->launch());
  return std::unique_ptr<World>(std::move(cluster));
}

RealRuntimeFactory real_runtime_factory(std::string executable) {
  return [executable = std::move(executable)](const Scenario& scenario, const System& system, const std::string& work_dir) {
    return start_real_cluster(scenario, system, RealClusterOptions{.executable = executable, .work_dir = work_dir});
  };
}

}  // namespace faultline::runtime
