#pragma once
// The control channel's messages (docs/runtime.md, "The control channel"), written and read
// by the runner (RealCluster) and the node process (NodeHost) through these definitions only.
// Runner -> node, one JSON object per line, {"cmd": ...}:
//   start    {epoch_ns, peers, links, clock}  the run's clock origin; build and start the core
//   peers    {peers}                the listen port of every node (0: not up)
//   links    {links}                the rule for what each node sends to this one
//   clock    {clock}                the clock fault in force
//   operator {message}              an operator's command, delivered from kOperatorEndpoint
//   status   {}                     answered by a status event
// Node -> runner:
//   {"event":"leader","leader":bool}  the core starts or stops claiming to lead
//                                     (System::leader over its own node alone)
//   {"event":"moment","moment":name}  the core reported a moment (Env::report_moment)
//   {"event":"status",id,incarnation,pid,started,leader,now_ns,monotonic_ns}  asked by status
#include <cstdint>
#include <vector>

#include "base/json.h"
#include "framework/fault_api.h"

namespace faultline {
// Here, beside LinkQuality's namespace, so nlohmann's lookup finds them.
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(LinkQuality, latency_ns_base, latency_ns_jitter, loss_probability,
                                   duplicate_probability)
}  // namespace faultline

namespace faultline::runtime {

// What a node applies to the frames it receives from one other node: the nemesis's cut and
// quality of that directed link (a receiver-side proxy, so a cut is checked on arrival as in
// the simulator).
struct LinkRule {
  bool cut = false;
  LinkQuality quality;
  bool operator==(const LinkRule&) const = default;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(LinkRule, cut, quality)

// A node's clock fault (FaultApi::set_clock and set_clock_strobe), re-sent at every start:
// in the simulator a node's clock outlives its process.
struct ClockSetting {
  int64_t offset_ns = 0;
  int64_t drift_ppm = 0;
  int64_t strobe_delta_ns = 0;
  int64_t strobe_period_ns = 0;
  bool operator==(const ClockSetting&) const = default;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(ClockSetting, offset_ns, drift_ppm, strobe_delta_ns, strobe_period_ns)

inline Json start_command(int64_t epoch_ns, const std::vector<int>& peers, const std::vector<LinkRule>& links,
                          const ClockSetting& clock) {
  return {{"cmd", "start"}, {"epoch_ns", epoch_ns}, {"peers", peers}, {"links", links}, {"clock", clock}};
}

}  // namespace faultline::runtime
