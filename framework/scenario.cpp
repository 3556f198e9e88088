#include "framework/scenario.h"

#include <cmath>
#include <cstdio>
#include <limits>
#include <stdexcept>

#include "base/json_fields.h"
#include "framework/scenario_fields.h"

namespace faultline {

namespace {

// The object a field lives in: the header itself (top level) or params, nested by '.'.
Json& field_slot(Json& header, Json& params, const ScenarioField& field) {
  if (field.top_level) return header[std::string(field.header_key)];
  Json* object = &params;
  std::string_view key = field.header_key;
  for (auto dot = key.find('.'); dot != std::string_view::npos; dot = key.find('.')) {
    object = &(*object)[std::string(key.substr(0, dot))];
    key.remove_prefix(dot + 1);
  }
  return (*object)[std::string(key)];
}

const Json* find_field(const Json& header, const Json& params, const ScenarioField& field) {
  const Json* object = field.top_level ? &header : &params;
  std::string_view key = field.header_key;
  for (auto dot = key.find('.'); dot != std::string_view::npos; dot = key.find('.')) {
    auto it = object->find(std::string(key.substr(0, dot)));
    if (it == object->end() || !it->is_object()) return nullptr;
    object = &*it;
    key.remove_prefix(dot + 1);
  }
  auto it = object->find(std::string(key));
  return it == object->end() ? nullptr : &*it;
}

}  // namespace

Json scenario_to_header(const Scenario& s) {
  Json header = {{"faultline", kHistoryFormatVersion}, {"version", kFaultlineVersion},
                 {"system", s.system},  {"workload", s.workload},
                 {"nemesis", s.nemesis}};
  Json params = Json::object();
  const Scenario defaults;
  for (const ScenarioField& field : scenario_fields()) {
    if (field.omitted_when_default && field.get(s) == field.get(defaults)) continue;
    field_slot(header, params, field) = field.get(s);
  }
  params["mix"] = s.mix;
  params["bug"] = s.bug ? Json(*s.bug) : Json();
  params["system_params"] = s.system_params;
  if (s.script) params["script"] = script_to_json(*s.script);
  header["params"] = std::move(params);
  if (s.runtime != kRuntimeSim) {
    header["runtime"] = s.runtime;
    header["repro"] = "statistical";  // the same seed draws the same ops and faults, not the same interleaving
  }
  return header;
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

Result<void> read_mix(const Json& params, Scenario& s, const std::string& where) {
  auto mix = params.find("mix");
  if (mix == params.end()) return outcome::success();
  if (!mix->is_object()) return fail(where + ": header field \"mix\" is not an object of weights");
  for (const auto& [f, weight] : mix->items()) {
    if (!weight.is_number_unsigned() && !(weight.is_number_integer() && weight.get<int64_t>() >= 0))
      return fail(where + ": header field \"mix." + f + "\" must be a non-negative integer");
    s.mix[f] = weight.get<uint64_t>();
  }
  return outcome::success();
}

Result<void> read_params(const Json& header, const Json& p, Scenario& s, const std::string& where) {
  for (const ScenarioField& field : scenario_fields()) {
    const Json* value = find_field(header, p, field);
    if (value != nullptr) {
      BOOST_OUTCOME_TRYV(set_field_from_json(field, s, *value, where));
    }
  }
  BOOST_OUTCOME_TRYV(read_mix(p, s, where));
  if (auto bug = p.find("bug"); bug != p.end() && !bug->is_null()) {
    if (!bug->is_string()) return fail(where + ": header field \"bug\" is not a string");
    s.bug = bug->get<std::string>();
  }
  if (auto params = p.find("system_params"); params != p.end()) {
    if (!params->is_object()) return fail(where + ": header field \"system_params\" is not an object");
    s.system_params = *params;
  }
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
  BOOST_OUTCOME_TRYV(read_field(header, "runtime", s.runtime, where));
  const Json no_params = Json::object();
  auto params = header.find("params");
  if (params != header.end() && !params->is_object())
    return fail(where + ": header field \"params\" is not an object");
  BOOST_OUTCOME_TRYV(read_params(header, params != header.end() ? *params : no_params, s, where));
  if (auto valid = validate(s); !valid) return fail(where + ": " + valid.error().message);
  return s;
}

Json script_to_json(const Script& script) {
  Json ops = Json::array();
  for (const auto& scripted : script.ops) {
    Json op{{"at_ns", scripted.at_ns}, {"slot", scripted.slot}, {"f", scripted.op.f},
            {"value", scripted.op.value}};
    if (scripted.op.key) op["key"] = *scripted.op.key;
    if (scripted.op.node) op["node"] = *scripted.op.node;
    ops.push_back(std::move(op));
  }
  Json faults = Json::array();
  for (const auto& fault : script.faults)
    faults.push_back({{"at_ns", fault.at_ns}, {"f", fault.f}, {"value", fault.value}});
  return {{"ops", ops}, {"faults", faults}};
}

namespace {

ScriptedOp scripted_op_from_json(const Json& op) {
  ScriptedOp scripted{integer_at<int64_t>(op, "at_ns"), integer_at<int>(op, "slot"), ClientOp{}};
  scripted.op.f = op.at("f").get<std::string>();
  if (op.contains("key")) scripted.op.key = op.at("key").get<std::string>();
  if (op.contains("node")) scripted.op.node = integer_at<EndpointId>(op, "node");
  scripted.op.value = op.value("value", Json());
  return scripted;
}

}  // namespace

Result<Script> script_from_json(const Json& json, const std::string& where) {
  Script script;
  try {
    for (const auto& op : json.at("ops")) script.ops.push_back(scripted_op_from_json(op));
    for (const auto& fault : json.at("faults"))
      script.faults.push_back({integer_at<int64_t>(fault, "at_ns"), fault.at("f").get<std::string>(),
                               fault.value("value", Json())});
  } catch (const std::exception& error) {
    return fail(where + ": malformed script: " + error.what());
  }
  return script;
}

namespace {

// What a cluster of processes cannot do (docs/runtime.md): look inside every node after each
// event, keep a torn prefix of a write the kernel already took, or replay a schedule.
Result<void> check_real_runtime(const Scenario& s) {
  if (s.check_invariants)
    return fail("--check-invariants: not in real mode (invariants read every node's state after each event; "
                "the claims are the oracle there)");
  if (s.torn_writes) return fail("--torn-writes: not in real mode (the real disk keeps whole writes or none)");
  if (s.script) return fail("--runtime real: a script replays a simulated schedule; run it with --runtime sim");
  return outcome::success();
}

}  // namespace

Result<void> validate(const Scenario& s) {
  for (const ScenarioField& field : scenario_fields()) {
    BOOST_OUTCOME_TRYV(check_field(field, s));
  }
  if (s.system_params.is_discarded() || !s.system_params.is_object())
    return fail("--param: system params must be an object");
  if (s.runtime != kRuntimeSim && s.runtime != kRuntimeReal)
    return fail("--runtime: expected sim or real, got \"" + s.runtime + "\"");
  if (s.runtime == kRuntimeReal) {
    BOOST_OUTCOME_TRYV(check_real_runtime(s));
  }
  if (s.script) {
    for (const auto& op : s.script->ops)
      if (op.slot < 0 || op.slot >= s.concurrency || op.at_ns < 0 || op.at_ns > s.time_ns)
        return fail("script: an op lies outside the slots or the main phase");
    for (const auto& fault : s.script->faults)
      if (fault.at_ns < 0 || fault.at_ns > s.time_ns) return fail("script: a fault lies outside the main phase");
  }
  return outcome::success();
}

Result<void> check_replayable(const Scenario& s, const std::string& where) {
  if (s.runtime == kRuntimeSim) return outcome::success();
  return fail(where + ": a real-mode history cannot be replayed or shrunk (its interleaving was the machine's, not "
                      "the seed's); rerun it, with the same draws: faultline run " +
              scenario_flags_text(s));
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
  else if (duration_ns % 1'000 == 0)
    std::snprintf(buffer, sizeof buffer, "%lldus", static_cast<long long>(duration_ns / 1'000));
  else
    std::snprintf(buffer, sizeof buffer, "%lldns", static_cast<long long>(duration_ns));
  return buffer;
}

}  // namespace faultline
