#pragma once
// A fault package (Jepsen's nemesis): it starts one fault and later stops it, acting only
// through the FaultApi, and describes each step for the history. A recorded step can be
// applied again without any random draw (replay), which scripted runs and shrinking use.
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "framework/fault_api.h"
#include "framework/random.h"
#include "histories/op.h"

namespace faultline {

struct NemesisEvent {
  std::string f;  // e.g. "start-partition"
  Json value;     // what was done: nodes, links, offsets
};

class Nemesis {
 public:
  virtual ~Nemesis() = default;
  virtual std::string name() const = 0;
  virtual NemesisEvent start(FaultApi& faults, Rng& rng) = 0;
  virtual NemesisEvent stop(FaultApi& faults, Rng& rng) = 0;
  // The stop at the end of the main phase (Driver::heal), after which the cluster must be
  // quiet and healthy: it only undoes. A package whose stop does something new (sharded's
  // move: each stop moves another shard) records a stop that does nothing instead.
  virtual NemesisEvent heal(FaultApi& faults, Rng& rng) { return stop(faults, rng); }
  // Applies a recorded event of this package; false when the event is not one of its own.
  virtual bool replay(FaultApi& faults, const NemesisEvent& event) = 0;
  // Protocol-aware packages (issue 10, item 2) may start a fault on `node` because it
  // reported `moment` a little earlier; nullopt: not this time. Several nodes may be struck
  // at once (one fault per node, as MIT's TestFigure8 keeps two of five nodes down), and
  // stop_strike ends the one on `node`.
  virtual std::optional<NemesisEvent> strike(FaultApi& /*faults*/, Rng& /*rng*/, EndpointId /*node*/,
                                             std::string_view /*moment*/) {
    return std::nullopt;
  }
  virtual NemesisEvent stop_strike(FaultApi& faults, Rng& rng, EndpointId /*node*/) { return stop(faults, rng); }
  virtual bool protocol_aware() const { return false; }
};

using NemesisPtr = std::unique_ptr<Nemesis>;

}  // namespace faultline
