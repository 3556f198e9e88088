// The Dynamo store's settings: one table drives `--param` validation, defaults and help.
#include "systems/dynamo/config.h"

#include <cmath>
#include <map>

namespace faultline::dynamo {

namespace {

const std::map<std::string, Conflict>& conflict_names() {
  static const std::map<std::string, Conflict> names = {
      {"lww", Conflict::lww},           {"vclock", Conflict::vclock},       {"lwwreg", Conflict::lwwreg},
      {"mvreg", Conflict::mvreg},       {"orset", Conflict::orset},         {"gcounter", Conflict::gcounter},
      {"pncounter", Conflict::pncounter}};
  return names;
}

Result<Shape> shape_of(const std::string& workload) {
  if (workload == "register" || workload == "session" || workload == "register-delete") return Shape::registers;
  if (workload == "set") return Shape::sets;
  if (workload == "counter") return Shape::counters;
  return fail("--workload: system \"dynamo\" does not speak workload \"" + workload + "\"");
}

// "auto": last-writer-wins registers (Cassandra's default), the OR-set for sets and the
// PN-counter for counters (Riak's data types).
Conflict default_conflict(Shape shape) {
  switch (shape) {
    case Shape::registers: return Conflict::lww;
    case Shape::sets: return Conflict::orset;
    case Shape::counters: return Conflict::pncounter;
  }
  return Conflict::lww;
}

Result<void> check_conflict_fits(Conflict conflict, Shape shape, const std::string& workload) {
  bool fits = false;
  switch (conflict) {
    case Conflict::lww: fits = true; break;
    case Conflict::vclock: fits = shape != Shape::counters; break;
    case Conflict::lwwreg:
    case Conflict::mvreg: fits = shape == Shape::registers; break;
    case Conflict::orset: fits = shape == Shape::sets; break;
    case Conflict::gcounter:
    case Conflict::pncounter: fits = shape == Shape::counters; break;
  }
  if (fits) return outcome::success();
  std::string why = shape == Shape::counters && conflict == Conflict::vclock
                        ? " (siblings of a counter cannot be merged: use pncounter)"
                        : "";
  return fail("dynamo --param: conflict=" + to_string(conflict) + " does not fit workload \"" + workload + "\"" + why);
}

int64_t ms_to_ns(const Json& value) { return std::llround(value.get<double>() * kMillisecond); }

}  // namespace

std::string to_string(Conflict conflict) {
  for (const auto& [name, value] : conflict_names())
    if (value == conflict) return name;
  return "?";
}

const OptionTable& param_table() {
  static const Params defaults;
  static const OptionTable table = {
      {.name = "n", .type = OptionType::integer, .default_value = defaults.replicas,
       .description = "replicas per key (N); at most the node count", .min = 1, .max = 64},
      {.name = "r", .type = OptionType::integer, .default_value = defaults.read_quorum,
       .description = "replies a read waits for (R), at most n", .min = 1, .max = 64},
      {.name = "w", .type = OptionType::integer, .default_value = defaults.write_quorum,
       .description = "acknowledgements a write waits for (W), at most n", .min = 1, .max = 64},
      {.name = "quorum", .type = OptionType::string, .default_value = "sloppy",
       .description = "sloppy: fallbacks holding hints count toward R and W; strict: only the key's owners",
       .choices = {"sloppy", "strict"}},
      {.name = "read_repair", .type = OptionType::string, .default_value = "blocking",
       .description = "blocking: a read answers once the replicas it read are repaired; async: in the background",
       .choices = {"blocking", "async"}},
      {.name = "conflict", .type = OptionType::string, .default_value = "auto",
       .description = "conflict resolution; auto = lww for registers, orset for sets, pncounter for counters",
       .choices = {"auto", "lww", "vclock", "lwwreg", "mvreg", "orset", "gcounter", "pncounter"}},
      {.name = "vnodes", .type = OptionType::integer, .default_value = defaults.vnodes,
       .description = "tokens per node on the hash ring", .min = 1, .max = 256},
      {.name = "anti_entropy_ms", .type = OptionType::number, .default_value = 500,
       .description = "interval between Merkle-tree exchanges with a random peer", .min = 1, .max = 600'000},
      {.name = "tombstone_grace_ms", .type = OptionType::number, .default_value = 1000,
       .description = "a tombstone is kept at least this long before it may be reaped", .min = 1, .max = 3'600'000},
  };
  return table;
}

Result<Options> parse_options(const SystemConfig& config) {
  BOOST_OUTCOME_TRY(bugs, bugs_from_name(config.bug));
  Options options{.bugs = bugs, .workload = config.workload};
  BOOST_OUTCOME_TRY(params, resolve_options(param_table(), config.params, "dynamo --param"));
  BOOST_OUTCOME_TRY(shape, shape_of(config.workload));
  Params& p = options.params;
  p.shape = shape;
  p.replicas = params.at("n").get<int>();
  p.read_quorum = params.at("r").get<int>();
  p.write_quorum = params.at("w").get<int>();
  p.sloppy = params.at("quorum").get<std::string>() == "sloppy";
  p.read_repair = params.at("read_repair").get<std::string>() == "blocking" ? ReadRepair::blocking : ReadRepair::async;
  const std::string conflict = params.at("conflict").get<std::string>();
  p.conflict = conflict == "auto" ? default_conflict(shape) : conflict_names().at(conflict);
  p.vnodes = params.at("vnodes").get<int>();
  p.anti_entropy_ns = ms_to_ns(params.at("anti_entropy_ms"));
  p.tombstone_grace_ns = ms_to_ns(params.at("tombstone_grace_ms"));
  if (p.replicas > config.node_count)
    return fail("dynamo --param: n=" + std::to_string(p.replicas) + " exceeds the node count " +
                std::to_string(config.node_count));
  if (p.read_quorum > p.replicas || p.write_quorum > p.replicas) return fail("dynamo --param: r and w must not exceed n");
  BOOST_OUTCOME_TRYV(check_conflict_fits(p.conflict, shape, config.workload));
  return options;
}

}  // namespace faultline::dynamo
