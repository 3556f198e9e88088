#include "framework/scenario_fields.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>

namespace faultline {

namespace {

constexpr double kSecond_ns = 1e9;
constexpr double kHour_ns = 3600 * kSecond_ns;

// A row: `ref` is a generic lambda returning the member, for const and non-const scenarios.
enum class Placement { params, top_level, params_when_changed };

template <class Ref>
ScenarioField row(std::string_view header_key, std::string_view flag, std::string_view help, FieldKind kind,
                  double min, double max, Ref ref, Placement placement = Placement::params) {
  using Value = std::remove_cvref_t<decltype(ref(std::declval<Scenario&>()))>;
  return ScenarioField{
      .header_key = header_key,
      .flag = flag,
      .help = help,
      .kind = kind,
      .min = min,
      .max = max,
      .top_level = placement == Placement::top_level,
      .omitted_when_default = placement == Placement::params_when_changed,
      .get = [ref](const Scenario& s) { return Json(ref(s)); },
      .set = [ref](Scenario& s, const Json& value) { ref(s) = value.get<Value>(); },
  };
}

std::vector<ScenarioField> make_fields() {
  const double max_int = 2147483647.0;
  return {
      row("seed", "--seed", "the seed every random choice derives from", FieldKind::seed, 0, 18446744073709551615.0,
          [](auto& s) -> auto& { return s.seed; }, Placement::top_level),
      row("time_ns", "--time", "length of the main phase (faults on), e.g. 30s", FieldKind::duration, 1, 24 * kHour_ns,
          [](auto& s) -> auto& { return s.time_ns; }),
      row("nemesis_interval_ns", "--nemesis-interval", "time between fault starts and stops", FieldKind::duration,
          1e6, 24 * kHour_ns, [](auto& s) -> auto& { return s.nemesis_interval_ns; }),
      row("nemesis_overlap", "--nemesis-overlap", "at most this many faults (of different packages) at once",
          FieldKind::count, 1, 8, [](auto& s) -> auto& { return s.nemesis_overlap; }, Placement::params_when_changed),
      row("nemesis_heavy_tailed", "--nemesis-heavy-tailed",
          "draw fault gaps and durations from a heavy-tailed distribution around --nemesis-interval",
          FieldKind::flag, 0, 1, [](auto& s) -> auto& { return s.nemesis_heavy_tailed; },
          Placement::params_when_changed),
      row("quiesce_ns", "--quiesce", "quiet time after healing, before the final reads", FieldKind::duration, 0,
          kHour_ns, [](auto& s) -> auto& { return s.quiesce_ns; }),
      row("op_timeout_ns", "--op-timeout", "an op still open after this ends as info", FieldKind::duration, 1e3,
          kHour_ns, [](auto& s) -> auto& { return s.op_timeout_ns; }),
      row("nodes", "--nodes", "cluster size (default: the system's)", FieldKind::count, 1, 64,
          [](auto& s) -> auto& { return s.node_count; }),
      row("concurrency", "--concurrency", "logical client processes", FieldKind::count, 1, 1000,
          [](auto& s) -> auto& { return s.concurrency; }),
      row("clients_per_node", "--clients-per-node",
          "bind each client process to one node (process mod nodes) and address every op to it, as Jepsen does",
          FieldKind::flag, 0, 1, [](auto& s) -> auto& { return s.clients_per_node; }, Placement::params_when_changed),
      row("keys", "--keys", "number of keys", FieldKind::count, 1, 100000, [](auto& s) -> auto& { return s.key_count; }),
      row("value_range", "--value-range", "values drawn in [0, N) (counter amounts in [1, N])", FieldKind::count, 1,
          max_int, [](auto& s) -> auto& { return s.value_range; }),
      row("rate_hz", "--rate", "offered load, ops per simulated second", FieldKind::number, 1e-3, 1e6,
          [](auto& s) -> auto& { return s.rate_hz; }),
      row("link.latency_ns_base", "--latency", "one-way network latency floor", FieldKind::duration, 0,
          10 * kSecond_ns, [](auto& s) -> auto& { return s.link.latency_ns_base; }),
      row("link.latency_ns_jitter", "--jitter", "extra uniform network delay (reorders messages)", FieldKind::duration,
          0, 10 * kSecond_ns, [](auto& s) -> auto& { return s.link.latency_ns_jitter; }),
      row("link.loss_probability", "--loss", "probability a message is lost", FieldKind::number, 0, 1,
          [](auto& s) -> auto& { return s.link.loss_probability; }),
      row("link.duplicate_probability", "--duplicate", "probability a message is duplicated", FieldKind::number, 0, 1,
          [](auto& s) -> auto& { return s.link.duplicate_probability; }),
      row("final_reads", "--no-final-reads", "skip the final per-node reads", FieldKind::negated_flag, 0, 1,
          [](auto& s) -> auto& { return s.final_reads; }),
      row("codec_roundtrip", "--codec-roundtrip", "encode and decode every message", FieldKind::flag, 0, 1,
          [](auto& s) -> auto& { return s.codec_roundtrip; }),
      row("torn_writes", "--torn-writes", "a power loss may keep a torn tail of unsynced writes", FieldKind::flag, 0,
          1, [](auto& s) -> auto& { return s.torn_writes; }),
      row("check_invariants", "--check-invariants", "check protocol invariants after every event", FieldKind::flag,
          0, 1, [](auto& s) -> auto& { return s.check_invariants; }),
      row("limits.max_events", "--max-events", "stop the run with an error after this many simulator events",
          FieldKind::count, 1000, 1e12, [](auto& s) -> auto& { return s.max_events; }, Placement::params_when_changed),
      row("limits.max_history_ops", "--max-ops", "stop the run with an error once its history holds this many lines",
          FieldKind::count, 100, 1e9, [](auto& s) -> auto& { return s.max_history_ops; },
          Placement::params_when_changed),
  };
}

// 1 rather than 1.0, 0.001 as itself.
std::string number_text(double value) {
  if (value == std::floor(value) && std::fabs(value) < 1e15) return std::to_string(static_cast<int64_t>(value));
  return Json(value).dump();
}

std::string bounds_text(const ScenarioField& field) {
  if (field.kind == FieldKind::duration)
    return "[" + format_duration(static_cast<int64_t>(field.min)) + ", " +
           format_duration(static_cast<int64_t>(field.max)) + "]";
  return "[" + number_text(field.min) + ", " + number_text(field.max) + "]";
}

Result<void> within_bounds(const ScenarioField& field, double value, const std::string& shown) {
  if (!(value >= field.min && value <= field.max))
    return fail(std::string(field.flag) + " must be in " + bounds_text(field) + ", got " + shown);
  return outcome::success();
}

// A whole decimal integer (no sign unless negative numbers are in range, no spaces).
Result<Json> parse_integer(const ScenarioField& field, const std::string& text) {
  errno = 0;
  char* end = nullptr;
  bool digits_only = !text.empty() && text.find_first_not_of("0123456789-") == std::string::npos;
  if (field.kind == FieldKind::seed) {
    unsigned long long value = std::strtoull(text.c_str(), &end, 10);
    if (!digits_only || text[0] == '-' || errno == ERANGE || *end != '\0')
      return fail(std::string(field.flag) + ": expected a non-negative integer below 2^64, got \"" + text + "\"");
    return Json(static_cast<uint64_t>(value));
  }
  long long value = std::strtoll(text.c_str(), &end, 10);
  if (!digits_only || errno == ERANGE || *end != '\0')
    return fail(std::string(field.flag) + ": expected an integer, got \"" + text + "\"");
  BOOST_OUTCOME_TRYV(within_bounds(field, static_cast<double>(value), text));
  return Json(static_cast<int64_t>(value));
}

Result<Json> parse_number(const ScenarioField& field, const std::string& text) {
  errno = 0;
  char* end = nullptr;
  double value = std::strtod(text.c_str(), &end);
  if (text.empty() || *end != '\0' || errno == ERANGE || !std::isfinite(value))
    return fail(std::string(field.flag) + ": expected a number, got \"" + text + "\"");
  BOOST_OUTCOME_TRYV(within_bounds(field, value, text));
  return Json(value);
}

}  // namespace

const std::vector<ScenarioField>& scenario_fields() {
  static const std::vector<ScenarioField> fields = make_fields();
  return fields;
}

Result<void> set_field_from_text(const ScenarioField& field, Scenario& s, const std::string& text) {
  Json value;
  switch (field.kind) {
    case FieldKind::duration: {
      auto parsed = parse_duration_ns(text);
      if (!parsed) return fail(std::string(field.flag) + ": " + parsed.error().message);
      BOOST_OUTCOME_TRYV(within_bounds(field, static_cast<double>(parsed.value()), text));
      value = parsed.value();
      break;
    }
    case FieldKind::seed:
    case FieldKind::count: {
      BOOST_OUTCOME_TRY(parsed, parse_integer(field, text));
      value = parsed;
      break;
    }
    case FieldKind::number: {
      BOOST_OUTCOME_TRY(parsed, parse_number(field, text));
      value = parsed;
      break;
    }
    case FieldKind::flag: value = true; break;
    case FieldKind::negated_flag: value = false; break;
  }
  field.set(s, value);
  return outcome::success();
}

Result<void> set_field_from_json(const ScenarioField& field, Scenario& s, const Json& value,
                                 const std::string& where) {
  const std::string name = "header field \"" + std::string(field.header_key) + "\"";
  switch (field.kind) {
    case FieldKind::flag:
    case FieldKind::negated_flag:
      if (!value.is_boolean()) return fail(where + ": " + name + " must be true or false");
      break;
    case FieldKind::seed:
      if (!value.is_number_unsigned() && !(value.is_number_integer() && value.get<int64_t>() >= 0))
        return fail(where + ": " + name + " must be a non-negative integer below 2^64");
      break;
    case FieldKind::duration:
    case FieldKind::count:
      if (!value.is_number_integer()) return fail(where + ": " + name + " must be an integer");
      if (!(value.get<double>() >= field.min && value.get<double>() <= field.max))
        return fail(where + ": " + name + " must be in " + bounds_text(field) + ", got " + value.dump());
      break;
    case FieldKind::number:
      if (!value.is_number() || !(value.get<double>() >= field.min && value.get<double>() <= field.max))
        return fail(where + ": " + name + " must be a number in " + bounds_text(field) + ", got " + value.dump());
      break;
  }
  field.set(s, value);
  return outcome::success();
}

std::string field_text(const ScenarioField& field, const Scenario& s) {
  Json value = field.get(s);
  if (field.kind == FieldKind::duration) return format_duration(value.get<int64_t>());
  return value.dump();  // the shortest text that reads back as the same number
}

Result<void> check_field(const ScenarioField& field, const Scenario& s) {
  Json value = field.get(s);
  if (field.kind == FieldKind::flag || field.kind == FieldKind::negated_flag || field.kind == FieldKind::seed)
    return outcome::success();
  return within_bounds(field, value.get<double>(), field_text(field, s));
}

std::string scenario_flags_text(const Scenario& s) {
  const Scenario defaults;
  std::string text = "--system " + s.system + " --workload " + s.workload;
  if (!s.nemesis.empty()) {
    text += " --nemesis ";
    for (size_t i = 0; i < s.nemesis.size(); ++i) text += (i ? "," : "") + s.nemesis[i];
  }
  if (s.bug) text += " --bug " + *s.bug;
  if (s.runtime != kRuntimeSim) text += " --runtime " + s.runtime;
  for (const ScenarioField& field : scenario_fields()) {
    const bool always = field.flag == "--seed" || field.flag == "--nodes";
    if (!always && field.get(s) == field.get(defaults)) continue;
    text += " " + std::string(field.flag);
    if (field.kind != FieldKind::flag && field.kind != FieldKind::negated_flag) text += " " + field_text(field, s);
  }
  if (!s.mix.empty()) {
    std::string mix;
    for (const auto& [f, weight] : s.mix) mix += (mix.empty() ? "" : ",") + f + "=" + std::to_string(weight);
    text += " --mix " + mix;
  }
  for (const auto& [key, value] : s.system_params.items()) {
    std::string shown = value.is_string() ? value.get<std::string>() : value.dump();
    text += " --param " + key + "=" + shown;
  }
  return text;
}

}  // namespace faultline
