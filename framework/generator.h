#pragma once
// Generators of client operations as composable values (after Jepsen's generator library):
// a workload is built from small pieces (an op mix, a rate limit, a time limit, phases)
// instead of an ad-hoc loop. The runner asks a generator for the next op whenever a client
// process is free.
#include <cstdint>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "framework/env.h"
#include "framework/random.h"

namespace faultline {

struct GenContext {
  int64_t now_ns = 0;
  int slot = 0;             // which of the C client slots asks (stable across retirements)
  int slot_count = 1;
  int busy_slots = 0;       // operations in flight right now
  Rng* rng = nullptr;       // the workload stream
};

struct Wait {
  int64_t until_ns;  // ask again at this time
};
struct Pending {};   // nothing now; ask again when an operation completes
struct Exhausted {};

using GenResult = std::variant<ClientOp, Wait, Pending, Exhausted>;

class Generator {
 public:
  virtual ~Generator() = default;
  virtual GenResult next(const GenContext& context) = 0;
};

using GeneratorPtr = std::unique_ptr<Generator>;

struct WeightedGenerator {
  uint64_t weight;
  GeneratorPtr generator;
};

// Picks one of several generators by weight for each op.
GeneratorPtr mix(std::vector<WeightedGenerator> choices);
// At most ops_per_s operations per simulated second over all processes, evenly spaced
// with +-50% jitter.
GeneratorPtr rate_limit(double ops_per_s, GeneratorPtr inner);
// Exhausted once duration_ns has passed since its first call.
GeneratorPtr time_limit(int64_t duration_ns, GeneratorPtr inner);
// Nothing for duration_ns, then exhausted.
GeneratorPtr sleep_for(int64_t duration_ns);
// Addresses each op that names no node to the asking slot's own node (slot mod node_count).
GeneratorPtr bound_to_nodes(int node_count, GeneratorPtr inner);
// One after another; a phase starts when the previous one is exhausted and no op is in
// flight (Jepsen's phases: everything before has completed).
GeneratorPtr phases(std::vector<GeneratorPtr> steps);
// Every slot reads (op f) every key from every node once, each op marked final: the final
// reads convergence needs.
GeneratorPtr final_reads(std::string f, int key_count, int node_count);

std::string key_name(int key);

}  // namespace faultline
