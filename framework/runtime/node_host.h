#pragma once
// One protocol core in an OS process (`faultline node`, issue 15): the node's Env over
// Boost.Asio. Messages travel as frames over TCP (peer connections it dials, and the runner's
// client gateway, which connects to it), timers are steady timers, the clock is the machine's
// CLOCK_MONOTONIC shifted by what the nemesis sets, the disk is RealDisk under the data
// directory, and randomness is seeded per node and incarnation. The runner drives it over a
// control channel (docs/runtime.md, "The control channel"). One thread, one io_context: the
// core runs only inside handlers, as in the simulator.
#include <cstdint>
#include <string>

#include "framework/registry.h"
#include "framework/scenario.h"

namespace faultline::runtime {

struct NodeHostOptions {
  Scenario scenario;        // as the runner resolved it (the history's header)
  EndpointId id = 0;
  std::string data_dir;
  int64_t incarnation = 0;  // 0 at the first start, +1 per restart
  bool power_loss = false;   // this start follows a power loss: unsynced writes are gone
  int listen_port = 0;       // 0: any free port (the ready line reports it)
  int64_t epoch_ns = 0;      // the run's start on CLOCK_MONOTONIC, shared by every process
  int ready_fd = -1;         // where the ready line goes, then closed
};

// Runs the node until the runner closes the control channel; the process's exit code.
int run_node_host(const NodeHostOptions& options, const Registry& registry);

}  // namespace faultline::runtime
