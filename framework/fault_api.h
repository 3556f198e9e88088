#pragma once
// What a nemesis may do to a running cluster (the simulator implements it; the real
// runtime will too). Links are directed: cut(a, b) drops what a sends to b.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "framework/message.h"

namespace faultline {

struct LinkQuality {
  int64_t latency_ns_base = 1'000'000;    // one-way delay floor
  int64_t latency_ns_jitter = 1'000'000;  // uniform extra delay in [0, jitter]; reorders
  double loss_probability = 0.0;
  double duplicate_probability = 0.0;
  bool operator==(const LinkQuality&) const = default;
};

// The links between clients and one node: every client's requests to it, or its replies to
// every client (clients come and go during a run; the rule covers each of them).
enum class ClientLinks { requests, replies };

enum class CrashMode {
  kill,        // the process dies; the OS page cache survives, so unsynced writes do too
  power_loss,  // the machine loses power: whatever was not fsynced is lost
};

class FaultApi {
 public:
  virtual ~FaultApi() = default;
  virtual int node_count() const = 0;
  virtual int64_t now_ns() const = 0;
  virtual void cut_link(EndpointId from, EndpointId to) = 0;
  virtual void heal_link(EndpointId from, EndpointId to) = 0;
  virtual void heal_all_links() = 0;
  virtual bool link_cut(EndpointId from, EndpointId to) const = 0;
  virtual void crash(EndpointId node, CrashMode mode) = 0;
  virtual void restart(EndpointId node) = 0;
  virtual bool is_up(EndpointId node) const = 0;
  virtual void pause(EndpointId node) = 0;
  virtual void resume(EndpointId node) = 0;
  virtual bool is_paused(EndpointId node) const = 0;
  virtual void set_clock(EndpointId node, int64_t offset_ns, int64_t drift_ppm) = 0;
  // A strobing clock reads delta_ns ahead during every other period_ns (0 turns it off).
  // Only reads of the clock jump; timers measure elapsed time and are not affected.
  virtual void set_clock_strobe(EndpointId node, int64_t delta_ns, int64_t period_ns) = 0;
  // Quality of the directed link from -> to (node or client endpoints).
  virtual void set_link_quality(EndpointId from, EndpointId to, const LinkQuality& quality) = 0;
  virtual void reset_link_quality(EndpointId from, EndpointId to) = 0;  // back to the default
  virtual void set_client_link_quality(EndpointId node, ClientLinks links, const LinkQuality& quality) = 0;
  virtual void reset_client_link_quality(EndpointId node, ClientLinks links) = 0;
  virtual void reset_link_qualities() = 0;  // every link, node and client, back to the default
  // The system's idea of its current leader or primary, for leader-targeted faults.
  virtual std::optional<EndpointId> leader() const = 0;
  // The nodes that play a named part in the system (System::nodes_in_role), e.g. "routing".
  virtual std::vector<EndpointId> nodes_in_role(const std::string& role) const = 0;
  // An operator's command to a node (membership, failover, shard moves): delivered now, from
  // kOperatorEndpoint, whatever the links; lost if the node is down, held while it is paused.
  virtual void send_operator_message(EndpointId node, MessagePtr message) = 0;
};

}  // namespace faultline
