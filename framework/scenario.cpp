#include "framework/scenario.h"

#include <cmath>
#include <cstdio>

namespace faultline {

Json scenario_to_header(const Scenario& s) {
  Json params = {
      {"time_ns", s.time_ns},
      {"nemesis_interval_ns", s.nemesis_interval_ns},
      {"quiesce_ns", s.quiesce_ns},
      {"op_timeout_ns", s.op_timeout_ns},
      {"nodes", s.node_count},
      {"concurrency", s.concurrency},
      {"keys", s.key_count},
      {"value_range", s.value_range},
      {"rate_hz", s.rate_hz},
      {"mix", {{"read", s.mix.read}, {"write", s.mix.write}, {"cas", s.mix.cas}}},
      {"link",
       {{"latency_ns_base", s.link.latency_ns_base},
        {"latency_ns_jitter", s.link.latency_ns_jitter},
        {"loss_probability", s.link.loss_probability},
        {"duplicate_probability", s.link.duplicate_probability}}},
      {"bug", s.bug ? Json(*s.bug) : Json()},
      {"system_params", s.system_params},
      {"final_reads", s.final_reads},
      {"codec_roundtrip", s.codec_roundtrip},
      {"torn_writes", s.torn_writes},
      {"check_invariants", s.check_invariants},
  };
  if (s.script) params["script"] = script_to_json(*s.script);
  return {{"faultline", kHistoryFormatVersion}, {"version", kFaultlineVersion},
          {"system", s.system},  {"workload", s.workload},
          {"nemesis", s.nemesis}, {"seed", s.seed},
          {"params", params}};
}

namespace {

// Reads header[name] into out when present; a value of the wrong type is an error.
template <class T>
Result<void> read_field(const Json& object, const char* name, T& out, const std::string& where) {
  auto it = object.find(name);
  if (it == object.end()) return outcome::success();
  try {
    out = it->get<T>();
  } catch (const nlohmann::json::exception&) {
    return fail(where + ": header field \"" + name + "\" has the wrong type");
  }
  return outcome::success();
}

Result<void> read_params(const Json& p, Scenario& s, const std::string& where) {
  BOOST_OUTCOME_TRYV(read_field(p, "time_ns", s.time_ns, where));
  BOOST_OUTCOME_TRYV(read_field(p, "nemesis_interval_ns", s.nemesis_interval_ns, where));
  BOOST_OUTCOME_TRYV(read_field(p, "quiesce_ns", s.quiesce_ns, where));
  BOOST_OUTCOME_TRYV(read_field(p, "op_timeout_ns", s.op_timeout_ns, where));
  BOOST_OUTCOME_TRYV(read_field(p, "nodes", s.node_count, where));
  BOOST_OUTCOME_TRYV(read_field(p, "concurrency", s.concurrency, where));
  BOOST_OUTCOME_TRYV(read_field(p, "keys", s.key_count, where));
  BOOST_OUTCOME_TRYV(read_field(p, "value_range", s.value_range, where));
  BOOST_OUTCOME_TRYV(read_field(p, "rate_hz", s.rate_hz, where));
  if (auto mix = p.find("mix"); mix != p.end()) {
    BOOST_OUTCOME_TRYV(read_field(*mix, "read", s.mix.read, where));
    BOOST_OUTCOME_TRYV(read_field(*mix, "write", s.mix.write, where));
    BOOST_OUTCOME_TRYV(read_field(*mix, "cas", s.mix.cas, where));
  }
  if (auto link = p.find("link"); link != p.end()) {
    BOOST_OUTCOME_TRYV(read_field(*link, "latency_ns_base", s.link.latency_ns_base, where));
    BOOST_OUTCOME_TRYV(read_field(*link, "latency_ns_jitter", s.link.latency_ns_jitter, where));
    BOOST_OUTCOME_TRYV(read_field(*link, "loss_probability", s.link.loss_probability, where));
    BOOST_OUTCOME_TRYV(
        read_field(*link, "duplicate_probability", s.link.duplicate_probability, where));
  }
  if (auto bug = p.find("bug"); bug != p.end() && !bug->is_null()) {
    if (!bug->is_string()) return fail(where + ": header field \"bug\" is not a string");
    s.bug = bug->get<std::string>();
  }
  if (auto params = p.find("system_params"); params != p.end()) s.system_params = *params;
  BOOST_OUTCOME_TRYV(read_field(p, "final_reads", s.final_reads, where));
  BOOST_OUTCOME_TRYV(read_field(p, "codec_roundtrip", s.codec_roundtrip, where));
  BOOST_OUTCOME_TRYV(read_field(p, "torn_writes", s.torn_writes, where));
  BOOST_OUTCOME_TRYV(read_field(p, "check_invariants", s.check_invariants, where));
  if (auto script = p.find("script"); script != p.end()) {
    BOOST_OUTCOME_TRY(parsed, script_from_json(*script, where));
    s.script = std::move(parsed);
  }
  return outcome::success();
}

}  // namespace

Result<Scenario> scenario_from_header(const Json& header, const std::string& where) {
  if (!header.is_object() || !header.contains("faultline"))
    return fail(where + ": no faultline header (the first line must describe the scenario)");
  Scenario s;
  BOOST_OUTCOME_TRYV(read_field(header, "system", s.system, where));
  BOOST_OUTCOME_TRYV(read_field(header, "workload", s.workload, where));
  BOOST_OUTCOME_TRYV(read_field(header, "nemesis", s.nemesis, where));
  BOOST_OUTCOME_TRYV(read_field(header, "seed", s.seed, where));
  if (auto params = header.find("params"); params != header.end()) {
    if (!params->is_object()) return fail(where + ": header field \"params\" is not an object");
    BOOST_OUTCOME_TRYV(read_params(*params, s, where));
  }
  BOOST_OUTCOME_TRYV(validate(s));
  return s;
}

Json script_to_json(const Script& script) {
  Json ops = Json::array();
  for (const auto& scripted : script.ops) {
    Json op{{"at_ns", scripted.at_ns}, {"slot", scripted.slot}, {"f", scripted.op.f},
            {"value", scripted.op.value}};
    if (scripted.op.key) op["key"] = *scripted.op.key;
    ops.push_back(std::move(op));
  }
  Json faults = Json::array();
  for (const auto& fault : script.faults)
    faults.push_back({{"at_ns", fault.at_ns}, {"f", fault.f}, {"value", fault.value}});
  return {{"ops", ops}, {"faults", faults}};
}

Result<Script> script_from_json(const Json& json, const std::string& where) {
  Script script;
  try {
    for (const auto& op : json.at("ops")) {
      ScriptedOp scripted{op.at("at_ns").get<int64_t>(), op.at("slot").get<int>(), ClientOp{}};
      scripted.op.f = op.at("f").get<std::string>();
      if (op.contains("key")) scripted.op.key = op.at("key").get<std::string>();
      scripted.op.value = op.value("value", Json());
      script.ops.push_back(std::move(scripted));
    }
    for (const auto& fault : json.at("faults"))
      script.faults.push_back({fault.at("at_ns").get<int64_t>(), fault.at("f").get<std::string>(),
                               fault.value("value", Json())});
  } catch (const nlohmann::json::exception& error) {
    return fail(where + ": malformed script: " + error.what());
  }
  return script;
}

Result<void> validate(const Scenario& s) {
  auto probability_ok = [](double p) { return p >= 0 && p <= 1; };
  if (s.time_ns <= 0) return fail("--time must be positive");
  if (s.nemesis_interval_ns <= 0) return fail("--nemesis-interval must be positive");
  if (s.quiesce_ns < 0) return fail("--quiesce must not be negative");
  if (s.op_timeout_ns <= 0) return fail("--op-timeout must be positive");
  if (s.node_count < 1 || s.node_count > 64) return fail("--nodes must be in 1..64");
  if (s.concurrency < 1 || s.concurrency > 1000) return fail("--concurrency must be in 1..1000");
  if (s.key_count < 1 || s.key_count > 100000) return fail("--keys must be in 1..100000");
  if (s.value_range < 1) return fail("--value-range must be positive");
  if (!(s.rate_hz > 0) || !std::isfinite(s.rate_hz)) return fail("--rate must be positive");
  if (s.mix.read + s.mix.write + s.mix.cas == 0) return fail("--mix needs a positive weight");
  if (s.link.latency_ns_base < 0 || s.link.latency_ns_jitter < 0)
    return fail("--latency and --jitter must not be negative");
  if (!probability_ok(s.link.loss_probability)) return fail("--loss must be in [0, 1]");
  if (!probability_ok(s.link.duplicate_probability)) return fail("--duplicate must be in [0, 1]");
  if (s.script) {
    for (const auto& op : s.script->ops)
      if (op.slot < 0 || op.slot >= s.concurrency || op.at_ns < 0 || op.at_ns > s.time_ns)
        return fail("script: an op lies outside the slots or the main phase");
    for (const auto& fault : s.script->faults)
      if (fault.at_ns < 0 || fault.at_ns > s.time_ns) return fail("script: a fault lies outside the main phase");
  }
  return outcome::success();
}

Result<int64_t> parse_duration_ns(const std::string& text) {
  double amount = 0;
  char unit[8] = {0};
  int consumed = 0;
  if (std::sscanf(text.c_str(), "%lf%7[a-z]%n", &amount, unit, &consumed) < 1)
    return fail("not a duration: \"" + text + "\" (use e.g. 10s, 500ms, 2m)");
  std::string suffix = unit;
  if (suffix.empty()) {
    consumed = 0;
    std::sscanf(text.c_str(), "%lf%n", &amount, &consumed);
  }
  if (static_cast<size_t>(consumed) != text.size())
    return fail("not a duration: \"" + text + "\" (use e.g. 10s, 500ms, 2m)");
  double scale = 0;
  if (suffix.empty() || suffix == "s") scale = 1e9;
  else if (suffix == "ms") scale = 1e6;
  else if (suffix == "us") scale = 1e3;
  else if (suffix == "ns") scale = 1;
  else if (suffix == "m") scale = 60e9;
  else if (suffix == "h") scale = 3600e9;
  else return fail("unknown duration unit \"" + suffix + "\" in \"" + text + "\"");
  double ns = amount * scale;
  if (!std::isfinite(ns) || ns < 0 || ns > 9e18) return fail("duration out of range: " + text);
  return static_cast<int64_t>(std::llround(ns));
}

std::string format_duration(int64_t duration_ns) {
  char buffer[32];
  if (duration_ns % 1'000'000'000 == 0)
    std::snprintf(buffer, sizeof buffer, "%llds", static_cast<long long>(duration_ns / 1'000'000'000));
  else if (duration_ns % 1'000'000 == 0)
    std::snprintf(buffer, sizeof buffer, "%lldms", static_cast<long long>(duration_ns / 1'000'000));
  else
    std::snprintf(buffer, sizeof buffer, "%lldns", static_cast<long long>(duration_ns));
  return buffer;
}

}  // namespace faultline
