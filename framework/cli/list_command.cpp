// faultline list (everything a scenario can name, from the registry) and faultline bugs
// (every system's planted bugs).
#include <iostream>

#include "base/text.h"
#include "framework/cli/commands.h"

namespace faultline::cli {

namespace {

std::string workload_operations(const WorkloadEntry& workload) {
  std::vector<std::string> operations;
  for (const auto& operation : workload.operations)
    operations.push_back(operation.f + "=" + std::to_string(operation.default_weight));
  return joined(operations, ":");
}

void print_options(const OptionTable& table, const char* indent) {
  for (const std::string& line : describe_options(table)) std::cout << indent << line << "\n";
}

// A system built with its defaults, to ask for its bugs; the registry's own factory.
std::vector<BugSpec> bugs_of(const SystemEntry& entry) {
  SystemConfig config{.node_count = entry.default_nodes, .workload = entry.workloads.front()};
  auto params = resolve_system_params(entry, Json::object());
  if (params) config.params = params.value();
  auto system = entry.make(config);
  return system ? system.value()->bugs() : std::vector<BugSpec>{};
}

void print_bugs(const SystemEntry& entry, const char* indent) {
  for (const auto& bug : bugs_of(entry))
    std::cout << indent << bug.name << "\n" << indent << "  " << bug.description << "\n"
              << indent << "  source: " << bug.source << "\n";
}

void list_systems(const Registry& registry) {
  std::cout << "systems (--system):\n";
  for (const auto& [name, entry] : registry.systems()) {
    std::cout << "  " << name << ": " << entry.description << "\n";
    std::cout << "    nodes " << entry.min_nodes << ".." << entry.max_nodes << " (default " << entry.default_nodes
              << "); workloads: " << joined(entry.workloads, ", ") << "\n";
    if (!entry.params.empty()) {
      std::cout << "    params (--param key=value):\n";
      print_options(entry.params, "      ");
    }
  }
}

void list_workloads(const Registry& registry) {
  std::cout << "workloads (--workload; --mix weighs the operations in this order):\n";
  for (const auto& [name, entry] : registry.workloads())
    std::cout << "  " << name << " [" << workload_operations(entry) << "]: " << entry.description << "\n";
}

void list_checkers(const Registry& registry, const std::string& program) {
  std::cout << "checkers (" << program << " check --checker NAME --option key=value):\n";
  for (const auto& [name, entry] : registry.checkers()) {
    std::cout << "  " << name << ": " << entry.description << "\n";
    print_options(entry.options, "      ");
  }
}

void list_nemeses(const Registry& registry) {
  std::cout << "fault packages (--nemesis NAME[:OPTION],...):\n";
  for (const auto& [name, entry] : registry.nemeses()) {
    std::cout << "  " << name << ": " << entry.description << "\n";
    if (!entry.options.empty()) std::cout << "      options: " << joined(entry.options, ", ") << "\n";
  }
}

void list_bugs(const Registry& registry) {
  std::cout << "planted bugs (--bug NAME):\n";
  for (const auto& [name, entry] : registry.systems()) {
    std::cout << "  " << name << ":\n";
    print_bugs(entry, "    ");
  }
}

int list(const Registry& registry, const std::string& what, const std::string& program) {
  if (what == "all" || what == "systems") list_systems(registry);
  if (what == "all" || what == "workloads") list_workloads(registry);
  if (what == "all" || what == "checkers") list_checkers(registry, program);
  if (what == "all" || what == "nemeses") list_nemeses(registry);
  if (what == "all" || what == "bugs") list_bugs(registry);
  return 0;
}

}  // namespace

void register_list_commands(CLI::App& app, CommandContext& context) {
  static std::string what = "all";
  auto* list_command = app.add_subcommand("list", "list the systems, workloads, checkers, fault packages and bugs");
  list_command->add_option("what", what, "one section: systems, workloads, checkers, nemeses, bugs")
      ->check(CLI::IsMember({"all", "systems", "workloads", "checkers", "nemeses", "bugs"}));
  list_command->callback([&context] { context.exit_code = list(context.registry, what, context.program); });

  auto* bugs_command = app.add_subcommand("bugs", "list every system's planted bugs");
  bugs_command->callback([&context] { context.exit_code = list(context.registry, "bugs", context.program); });
}

}  // namespace faultline::cli
