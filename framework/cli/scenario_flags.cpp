#include "framework/cli/scenario_flags.h"

#include "base/text.h"
#include "framework/scenario_fields.h"

namespace faultline::cli {

namespace {

template <class Entries>
std::string names_of(const Entries& entries) {
  std::vector<std::string> names;
  for (const auto& [name, entry] : entries) names.push_back(name);
  return joined(names, ", ");
}

// --nemesis help, from the registry: every package with its options.
std::string nemesis_help(const Registry& registry) {
  std::vector<std::string> packages;
  for (const auto& [name, entry] : registry.nemeses())
    packages.push_back(entry.options.empty() ? name : name + "[:" + joined(entry.options, "|") + "]");
  return "fault packages, comma-separated (one is drawn per fault): " + joined(packages, ", ") +
         "; \"all\": each seed draws its own faults, cluster, load and timing (swarm; campaign's default); "
         "\"none\": no faults";
}

void add_table_flags(CLI::App& command, ScenarioFlags& flags) {
  const Scenario defaults;
  for (const ScenarioField& field : scenario_fields()) {
    const std::string flag(field.flag);
    if (field.kind == FieldKind::flag || field.kind == FieldKind::negated_flag) {
      command.add_flag_callback(flag, [&flags, flag] { flags.given[flag] = ""; }, std::string(field.help));
      continue;
    }
    std::string help(field.help);
    if (flag != "--nodes") help += " (default " + field_text(field, defaults) + ")";
    command.add_option_function<std::string>(flag, [&flags, flag](const std::string& text) { flags.given[flag] = text; },
                                             help);
  }
}

// "--mix 2:1:1" weighs the workload's operations in their order; "--mix read=2,cas=0" by name.
Result<std::map<std::string, uint64_t>> parse_mix(const std::string& text, const WorkloadEntry& workload) {
  std::vector<std::string> order;
  for (const auto& operation : workload.operations) order.push_back(operation.f);
  const std::string expected = "--mix: expected weights " + joined(order, ":") + " (e.g. " +
                               joined(std::vector<std::string>(order.size(), "1"), ":") + ") or name=weight,..., got \"" +
                               text + "\"";
  const bool by_name = text.find('=') != std::string::npos;
  std::map<std::string, uint64_t> mix;
  size_t position = 0;
  for (size_t start = 0; start <= text.size(); ++position) {
    size_t end = text.find(by_name ? ',' : ':', start);
    if (end == std::string::npos) end = text.size();
    std::string item = text.substr(start, end - start);
    start = end + 1;
    std::string name = by_name ? item.substr(0, item.find('=')) : (position < order.size() ? order[position] : "");
    std::string weight = by_name ? item.substr(std::min(item.size(), item.find('=') + 1)) : item;
    // At most 19 digits, so the number fits 64 bits; its bound (2^40, as for a history's
    // header) is check_workload's, which names it.
    if (name.empty() || weight.empty() || weight.size() > 19 || weight.find_first_not_of("0123456789") != std::string::npos)
      return fail(expected);
    if (mix.count(name)) return fail("--mix: \"" + name + "\" is weighed twice");
    mix[name] = std::stoull(weight);
  }
  if (!by_name && mix.size() != order.size()) return fail(expected);
  return mix;
}

Result<Json> parse_params(const std::vector<std::string>& assignments) {
  Json params = Json::object();
  for (const std::string& text : assignments) {
    auto parsed = parse_assignment(text);
    if (!parsed) return fail("--param: " + parsed.error().message);
    auto [name, value] = std::move(parsed).value();
    if (params.contains(name)) return fail("--param: \"" + name + "\" is given twice");
    params[name] = std::move(value);
  }
  return params;
}

// The workload's full mix (defaults filled in), so the header states every weight.
std::map<std::string, uint64_t> full_mix(const WorkloadEntry& workload, const Scenario& s) {
  std::map<std::string, uint64_t> mix;
  std::vector<uint64_t> weights = operation_weights(workload, s);
  for (size_t i = 0; i < workload.operations.size(); ++i) mix[workload.operations[i].f] = weights[i];
  return mix;
}

}  // namespace

Result<std::vector<std::string>> split_packages(const std::string& text) {
  std::vector<std::string> packages;
  for (size_t start = 0; start <= text.size();) {
    size_t end = std::min(text.find(',', start), text.size());
    if (end == start) return fail("--nemesis: an empty fault name in \"" + text + "\" (a stray comma?)");
    packages.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return packages;
}

void add_scenario_flags(CLI::App& command, ScenarioFlags& f, const Registry& registry) {
  command.add_option("--system", f.system, "system under test: " + names_of(registry.systems()))->capture_default_str();
  command.add_option("--workload", f.workload, "client workload (default: the system's first): " +
                                                    names_of(registry.workloads()));
  command.add_option("--nemesis", f.nemesis, nemesis_help(registry));
  command.add_option("--mix", f.mix, "weights of the workload's operations, in its order (a:b:c) or by name (read=2,cas=0)");
  command.add_option("--bug", f.bug, "a planted bug to switch on (see faultline list)");
  command.add_option("--param", f.params, "a system setting, key=value (repeatable; see faultline list)")
      ->allow_extra_args(false);
  command.add_option("--runtime", f.runtime,
                     "sim: the deterministic simulator; real: one process per node on loopback (docs/runtime.md)")
      ->capture_default_str();
  add_table_flags(command, f);
}

Result<Scenario> to_scenario(const ScenarioFlags& f, const Registry& registry) {
  Scenario s;
  const SystemEntry* system = registry.system(f.system);
  if (system == nullptr) return fail("--system: unknown system \"" + f.system + "\" (known: " + names_of(registry.systems()) + ")");
  s.system = f.system;
  s.workload = f.workload.value_or(system->workloads.front());
  const WorkloadEntry* workload = registry.workload(s.workload);
  if (workload == nullptr)
    return fail("--workload: unknown workload \"" + s.workload + "\" (known: " + names_of(registry.workloads()) + ")");
  if (f.nemesis && *f.nemesis != "none") {
    BOOST_OUTCOME_TRY(packages, split_packages(*f.nemesis));
    s.nemesis = std::move(packages);
  }
  s.node_count = system->default_nodes;
  for (const ScenarioField& field : scenario_fields()) {
    auto given = f.given.find(std::string(field.flag));
    if (given != f.given.end()) {
      BOOST_OUTCOME_TRYV(set_field_from_text(field, s, given->second));
    }
  }
  if (f.mix) {
    BOOST_OUTCOME_TRY(mix, parse_mix(*f.mix, *workload));
    s.mix = std::move(mix);
    BOOST_OUTCOME_TRYV(check_workload(*workload, s));  // before the defaults hide a stray name
  }
  s.mix = full_mix(*workload, s);
  s.bug = f.bug;
  s.runtime = f.runtime;
  if (s.runtime == kRuntimeReal && !registry.real_runtime())
    return fail("--runtime real: this program does not link the real runtime");
  BOOST_OUTCOME_TRY(params, parse_params(f.params));
  s.system_params = std::move(params);
  if (system->layout_nodes && !f.given.count("--nodes")) {
    BOOST_OUTCOME_TRY(resolved, resolve_system_params(*system, s.system_params));
    s.node_count = system->layout_nodes(resolved);
  }
  BOOST_OUTCOME_TRYV(registry.check_scenario(s));
  return s;
}

}  // namespace faultline::cli
