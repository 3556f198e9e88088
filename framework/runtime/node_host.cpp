#include "framework/runtime/node_host.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>
#include <memory>
#include <optional>
#include <vector>

#include "base/assert.h"
#include "framework/link_rules.h"
#include "framework/runtime/asio.h"
#include "framework/runtime/control_protocol.h"
#include "framework/runtime/framed_connection.h"
#include "framework/runtime/line_channel.h"
#include "framework/runtime/run_clock.h"
#include "framework/runtime/real_disk.h"
#include "framework/sim_clock.h"

namespace faultline::runtime {

namespace {

// Frames queued for a peer while its connection is being made; more are dropped, as a
// network that cannot reach the peer would.
constexpr size_t kMaxWaitingFrames = 1024;
constexpr int64_t kReconnectBackoff_ns_min = 50'000'000;
constexpr int64_t kReconnectBackoff_ns_max = 200'000'000;

struct Peer {
  int port = 0;  // 0: not up
  uint64_t generation = 0;  // which set_peers made this entry: an older connect's completion is stale
  std::shared_ptr<FramedConnection> connection;
  bool connecting = false;
  int64_t retry_after_ns = 0;  // on the run clock
  std::vector<std::string> waiting;
};

struct Timer {
  std::unique_ptr<asio::steady_timer> timer;
  int64_t deadline_elapsed_ns = 0;  // on the node's timer clock
  uint64_t tag = 0;
};

}  // namespace

class NodeHost {
 public:
  NodeHost(const NodeHostOptions& options, const System& system, std::unique_ptr<RealDisk> disk)
      : options_(options),
        system_(system),
        disk_(std::move(disk)),
        // A fresh process would otherwise draw what the last incarnation drew (its election
        // timeouts): each incarnation has a stream of its own.
        rng_(Rng::stream(options.scenario.seed, "node/" + std::to_string(options.id) + "/incarnation/" +
                                                    std::to_string(options.incarnation))),
        link_rng_(Rng::stream(options.scenario.seed, "links/" + std::to_string(options.id) + "/incarnation/" +
                                                         std::to_string(options.incarnation))),
        env_(*this),
        data_acceptor_(io_),
        control_acceptor_(io_),
        peers_(options.scenario.node_count),
        rules_(options.scenario.node_count),
        view_(options.scenario.node_count, nullptr) {}

  Result<void> listen();
  int run() {
    io_.run();
    return exit_code_;
  }

 private:
  class HostEnv final : public Env {
   public:
    explicit HostEnv(NodeHost& host) : host_(host) {}
    EndpointId self() const override { return host_.options_.id; }
    int node_count() const override { return host_.options_.scenario.node_count; }
    void send(EndpointId to, MessagePtr message) override { host_.send(to, std::move(message)); }
    TimerId set_timer(int64_t delay_ns, uint64_t tag) override { return host_.set_timer(delay_ns, tag); }
    void cancel_timer(TimerId id) override { host_.timers_.erase(id); }
    int64_t now_ns() const override { return host_.clock_.read(host_.run_now_ns()); }
    int64_t monotonic_ns() const override { return host_.clock_.elapsed(host_.run_now_ns()); }
    Disk& disk() override { return *host_.disk_; }
    Rng& rng() override { return host_.rng_; }
    // For protocol-aware faults: the runner may strike this node a little later.
    void report_moment(std::string_view moment) override {
      if (host_.control_) host_.control_->send({{"event", "moment"}, {"moment", moment}});
    }

   private:
    NodeHost& host_;
  };

  int64_t run_now_ns() const { return monotonic_now_ns() - options_.epoch_ns; }
  EndpointId self() const { return options_.id; }
  void accept_data();
  void accept_control();
  void on_inbound(const std::shared_ptr<FramedConnection>& connection, Frame&& frame);
  void refuse(FramedConnection& connection, const std::string& why);
  void receive_from_peer(EndpointId from, MessagePtr message);
  void deliver(EndpointId from, const MessagePtr& message);
  void send(EndpointId to, MessagePtr message);
  void send_to_peer(EndpointId to, std::string bytes);
  void connect_to_peer(EndpointId to);
  TimerId set_timer(int64_t delay_ns, uint64_t tag);
  void arm(TimerId id);
  void fire(TimerId id);
  void on_command(Json&& command);
  void start_core(const Json& command);
  void set_peers(const std::vector<int>& ports);
  void set_clock(const ClockSetting& clock);
  void after_handler();
  void report_status();
  void stop(int exit_code);

  NodeHostOptions options_;
  const System& system_;
  std::unique_ptr<RealDisk> disk_;
  Rng rng_;
  Rng link_rng_;
  SimClock clock_;
  HostEnv env_;
  asio::io_context io_;
  tcp::acceptor data_acceptor_;
  tcp::acceptor control_acceptor_;
  std::shared_ptr<LineChannel> control_;
  std::shared_ptr<FramedConnection> gateway_;  // the runner's client connection
  std::vector<Peer> peers_;
  uint64_t peer_generations_ = 0;
  std::vector<LinkRule> rules_;  // by sender
  std::map<TimerId, Timer> timers_;
  TimerId next_timer_id_ = 1;
  std::unique_ptr<Node> node_;
  std::vector<Node*> view_;  // only this node: what System::leader sees of the cluster here
  bool claims_leader_ = false;
  int exit_code_ = 0;
};

Result<void> NodeHost::listen() {
  boost::system::error_code error;
  const auto loopback = asio::ip::make_address("127.0.0.1");
  auto open = [&](tcp::acceptor& acceptor, int port) {
    acceptor.open(tcp::v4(), error);
    if (!error) acceptor.set_option(tcp::acceptor::reuse_address(true), error);
    if (!error) acceptor.bind(tcp::endpoint(loopback, static_cast<unsigned short>(port)), error);
    if (!error) acceptor.listen(asio::socket_base::max_listen_connections, error);
  };
  open(data_acceptor_, options_.listen_port);
  if (error && options_.listen_port != 0) {  // the last incarnation's port was taken meanwhile
    data_acceptor_.close();
    error.clear();
    open(data_acceptor_, 0);
  }
  if (error) return fail("cannot listen on 127.0.0.1: " + error.message());
  open(control_acceptor_, 0);
  if (error) return fail("cannot listen on 127.0.0.1 for control: " + error.message());
  const Json ready = {{"listen", data_acceptor_.local_endpoint().port()},
                      {"control", control_acceptor_.local_endpoint().port()},
                      {"pid", ::getpid()}};
  const std::string line = ready.dump() + "\n";
  if (::write(options_.ready_fd, line.data(), line.size()) != static_cast<ssize_t>(line.size()))
    return fail("--ready-fd: cannot write the ready line to descriptor " + std::to_string(options_.ready_fd));
  ::close(options_.ready_fd);
  accept_data();
  accept_control();
  return outcome::success();
}

void NodeHost::accept_data() {
  data_acceptor_.async_accept([this](const boost::system::error_code& error, tcp::socket socket) {
    if (error) return;
    auto connection = std::make_shared<FramedConnection>(std::move(socket));
    std::weak_ptr<FramedConnection> weak = connection;
    connection->start([this, weak](Frame&& frame) { on_inbound(weak.lock(), std::move(frame)); },
                      [this, peer = connection->peer()](const std::string& why) {
                        const std::string prefix = "bad frame: ";
                        if (why.rfind(prefix, 0) == 0)
                          std::fprintf(stderr, "faultline node %d: bad frame from %s: %s; disconnected\n", self(),
                                       peer.c_str(), why.substr(prefix.size()).c_str());
                      });
    accept_data();
  });
}

// The runner is the control channel's only peer; when it goes, so does the node.
void NodeHost::accept_control() {
  control_acceptor_.async_accept([this](const boost::system::error_code& error, tcp::socket socket) {
    if (error) return;
    control_acceptor_.close();
    control_ = std::make_shared<LineChannel>(std::move(socket));
    control_->start([this](Json&& command) { on_command(std::move(command)); },
                    [this](const std::string& why) {
                      if (!why.empty() && why != "Connection reset by peer")
                        std::fprintf(stderr, "faultline node %d: control channel: %s\n", self(), why.c_str());
                      stop(why.rfind("a control line", 0) == 0 ? 2 : 0);
                    });
  });
}

// A frame names its sender and this node; anything else means the stream cannot be trusted.
void NodeHost::on_inbound(const std::shared_ptr<FramedConnection>& connection, Frame&& frame) {
  FAULTLINE_ASSERT(connection != nullptr, "a frame arrives on a live connection");
  if (frame.to != self()) return refuse(*connection, "a frame for node " + std::to_string(frame.to));
  if (frame.from == self()) return refuse(*connection, "a frame from this node itself");
  auto message = system_.codec().decode(frame.msg);
  if (!message) {
    // A well-framed message of this run that the codec refuses is the codec's defect, which
    // the simulator's --codec-roundtrip asserts: the node ends, and the runner stops the run.
    std::fprintf(stderr, "faultline node %d: a message from %d its codec refuses: %s\n", self(), frame.from,
                 message.error().message.c_str());
    return stop(3);
  }
  if (frame.from >= options_.scenario.node_count) {
    gateway_ = connection;  // replies to clients go back the way their requests came
    return deliver(frame.from, message.value());
  }
  receive_from_peer(frame.from, std::move(message.value()));
}

void NodeHost::refuse(FramedConnection& connection, const std::string& why) {
  std::fprintf(stderr, "faultline node %d: bad frame from %s: %s; disconnected\n", self(), connection.peer().c_str(),
               why.c_str());
  connection.close();
}

// The nemesis's rule for the link from -> self, applied on arrival (as the simulator does):
// a cut drops it, then loss, duplication and delay are drawn from this node's link stream.
void NodeHost::receive_from_peer(EndpointId from, MessagePtr message) {
  const LinkRule& rule = rules_[from];
  if (rule.cut) return;
  for (const int64_t delay_ns : draw_copy_delays(rule.quality, link_rng_)) {
    if (delay_ns == 0) {
      deliver(from, message);
      continue;
    }
    auto timer = std::make_shared<asio::steady_timer>(io_, std::chrono::nanoseconds(delay_ns));
    timer->async_wait([this, timer, from, message](const boost::system::error_code& error) {
      if (!error && !rules_[from].cut) deliver(from, message);
    });
  }
}

void NodeHost::deliver(EndpointId from, const MessagePtr& message) {
  if (!node_) return;  // not started yet: as if it arrived before the process
  node_->on_message(from, message);
  after_handler();
}

void NodeHost::send(EndpointId to, MessagePtr message) {
  FAULTLINE_ASSERT(message != nullptr, "a send carries a message");
  if (to == self()) {
    asio::post(io_, [this, message = std::move(message)] { deliver(self(), message); });
    return;
  }
  auto bytes = encode_frame(Frame{.from = self(), .to = to, .msg = message->to_json()});
  FAULTLINE_ASSERT(bytes, "every message the core sends fits a frame (its codec makes valid, bounded JSON)");
  if (to < options_.scenario.node_count) return send_to_peer(to, std::move(bytes.value()));
  if (gateway_ && gateway_->is_open()) gateway_->send(std::move(bytes.value()));
}

void NodeHost::send_to_peer(EndpointId to, std::string bytes) {
  Peer& peer = peers_[to];
  if (peer.connection && peer.connection->is_open()) {
    peer.connection->send(std::move(bytes));
    return;
  }
  if (peer.port == 0) return;
  if (!peer.connecting && run_now_ns() < peer.retry_after_ns) return;  // a recent attempt failed
  if (peer.waiting.size() < kMaxWaitingFrames) peer.waiting.push_back(std::move(bytes));
  if (!peer.connecting) connect_to_peer(to);
}

void NodeHost::connect_to_peer(EndpointId to) {
  Peer& peer = peers_[to];
  peer.connecting = true;
  auto socket = std::make_shared<tcp::socket>(io_);
  const tcp::endpoint target(asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(peer.port));
  socket->async_connect(target, [this, socket, to, generation = peer.generation](const boost::system::error_code& error) {
    Peer& peer = peers_[to];
    if (peer.generation != generation) return;  // the peer moved or went down meanwhile
    peer.connecting = false;
    if (error) {
      peer.waiting.clear();
      peer.retry_after_ns =
          run_now_ns() + static_cast<int64_t>(link_rng_.between(kReconnectBackoff_ns_min, kReconnectBackoff_ns_max));
      return;
    }
    peer.connection = std::make_shared<FramedConnection>(std::move(*socket));
    // Peers never answer on this connection (each node dials its own); it only tells when it ends.
    peer.connection->start([](Frame&&) {}, [](const std::string&) {});
    for (std::string& bytes : peer.waiting) peer.connection->send(std::move(bytes));
    peer.waiting.clear();
  });
}

TimerId NodeHost::set_timer(int64_t delay_ns, uint64_t tag) {
  FAULTLINE_ASSERT(delay_ns >= 0, "a timer fires after a non-negative delay");
  const TimerId id = next_timer_id_++;
  timers_[id] = Timer{.timer = std::make_unique<asio::steady_timer>(io_),
                      .deadline_elapsed_ns = clock_.elapsed(run_now_ns()) + std::min(delay_ns, kLongestTimer_ns),
                      .tag = tag};
  arm(id);
  return id;
}

// The deadline is on the node's timer clock, which a drift fault makes run fast or slow.
void NodeHost::arm(TimerId id) {
  Timer& timer = timers_.at(id);
  const int64_t at_ns = clock_.when_elapsed_reaches(timer.deadline_elapsed_ns, run_now_ns());
  timer.timer->expires_at(monotonic_time_point(options_.epoch_ns + at_ns));
  timer.timer->async_wait([this, id](const boost::system::error_code& error) {
    if (!error) fire(id);
  });
}

void NodeHost::fire(TimerId id) {
  auto it = timers_.find(id);
  if (it == timers_.end()) return;  // cancelled
  if (clock_.elapsed(run_now_ns()) < it->second.deadline_elapsed_ns) return arm(id);  // the drift changed
  const uint64_t tag = it->second.tag;
  timers_.erase(it);
  node_->on_timer(id, tag);
  after_handler();
}

void NodeHost::on_command(Json&& command) {
  std::string name;
  try {
    name = command.at("cmd").get<std::string>();
    if (name == "start") return start_core(command);
    if (name == "peers") return set_peers(command.at("peers").get<std::vector<int>>());
    if (name == "links") {
      rules_ = command.at("links").get<std::vector<LinkRule>>();
      FAULTLINE_ASSERT(rules_.size() == peers_.size(), "a link rule for every node");
      return;
    }
    if (name == "clock") return set_clock(command.at("clock").get<ClockSetting>());
    if (name == "status") return report_status();
    if (name == "operator") {
      auto message = system_.codec().decode(command.at("message"));
      FAULTLINE_ASSERT(message && node_, "an operator command the runner sends decodes, to a started node");
      node_->on_message(kOperatorEndpoint, message.value());
      return after_handler();
    }
  } catch (const Json::exception& error) {
    std::fprintf(stderr, "faultline node %d: malformed control command %s: %s\n", self(), name.c_str(), error.what());
    return stop(2);
  }
  std::fprintf(stderr, "faultline node %d: unknown control command \"%s\"\n", self(), name.c_str());
  stop(2);
}

void NodeHost::start_core(const Json& command) {
  FAULTLINE_ASSERT(!node_, "a node process starts its core once");
  // The run's clock starts when the runner starts the cores, after every node listens, so
  // a slow start (many nodes, a sanitizer build) takes nothing from the run's main phase.
  options_.epoch_ns = command.at("epoch_ns").get<int64_t>();
  set_peers(command.at("peers").get<std::vector<int>>());
  rules_ = command.at("links").get<std::vector<LinkRule>>();
  FAULTLINE_ASSERT(rules_.size() == peers_.size(), "a link rule for every node");
  set_clock(command.at("clock").get<ClockSetting>());
  node_ = system_.make_node(env_);
  view_[self()] = node_.get();
  node_->start();
  after_handler();
}

void NodeHost::set_peers(const std::vector<int>& ports) {
  FAULTLINE_ASSERT(ports.size() == peers_.size(), "a port for every node");
  for (size_t j = 0; j < ports.size(); ++j) {
    if (peers_[j].port == ports[j]) continue;
    if (peers_[j].connection) peers_[j].connection->close();
    peers_[j] = Peer{.port = ports[j], .generation = ++peer_generations_};
  }
}

// The clock is set afresh from now: offset and drift apply from this moment, as in the sim.
void NodeHost::set_clock(const ClockSetting& clock) {
  FAULTLINE_ASSERT(std::llabs(clock.offset_ns) <= kClockOffsetLimit_ns && clock.drift_ppm >= kClockDriftMin_ppm &&
                       clock.drift_ppm <= kClockDriftMax_ppm,
                   "a clock setting the nemesis may make");
  clock_.set(run_now_ns(), clock.offset_ns, clock.drift_ppm);
  clock_.set_strobe(clock.strobe_delta_ns, clock.strobe_period_ns);
}

// Tells the runner when this core starts or stops leading, for leader-targeted faults.
void NodeHost::after_handler() {
  const bool claims = system_.leader(view_) == self();
  if (claims == claims_leader_ || !control_) return;
  claims_leader_ = claims;
  control_->send({{"event", "leader"}, {"leader", claims}});
}

// For a person or a tool watching a node: who it is, whether its core runs and leads, and
// its clocks as the core reads them.
void NodeHost::report_status() {
  const int64_t now_ns = run_now_ns();
  control_->send({{"event", "status"},
                  {"id", self()},
                  {"incarnation", options_.incarnation},
                  {"pid", ::getpid()},
                  {"started", node_ != nullptr},
                  {"leader", claims_leader_},
                  {"now_ns", clock_.read(now_ns)},
                  {"monotonic_ns", clock_.elapsed(now_ns)}});
}

void NodeHost::stop(int exit_code) {
  exit_code_ = exit_code;
  io_.stop();
}

int run_node_host(const NodeHostOptions& options, const Registry& registry) {
  auto fail_with = [&](const std::string& why) {
    std::fprintf(stderr, "faultline node %d: %s\n", options.id, why.c_str());
    return 2;
  };
  if (options.id < 0 || options.id >= options.scenario.node_count)
    return fail_with("--id must name one of the scenario's " + std::to_string(options.scenario.node_count) + " nodes");
  auto system = registry.make_system(options.scenario);
  if (!system) return fail_with(system.error().message);
  auto disk = RealDisk::open(options.data_dir, options.power_loss);
  if (!disk) return fail_with(disk.error().message);
  NodeHost host(options, *system.value(), std::move(disk.value()));
  if (auto listening = host.listen(); !listening) return fail_with(listening.error().message);
  return host.run();
}

}  // namespace faultline::runtime
