#include "systems/sharded/shard_config.h"

#include <algorithm>
#include <map>

#include "base/assert.h"

namespace faultline::sharded {

namespace {

std::map<int, std::vector<int>> shards_by_member(const ShardConfig& config) {
  std::map<int, std::vector<int>> by_member;
  for (int member : config.members) by_member[member];
  for (size_t shard = 0; shard < config.owner.size(); ++shard) {
    auto found = by_member.find(config.owner[shard]);
    if (found != by_member.end()) found->second.push_back(static_cast<int>(shard));
  }
  return by_member;
}

int least_loaded(const std::map<int, std::vector<int>>& by_member) {
  return std::min_element(by_member.begin(), by_member.end(),
                          [](const auto& a, const auto& b) { return a.second.size() < b.second.size(); })
      ->first;
}

int most_loaded(const std::map<int, std::vector<int>>& by_member) {
  return std::max_element(by_member.begin(), by_member.end(),
                          [](const auto& a, const auto& b) { return a.second.size() < b.second.size(); })
      ->first;
}

// Orphans (shards whose owner is no member) first, then one shard at a time from the most to
// the least loaded member. min/max_element return the first of equals: the lowest group id.
void rebalance(ShardConfig& config) {
  FAULTLINE_ASSERT(!config.members.empty(), "a configuration has a member");
  auto by_member = shards_by_member(config);
  for (size_t shard = 0; shard < config.owner.size(); ++shard) {
    if (config.members.count(config.owner[shard])) continue;
    const int to = least_loaded(by_member);
    config.owner[shard] = to;
    by_member[to].push_back(static_cast<int>(shard));
  }
  while (true) {
    const int from = most_loaded(by_member), to = least_loaded(by_member);
    if (by_member[from].size() <= by_member[to].size() + 1) return;
    const int shard = by_member[from].back();
    by_member[from].pop_back();
    config.owner[shard] = to;
    by_member[to].push_back(shard);
  }
}

std::optional<ShardConfig> next_if_changed(const ShardConfig& config, ShardConfig next) {
  if (next.members == config.members && next.owner == config.owner) return std::nullopt;
  next.num = config.num + 1;
  return next;
}

}  // namespace

ShardConfig genesis(int shards, int groups) {
  FAULTLINE_ASSERT(shards >= 1 && groups >= 1, "a layout has shards and groups");
  ShardConfig config{.num = 1};
  for (int group = 0; group < groups; ++group) config.members.insert(group);
  for (int shard = 0; shard < shards; ++shard) config.owner.push_back(shard % groups);
  return config;
}

std::optional<ShardConfig> joined(const ShardConfig& config, int group) {
  if (config.members.count(group)) return std::nullopt;
  ShardConfig next = config;
  next.members.insert(group);
  rebalance(next);
  return next_if_changed(config, std::move(next));
}

std::optional<ShardConfig> left(const ShardConfig& config, int group) {
  if (!config.members.count(group) || config.members.size() == 1) return std::nullopt;
  ShardConfig next = config;
  next.members.erase(group);
  rebalance(next);
  return next_if_changed(config, std::move(next));
}

std::optional<ShardConfig> moved(const ShardConfig& config, int shard, int group) {
  FAULTLINE_ASSERT(shard >= 0 && static_cast<size_t>(shard) < config.owner.size(), "a shard of the layout");
  if (!config.members.count(group)) return std::nullopt;
  ShardConfig next = config;
  next.owner[shard] = group;
  return next_if_changed(config, std::move(next));
}

Json config_to_json(const ShardConfig& config) {
  return {{"num", config.num}, {"members", config.members}, {"owner", config.owner}};
}

Result<ShardConfig> config_from_json(const Json& json, const std::string& where) {
  try {
    ShardConfig config{.num = json.at("num").get<int64_t>(),
                       .members = json.at("members").get<std::set<int>>(),
                       .owner = json.at("owner").get<std::vector<int>>()};
    if (config.num < 1 || config.members.empty()) return fail(where + ": not a shard configuration");
    for (int owner : config.owner)
      if (!config.members.count(owner)) return fail(where + ": a shard owned by a group that is not a member");
    return config;
  } catch (const Json::exception& error) {
    return fail(where + ": not a shard configuration: " + error.what());
  }
}

}  // namespace faultline::sharded
