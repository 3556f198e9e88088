// The Raft store's settings: one table drives `--param` validation, defaults and help.
#include "systems/raft/config.h"

#include <cmath>

namespace faultline::raft {

namespace {

double as_ms(int64_t duration_ns) { return static_cast<double>(duration_ns) / kMillisecond; }

// Each param: its table row and where its value goes.
struct ParamBinding {
  OptionSpec spec;
  int64_t Params::*duration_ns = nullptr;  // a duration given in ms
  int64_t Params::*count64 = nullptr;
  int Params::*count = nullptr;
};

const std::vector<ParamBinding>& bindings() {
  static const Params defaults;
  static const std::vector<ParamBinding> table = {
      {.spec = {.name = "heartbeat_ms", .type = OptionType::number, .default_value = as_ms(defaults.heartbeat_ns),
                .description = "leader heartbeat interval", .min = 0.001, .max = 60'000},
       .duration_ns = &Params::heartbeat_ns},
      {.spec = {.name = "election_timeout_ms", .type = OptionType::number,
                .default_value = as_ms(defaults.election_timeout_min_ns),
                .description = "minimum election timeout; each is drawn in [min, 2*min); must exceed 2 heartbeats",
                .min = 0.001, .max = 600'000},
       .duration_ns = &Params::election_timeout_min_ns},
      {.spec = {.name = "client_attempt_timeout_ms", .type = OptionType::number,
                .default_value = as_ms(defaults.client_attempt_timeout_ns),
                .description = "a client retries another node after this", .min = 0.001, .max = 600'000},
       .duration_ns = &Params::client_attempt_timeout_ns},
      {.spec = {.name = "client_op_timeout_ms", .type = OptionType::number,
                .default_value = as_ms(defaults.client_op_timeout_ns),
                .description = "a client gives up on an op after this", .min = 0.001, .max = 3'600'000},
       .duration_ns = &Params::client_op_timeout_ns},
      {.spec = {.name = "snapshot_threshold", .type = OptionType::integer,
                .default_value = defaults.snapshot_threshold,
                .description = "applied entries past the snapshot before compacting", .min = 1, .max = 1e9},
       .count64 = &Params::snapshot_threshold},
      {.spec = {.name = "max_entries_per_append", .type = OptionType::integer,
                .default_value = defaults.max_entries_per_append,
                .description = "entries per AppendEntries message", .min = 1, .max = 1e6},
       .count = &Params::max_entries_per_append},
  };
  return table;
}

}  // namespace

const OptionTable& param_table() {
  static const OptionTable table = [] {
    OptionTable specs;
    for (const auto& binding : bindings()) specs.push_back(binding.spec);
    return specs;
  }();
  return table;
}

Json swarm_params(Rng& rng, const Json& given) {
  // Heartbeats from 10 to 100 ms and elections 3 to 15 heartbeats long (parse_options needs
  // more than 2), so some seeds elect on a hair trigger and some ride out long pauses;
  // batches down to one entry (a new leader's first append then rarely carries its no-op:
  // Figure 8's window) and snapshot thresholds down to 2 make followers catch up over many
  // appends and snapshots. One entry per append became viable with pipelined appends; before
  // them, followers back from a crash did not catch up before the final reads.
  const double drawn_heartbeat_ms = std::round(rng.log_uniform(10, 100));
  const double heartbeats_per_election = rng.log_uniform(3, 15);
  // A heartbeat or election timeout given by hand stays, and the other is drawn to fit it
  // (a given value that is not a number is left for parse_options to reject).
  auto given_ms = [&given](const char* name) -> std::optional<double> {
    if (!given.is_object() || !given.contains(name) || !given[name].is_number()) return std::nullopt;
    return given[name].get<double>();
  };
  const std::optional<double> given_election_ms = given_ms("election_timeout_ms");
  const double heartbeat_ms = given_election_ms ? std::min(drawn_heartbeat_ms, *given_election_ms / 3)
                                                : given_ms("heartbeat_ms").value_or(drawn_heartbeat_ms);
  // At most 400 ms (unless the heartbeat given needs more): raft claims liveness 2 s after
  // the heal, and a recovery may need two or three election rounds (a candidate with the
  // better log refused by a follower still loyal to a dead leader); with 865 ms timeouts a
  // correct build took 3 s to elect.
  const double election_timeout_ms =
      std::max(std::min(400.0, std::round(heartbeat_ms * heartbeats_per_election)), std::floor(2 * heartbeat_ms) + 1);
  const int64_t entries_per_append[] = {1, 2, 4, 16, 64, 256};
  const int64_t snapshot_thresholds[] = {2, 8, 32, 256, 1024};
  return Json{{"heartbeat_ms", heartbeat_ms},
              {"election_timeout_ms", election_timeout_ms},
              {"max_entries_per_append", entries_per_append[rng.below(std::size(entries_per_append))]},
              {"snapshot_threshold", snapshot_thresholds[rng.below(std::size(snapshot_thresholds))]},
              {"client_attempt_timeout_ms", std::round(rng.log_uniform(50, 1000))},
              {"client_op_timeout_ms", std::round(rng.log_uniform(300, 5000))}};
}

Result<Options> parse_options(const SystemConfig& config) {
  Options options;
  BOOST_OUTCOME_TRY(bugs, bugs_from_name(config.bug));
  options.bugs = bugs;
  BOOST_OUTCOME_TRY(params, resolve_options(param_table(), config.params, "raft --param"));
  for (const auto& binding : bindings()) {
    const Json& value = params.at(binding.spec.name);
    if (binding.duration_ns) options.params.*binding.duration_ns = std::llround(value.get<double>() * kMillisecond);
    if (binding.count64) options.params.*binding.count64 = value.get<int64_t>();
    if (binding.count) options.params.*binding.count = value.get<int>();
  }
  const Params& out = options.params;
  if (out.election_timeout_min_ns <= 2 * out.heartbeat_ns)
    return fail("raft --param: election_timeout_ms must exceed 2 * heartbeat_ms");
  return options;
}

}  // namespace faultline::raft
