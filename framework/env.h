#pragma once
// The node contract (DESIGN.md, "protocol cores are sans-I/O"). A protocol core reacts to
// events (start, message, timer) and acts only through its Env: send, timers, its own
// clock, its disk and its random stream. The simulator and the real runtime both implement
// Env, so one core runs in both.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "framework/disk.h"
#include "framework/message.h"
#include "framework/random.h"
#include "histories/op.h"

namespace faultline {

using TimerId = uint64_t;

class Env {
 public:
  virtual ~Env() = default;
  virtual EndpointId self() const = 0;
  virtual int node_count() const = 0;  // nodes are endpoints 0..node_count-1
  virtual void send(EndpointId to, MessagePtr message) = 0;
  // Fires on_timer(id, tag) after delay_ns on this node's clock (drift applies).
  virtual TimerId set_timer(int64_t delay_ns, uint64_t tag) = 0;
  virtual void cancel_timer(TimerId id) = 0;
  virtual int64_t now_ns() const = 0;  // this node's time of day: may be offset, drift, strobe
  // This node's timer clock (CLOCK_MONOTONIC): what timers measure, from an arbitrary origin.
  // Drift changes its rate; clock bumps and strobes never move it. Measure elapsed time
  // (election deadlines, leader contact) with this, never with now_ns().
  virtual int64_t monotonic_ns() const = 0;
  virtual Disk& disk() = 0;
  virtual Rng& rng() = 0;
  // A named moment of the protocol (Raft: "leader-elected"), for protocol-aware faults
  // (issue 10, item 2): the simulator may strike this node a little later. The core only
  // reports; it never learns whether anything will happen. The real runtime ignores it.
  virtual void report_moment(std::string_view /*moment*/) {}
};

// A protocol core. Destroyed on a crash; a fresh one is built and start()ed on restart,
// seeing only what its disk kept.
class Node {
 public:
  virtual ~Node() = default;
  virtual void start() = 0;
  virtual void on_message(EndpointId from, const MessagePtr& message) = 0;
  virtual void on_timer(TimerId id, uint64_t tag) = 0;
};

// One operation a logical client process asks its system client to perform.
struct ClientOp {
  std::string f;
  std::optional<std::string> key;
  Json value;                       // null for reads; [expected, new] for cas
  std::optional<EndpointId> node;   // address this node only (final reads per node)
  bool final = false;               // a final read after heal and quiesce
};

struct Completion {
  OpType type = OpType::ok;  // ok, fail or info
  Json value;
  std::optional<std::string> error;
  std::optional<EndpointId> node;  // the node that answered, when known
  std::optional<std::string> role;  // that node's role as the system names it, when known
};

// A client's Env: no disk (clients are stateless), plus the way to finish an operation.
class ClientEnv : public Env {
 public:
  virtual void complete(Completion completion) = 0;
};

// A system's client for one logical process: one operation at a time.
class Client {
 public:
  virtual ~Client() = default;
  virtual void invoke(const ClientOp& op) = 0;
  virtual void on_message(EndpointId from, const MessagePtr& message) = 0;
  virtual void on_timer(TimerId id, uint64_t tag) = 0;
};

}  // namespace faultline
