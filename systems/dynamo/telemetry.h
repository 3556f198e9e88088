#pragma once
// What the Dynamo store did in a run, counted for the figures of docs/benchmarks.md (read
// repairs, anti-entropy transfers, hints stored and delivered, handoffs, reaped tombstones).
// One instance per System, shared by its nodes, which only ever add to it: no protocol
// decision reads it, so it is measurement, not state (it survives crashes, unlike a node).
#include <cstdint>

#include "base/json.h"

namespace faultline::dynamo {

struct Telemetry {
  uint64_t read_repairs = 0;             // repair writes sent by read coordinators
  uint64_t anti_entropy_exchanges = 0;   // Merkle-tree comparisons started
  uint64_t anti_entropy_keys = 0;        // keys whose state changed through an anti-entropy sync
  uint64_t hints_stored = 0;             // hinted writes a fallback stored
  uint64_t hints_delivered = 0;          // hints deleted after their owner acknowledged them
  uint64_t handoff_keys = 0;             // keys handed over and dropped by a node that no longer owns them
  uint64_t tombstones_reaped = 0;
  uint64_t membership_changes = 0;       // status changes (leaving, out, joining, member)

  Json to_json() const {
    return {{"read_repairs", read_repairs},
            {"anti_entropy_exchanges", anti_entropy_exchanges},
            {"anti_entropy_keys", anti_entropy_keys},
            {"hints_stored", hints_stored},
            {"hints_delivered", hints_delivered},
            {"handoff_keys", handoff_keys},
            {"tombstones_reaped", tombstones_reaped},
            {"membership_changes", membership_changes}};
  }
};

}  // namespace faultline::dynamo
