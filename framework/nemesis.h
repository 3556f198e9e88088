#pragma once
// A fault package (Jepsen's nemesis): it starts one fault and later stops it, acting only
// through the FaultApi, and describes each step for the history.
#include <memory>
#include <string>

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
};

using NemesisPtr = std::unique_ptr<Nemesis>;

}  // namespace faultline
