#pragma once
// A scenario is everything one run depends on: system, workload, faults, timing, seed and
// every parameter. It is written as the history's header, so a history can be replayed.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "framework/env.h"
#include "framework/fault_api.h"
#include "histories/history.h"

namespace faultline {

inline constexpr const char* kFaultlineVersion = "0.1.0";

// An explicit schedule instead of random draws: the client ops (each at a time, on a slot)
// and the fault events of the main phase. Shrinking edits a script; a property test
// generates one. The final phase (heal, quiet, final reads) is the same as for any run.
struct ScriptedOp {
  int64_t at_ns = 0;
  int slot = 0;
  ClientOp op;
};

struct ScriptedFault {
  int64_t at_ns = 0;
  std::string f;  // a recorded nemesis event, e.g. "start-partition"
  Json value;
};

struct Script {
  std::vector<ScriptedOp> ops;       // sorted by time
  std::vector<ScriptedFault> faults;  // sorted by time
};

struct Scenario {
  std::string system = "single";
  std::string workload = "register";
  std::vector<std::string> nemesis;          // fault packages, e.g. {"partition", "kill"}
  uint64_t seed = 1;
  // A swarm draws its configuration from this seed instead of `seed` (a guided campaign's
  // child runs its parent's configuration with a run of its own; campaign_guide.h). The
  // drawn scenario no longer has one: its header records what was drawn.
  std::optional<uint64_t> swarm_seed;
  int64_t time_ns = 10'000'000'000;          // the main phase, faults on
  int64_t nemesis_interval_ns = 2'000'000'000;  // between fault starts and stops
  // Swarm timing (issue 10): up to this many faults (of different packages) at once, with
  // gaps and durations drawn from a heavy-tailed distribution around nemesis_interval_ns.
  // At the defaults (1, fixed) faults alternate start, stop, start every interval.
  int nemesis_overlap = 1;
  bool nemesis_heavy_tailed = false;
  int64_t quiesce_ns = 2'000'000'000;        // after healing, before final reads
  int64_t op_timeout_ns = 1'000'000'000;     // an op still open then ends as info
  int node_count = 3;
  int concurrency = 5;                       // logical client processes
  // Each client process is bound to one node (slot mod node_count), as Jepsen binds its
  // clients; every op it issues is addressed to that node. Otherwise the system's client
  // picks a node (and follows redirects).
  bool clients_per_node = false;
  int key_count = 3;
  int value_range = 5;                       // writes and cas draw values in [0, range)
  double rate_hz = 50;                       // offered load, ops per simulated second
  std::map<std::string, uint64_t> mix;       // weight per op name; absent: the workload's default
  LinkQuality link;                          // every link's default quality
  std::optional<std::string> bug;            // a planted bug, "<system>.<name>"
  Json system_params = Json::object();
  bool final_reads = true;
  bool codec_roundtrip = false;
  bool torn_writes = false;
  bool check_invariants = false;
  // What one run may hold (docs/limits.md): past either, the run stops with an error naming
  // the limit. Written to the header only when raised, so older histories replay as before.
  int64_t max_events = 100'000'000;        // simulator events processed
  int64_t max_history_ops = 1'000'000;     // history lines (invocations, completions, faults)
  std::optional<Script> script;  // when set, it replaces the workload's and nemesis' draws
  // Where the run happens: "sim", the deterministic simulator, or "real", one OS process per
  // node on loopback (framework/runtime/), which draws the same ops and faults but cannot
  // replay its interleaving. The header records it only when "real".
  std::string runtime = "sim";
};

inline constexpr const char* kRuntimeSim = "sim";
inline constexpr const char* kRuntimeReal = "real";

// Replaying and shrinking need the run's exact interleaving, which only the simulator gives:
// an error for a real-mode scenario read at `where` (a history's first line), naming the rerun.
Result<void> check_replayable(const Scenario& scenario, const std::string& where);

Json script_to_json(const Script& script);
Result<Script> script_from_json(const Json& json, const std::string& where);

// The history header: {"faultline":1,"version":..,"system":..,"workload":..,
// "nemesis":[..],"seed":..,"params":{...}}.
Json scenario_to_header(const Scenario& scenario);
Result<Scenario> scenario_from_header(const Json& header, const std::string& where);

// Rejects impossible parameters with a message naming the parameter (its flag).
Result<void> validate(const Scenario& scenario);

// "10s", "500ms", "2m", "250us", "100ns", or a bare number of seconds.
Result<int64_t> parse_duration_ns(const std::string& text);
std::string format_duration(int64_t duration_ns);

}  // namespace faultline
