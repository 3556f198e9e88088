#include "systems/sharded/config.h"

#include <cmath>

namespace faultline::sharded {

namespace {

// The rows this store adds to raft's.
OptionTable own_rows() {
  return {
      {.name = "groups", .type = OptionType::integer, .default_value = 3, .description = "replica groups", .min = 1, .max = 8},
      {.name = "group_size", .type = OptionType::integer, .default_value = 3,
       .description = "nodes per replica group (a Raft group each)", .min = 1, .max = 7},
      {.name = "shards", .type = OptionType::integer, .default_value = 16,
       .description = "shards the keys hash into", .min = 1, .max = 1024},
      {.name = "controller_size", .type = OptionType::integer, .default_value = 3,
       .description = "nodes of the shard controller's Raft group", .min = 1, .max = 7},
      {.name = "migration_tick_ms", .type = OptionType::number, .default_value = 100,
       .description = "how often a group's leader polls for the next configuration and drives its moves",
       .min = 1, .max = 10000},
      {.name = "client_backoff_ms", .type = OptionType::number, .default_value = 20,
       .description = "a client's wait before retrying a key whose group does not serve it yet", .min = 1, .max = 10000},
  };
}

bool is_own(const std::string& name) {
  for (const auto& row : own_rows())
    if (row.name == name) return true;
  return false;
}

int64_t ms_to_ns(const Json& value) { return std::llround(value.get<double>() * raft::kMillisecond); }

}  // namespace

const OptionTable& param_table() {
  static const OptionTable table = [] {
    OptionTable rows = raft::param_table();
    for (auto& row : own_rows()) rows.push_back(std::move(row));
    return rows;
  }();
  return table;
}

Result<Options> parse_options(const SystemConfig& config) {
  BOOST_OUTCOME_TRY(params, resolve_options(param_table(), config.params, "sharded --param"));
  Options options;
  BOOST_OUTCOME_TRY(bugs, bugs_from_name(config.bug));
  options.bugs = bugs;
  options.workload = config.workload;
  options.layout = Layout{.controller_size = params.at("controller_size").get<int>(),
                          .groups = params.at("groups").get<int>(),
                          .group_size = params.at("group_size").get<int>(),
                          .shards = params.at("shards").get<int>()};
  options.migration_tick_ns = ms_to_ns(params.at("migration_tick_ms"));
  options.client_backoff_ns = ms_to_ns(params.at("client_backoff_ms"));
  if (config.node_count != options.layout.node_count())
    return fail("sharded: --nodes must be controller_size + groups * group_size = " +
                std::to_string(options.layout.node_count()) + ", got " + std::to_string(config.node_count));
  Json raft_params = Json::object();
  for (const auto& [name, value] : params.items())
    if (!is_own(name)) raft_params[name] = value;
  BOOST_OUTCOME_TRY(raft, raft::parse_options(SystemConfig{.node_count = config.node_count, .params = raft_params}));
  options.raft = raft;
  return options;
}

}  // namespace faultline::sharded
