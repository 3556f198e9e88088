#pragma once
// Where a run happens (issue 15): the deterministic simulator, or a cluster of real processes
// (framework/runtime/). The Driver (framework/runner.cpp) drives either one the same way: it
// schedules its callbacks, adds clients and invokes their ops, and hands the world to the
// nemeses as their FaultApi. Only the simulator can replay a seed byte for byte.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "base/json.h"
#include "framework/env.h"
#include "framework/fault_api.h"

namespace faultline {

struct SimStats {
  uint64_t events = 0;
  uint64_t deliveries = 0;        // messages handed to a live, unpaused endpoint
  uint64_t dropped_cut = 0;       // lost to a cut link at delivery time
  uint64_t dropped_loss = 0;      // lost to link loss at send time
  uint64_t dropped_down = 0;      // addressed to a crashed node or a retired client
  uint64_t duplicated = 0;
  uint64_t timers_fired = 0;
};

class World : public FaultApi {
 public:
  virtual void start_nodes() = 0;  // every node's core starts now
  // Handles what is due next; false when the run cannot go on (nothing left, an invariant
  // broke, the watchdog or a dead node stopped it).
  virtual bool step() = 0;
  // A framework callback (generator, nemesis schedule) at a time on the run's clock; a time
  // already past runs as soon as it can.
  virtual void schedule(int64_t at_ns, std::function<void()> callback) = 0;
  // Clients: a new endpoint whose completions go to on_complete. retire_client drops it;
  // messages still addressed to it are lost.
  virtual EndpointId add_client(std::function<void(const Completion&)> on_complete) = 0;
  virtual void invoke(EndpointId client, const ClientOp& op) = 0;
  virtual void retire_client(EndpointId client) = 0;
  // Hears every moment a node reports (Env::report_moment); the listener may only schedule.
  virtual void on_moment(std::function<void(EndpointId, std::string_view)> listener) = 0;
  // System::replicas_agree over the nodes now; nullopt when it cannot be told.
  virtual std::optional<bool> replicas_agree() const = 0;
  // Set when an invariant broke: what broke and the event after which it did.
  virtual const std::optional<std::string>& invariant_violation() const = 0;
  // Set when the run was stopped from within: the watchdog, or a node process that died.
  virtual const std::optional<std::string>& watchdog_stop() const = 0;
  virtual SimStats stats() const = 0;
  // What the protocol did (System::run_metrics). Empty in real mode: there every node's
  // counts live in its own process.
  virtual Json protocol_metrics() const = 0;
  // Fields the history header adds for this world (the real runtime's ports); the simulator
  // adds none, so simulated histories stay as they were.
  virtual Json header_extras() const { return Json::object(); }
};

}  // namespace faultline
