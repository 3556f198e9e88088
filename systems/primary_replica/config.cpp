// The primary-replica store's settings: one table drives `--param` validation, defaults and
// help; parse_options turns the resolved values into Params and checks how they combine.
#include "systems/primary_replica/config.h"

#include <algorithm>
#include <cmath>

namespace faultline::primary_replica {

namespace {

double as_ms(int64_t duration_ns) { return static_cast<double>(duration_ns) / kMillisecond; }

// A duration param (in ms) and where its value goes.
struct DurationBinding {
  OptionSpec spec;
  int64_t Params::*duration_ns;
};

const std::vector<DurationBinding>& duration_bindings() {
  static const Params defaults;
  auto row = [](const char* name, int64_t default_ns, const char* description, int64_t Params::*field) {
    return DurationBinding{.spec = {.name = name, .type = OptionType::number, .default_value = as_ms(default_ns),
                                    .description = description, .min = 0.001, .max = 600'000},
                           .duration_ns = field};
  };
  static const std::vector<DurationBinding> table = {
      row("heartbeat_ms", defaults.heartbeat_ns, "primary heartbeat interval", &Params::heartbeat_ns),
      row("failure_timeout_ms", defaults.failure_timeout_ns,
          "a replica that has not heard from the primary this long may campaign (after a further random "
          "delay below it); must exceed 2 heartbeats",
          &Params::failure_timeout_ns),
      row("lease_ms", defaults.lease_ns,
          "a primary accepts writes only this long after a majority last acknowledged its heartbeat; must be "
          "below failure_timeout_ms * (1 - 0.2) / (1 + 0.2) (clock drift up to 20%) and above heartbeat_ms",
          &Params::lease_ns),
      row("client_attempt_timeout_ms", defaults.client_attempt_timeout_ns, "a client retries another node after this",
          &Params::client_attempt_timeout_ns),
      row("client_op_timeout_ms", defaults.client_op_timeout_ns, "a client gives up on an op after this",
          &Params::client_op_timeout_ns),
  };
  return table;
}

OptionSpec choice(const char* name, const char* default_value, const char* description,
                  std::vector<std::string> choices) {
  return OptionSpec{.name = name, .type = OptionType::string, .default_value = default_value,
                    .description = description, .choices = std::move(choices)};
}

Replication replication_of(const std::string& text) {
  if (text == "async") return Replication::async;
  if (text == "semi-sync") return Replication::semi_sync;
  if (text == "sync") return Replication::sync;
  return Replication::quorum;  // the table admits only these four
}

ReadFrom read_from_of(const std::string& text) {
  if (text == "replica") return ReadFrom::replica;
  if (text == "any") return ReadFrom::any;
  return ReadFrom::primary;
}

Failover failover_of(const std::string& text) {
  if (text == "off") return Failover::off;
  if (text == "manual") return Failover::manual;
  return Failover::automatic;
}

// docs/systems/primary-replica.md, "The lease and clock skew": the lease must run out on a
// slow primary clock before a replica's failure timeout can run out on a fast one. In the
// failure timeout's unit.
double lease_limit(double failure_timeout) { return failure_timeout * (1 - kMaxClockDrift) / (1 + kMaxClockDrift); }

Result<void> check_combination(const Options& options) {
  const Params& p = options.params;
  const std::string where = "primary-replica --param: ";
  if (p.failure_timeout_ns <= 2 * p.heartbeat_ns) return fail(where + "failure_timeout_ms must exceed 2 * heartbeat_ms");
  const double lease_limit_ns = lease_limit(static_cast<double>(p.failure_timeout_ns));
  if (static_cast<double>(p.lease_ns) >= lease_limit_ns)
    return fail(where + "lease_ms must be below failure_timeout_ms * 0.8 / 1.2 = " +
                std::to_string(lease_limit_ns / kMillisecond) + " ms (clock drift up to 20%)");
  if (p.lease_ns <= p.heartbeat_ns) return fail(where + "lease_ms must exceed heartbeat_ms");
  if (p.replication == Replication::semi_sync && options.node_count < 2)
    return fail(where + "replication=semi-sync needs a replica: at least 2 nodes");
  return outcome::success();
}

}  // namespace

std::string to_string(Replication replication) {
  switch (replication) {
    case Replication::async: return "async";
    case Replication::semi_sync: return "semi-sync";
    case Replication::sync: return "sync";
    case Replication::quorum: return "quorum";
  }
  return "?";
}

std::string to_string(ReadFrom read_from) {
  switch (read_from) {
    case ReadFrom::primary: return "primary";
    case ReadFrom::replica: return "replica";
    case ReadFrom::any: return "any";
  }
  return "?";
}

std::string to_string(Failover failover) {
  switch (failover) {
    case Failover::off: return "off";
    case Failover::manual: return "manual";
    case Failover::automatic: return "auto";
  }
  return "?";
}

const OptionTable& param_table() {
  static const OptionTable table = [] {
    OptionTable specs = {
        choice("replication", "quorum",
               "when a write is acknowledged: after the primary's durable write (async), one replica's too "
               "(semi-sync), every replica's (sync), a majority's (quorum)",
               {"async", "semi-sync", "sync", "quorum"}),
        choice("read_from", "primary",
               "primary: reads reflect the primary's committed state (a replica addressed by the workload asks "
               "the primary for a read position); replica / any: served from the local state of a replica / any "
               "node",
               {"primary", "replica", "any"}),
        choice("session_tokens", "off",
               "on: a client carries the highest (epoch, index) it has seen and a node answers its reads only "
               "once it has applied that far",
               {"on", "off"}),
        choice("failover", "auto",
               "off: node 0 is the primary for ever; manual: an election only on an operator's command (fault "
               "package `failover`); auto: a replica campaigns after the failure timeout",
               {"off", "manual", "auto"}),
        OptionSpec{.name = "max_entries_per_append", .type = OptionType::integer, .default_value = 32,
                   .description = "log entries per replication message", .min = 1, .max = 1e6},
    };
    for (const auto& binding : duration_bindings()) specs.push_back(binding.spec);
    return specs;
  }();
  return table;
}

Json swarm_params(Rng& rng, const Json& given) {
  // Heartbeats from 10 to 100 ms and failure timeouts 3 to 15 heartbeats long, at most
  // 500 ms (the store claims liveness 2 s after the heal; a replica campaigns after [T, 2T)
  // of silence, and a failover may take two rounds); the lease anywhere in its valid window
  // (above a heartbeat, below the failure timeout's drift bound), so some seeds run the lease
  // to its edge. The three are drawn together, and only when none was given by hand: any one
  // of them constrains the other two (check_combination).
  const double heartbeat_ms = std::round(rng.log_uniform(10, 100));
  const double failure_timeout_ms =
      std::max(std::min(500.0, std::round(heartbeat_ms * rng.log_uniform(3, 15))), 2 * heartbeat_ms + 1);
  const double lease_limit_ms = lease_limit(failure_timeout_ms);
  const double lease_ms = std::floor(heartbeat_ms + (lease_limit_ms - heartbeat_ms) * (0.2 + 0.7 * rng.unit()));
  // Small batches make replicas catch up over many messages. Not 1 or 2 entries: the primary
  // sends from the last acknowledged position (no pipelining), so a replica that fell behind
  // gains one batch per round trip, and at the drawn write rates (up to ~170/s) and jitter
  // one or two entries per round trip never caught up within the liveness window (5 of 8,000
  // seeds; docs/systems/primary-replica.md, "Swarm").
  const int64_t entries_per_append[] = {4, 16, 64, 256};
  Json drawn{{"max_entries_per_append", entries_per_append[rng.below(std::size(entries_per_append))]},
             {"client_attempt_timeout_ms", std::round(rng.log_uniform(50, 1000))},
             {"client_op_timeout_ms", std::round(rng.log_uniform(300, 5000))}};
  const bool timer_given = given.is_object() &&
                           (given.contains("heartbeat_ms") || given.contains("failure_timeout_ms") || given.contains("lease_ms"));
  if (!timer_given) {
    drawn["heartbeat_ms"] = heartbeat_ms;
    drawn["failure_timeout_ms"] = failure_timeout_ms;
    drawn["lease_ms"] = lease_ms;
  }
  return drawn;
}

Result<Options> parse_options(const SystemConfig& config) {
  Options options;
  options.node_count = config.node_count;
  BOOST_OUTCOME_TRY(bugs, bugs_from_name(config.bug));
  options.bugs = bugs;
  BOOST_OUTCOME_TRY(params, resolve_options(param_table(), config.params, "primary-replica --param"));
  Params& p = options.params;
  p.replication = replication_of(params.at("replication").get<std::string>());
  p.read_from = read_from_of(params.at("read_from").get<std::string>());
  p.session_tokens = params.at("session_tokens").get<std::string>() == "on";
  p.failover = failover_of(params.at("failover").get<std::string>());
  p.max_entries_per_append = params.at("max_entries_per_append").get<int>();
  for (const auto& binding : duration_bindings())
    p.*binding.duration_ns = std::llround(params.at(binding.spec.name).get<double>() * kMillisecond);
  BOOST_OUTCOME_TRYV(check_combination(options));
  return options;
}

int acks_required(Replication replication, int node_count) {
  switch (replication) {
    case Replication::async: return 1;
    case Replication::semi_sync: return 2;
    case Replication::sync: return node_count;
    case Replication::quorum: return node_count / 2 + 1;
  }
  return node_count;
}

}  // namespace faultline::primary_replica
