#include "framework/cli/scenario_flags.h"

#include <cstdio>

namespace faultline::cli {

void add_scenario_flags(CLI::App& command, ScenarioFlags& f) {
  command.add_option("--system", f.system, "system under test (see faultline bugs)");
  command.add_option("--workload", f.workload, "client workload: register");
  command.add_option("--nemesis", f.nemesis, "fault packages, comma-separated: partition[:halves|one|leader], kill, crash, pause, clock, flaky")
      ->delimiter(',');
  command.add_option("--seed", f.seed, "the seed every random choice derives from")
      ->check([](const std::string& text) {
        return text.find_first_not_of("0123456789") == std::string::npos ? std::string()
                                                                          : "must be a non-negative integer";
      });
  command.add_option("--time", f.time, "length of the main phase (faults on), e.g. 30s");
  command.add_option("--nemesis-interval", f.nemesis_interval, "time between fault starts and stops");
  command.add_option("--quiesce", f.quiesce, "quiet time after healing, before the final reads");
  command.add_option("--op-timeout", f.op_timeout, "an op still open after this ends as info");
  command.add_option("--latency", f.latency, "one-way network latency floor");
  command.add_option("--jitter", f.jitter, "extra uniform network delay (reorders messages)");
  command.add_option("--nodes", f.node_count, "cluster size (default: the system's)");
  command.add_option("--concurrency", f.concurrency, "logical client processes");
  command.add_option("--keys", f.key_count, "number of keys");
  command.add_option("--value-range", f.value_range, "writes and cas draw values in [0, N)");
  command.add_option("--rate", f.rate_hz, "offered load, ops per simulated second");
  command.add_option("--mix", f.mix, "read:write:cas weights");
  command.add_option("--loss", f.loss_probability, "probability a message is lost");
  command.add_option("--duplicate", f.duplicate_probability, "probability a message is duplicated");
  command.add_option("--bug", f.bug, "a planted bug to switch on (see faultline bugs)");
  command.add_flag("--no-final-reads", f.no_final_reads, "skip the final per-node reads");
  command.add_flag("--codec-roundtrip", f.codec_roundtrip, "encode and decode every message");
  command.add_flag("--torn-writes", f.torn_writes, "a power loss may keep a torn tail of unsynced writes");
  command.add_flag("--check-invariants", f.check_invariants, "check protocol invariants after every event");
}

namespace {

Result<int64_t> duration_flag(const std::string& flag, const std::string& text) {
  auto parsed = parse_duration_ns(text);
  if (!parsed) return fail(flag + ": " + parsed.error().message);
  return parsed.value();
}

Result<OpMix> parse_mix(const std::string& text) {
  unsigned long long read = 0, write = 0, cas = 0;
  int consumed = 0;
  if (std::sscanf(text.c_str(), "%llu:%llu:%llu%n", &read, &write, &cas, &consumed) != 3 ||
      static_cast<size_t>(consumed) != text.size())
    return fail("--mix: expected read:write:cas weights such as 2:1:1, got \"" + text + "\"");
  return OpMix{read, write, cas};
}

}  // namespace

Result<Scenario> to_scenario(const ScenarioFlags& f, const Registry& registry) {
  Scenario s;
  s.system = f.system;
  const SystemEntry* entry = registry.system(f.system);
  if (entry == nullptr) return fail("--system: unknown system \"" + f.system + "\"");
  s.workload = f.workload;
  s.nemesis = f.nemesis;
  s.seed = f.seed;
  BOOST_OUTCOME_TRY(time_ns, duration_flag("--time", f.time));
  BOOST_OUTCOME_TRY(interval_ns, duration_flag("--nemesis-interval", f.nemesis_interval));
  BOOST_OUTCOME_TRY(quiesce_ns, duration_flag("--quiesce", f.quiesce));
  BOOST_OUTCOME_TRY(op_timeout_ns, duration_flag("--op-timeout", f.op_timeout));
  BOOST_OUTCOME_TRY(latency_ns, duration_flag("--latency", f.latency));
  BOOST_OUTCOME_TRY(jitter_ns, duration_flag("--jitter", f.jitter));
  BOOST_OUTCOME_TRY(mix, parse_mix(f.mix));
  s.time_ns = time_ns;
  s.nemesis_interval_ns = interval_ns;
  s.quiesce_ns = quiesce_ns;
  s.op_timeout_ns = op_timeout_ns;
  s.link.latency_ns_base = latency_ns;
  s.link.latency_ns_jitter = jitter_ns;
  s.link.loss_probability = f.loss_probability;
  s.link.duplicate_probability = f.duplicate_probability;
  s.mix = mix;
  s.node_count = f.node_count.value_or(entry->default_nodes);
  s.concurrency = f.concurrency;
  s.key_count = f.key_count;
  s.value_range = f.value_range;
  s.rate_hz = f.rate_hz;
  s.bug = f.bug;
  s.final_reads = !f.no_final_reads;
  s.codec_roundtrip = f.codec_roundtrip;
  s.torn_writes = f.torn_writes;
  s.check_invariants = f.check_invariants;
  BOOST_OUTCOME_TRYV(validate(s));
  return s;
}

}  // namespace faultline::cli
