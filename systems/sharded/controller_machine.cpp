#include "systems/sharded/controller_machine.h"

#include <charconv>

#include "base/assert.h"

namespace faultline::sharded {

ConfigMachine::ConfigMachine(int shards, int groups, Coverage* coverage)
    : shards_(shards), groups_(groups), coverage_(coverage), configs_{genesis(shards, groups)} {}

std::optional<ShardConfig> ConfigMachine::change(const raft::Command& command) const {
  const int group = command.value.at("group").get<int>();
  FAULTLINE_ASSERT(group >= 0 && group < groups_, "a configuration change names a group of the layout");
  if (command.f == "join") return joined(latest(), group);
  if (command.f == "leave") return left(latest(), group);
  FAULTLINE_ASSERT(command.f == "move", "the controller's log holds join, leave and move");
  const int shard = command.value.at("shard").get<int>();
  FAULTLINE_ASSERT(shard >= 0 && shard < shards_, "a move names a shard of the layout");
  return moved(latest(), shard, group);
}

raft::ApplyResult ConfigMachine::apply(const raft::Command& command, bool) {
  std::optional<ShardConfig> next = change(command);
  if (next) {
    FAULTLINE_ASSERT(next->num == latest().num + 1, "configurations are numbered in sequence");
    configs_.push_back(std::move(*next));
    if (coverage_ != nullptr) ++coverage_->configs_created;
  }
  return {.ok = next.has_value(), .value = latest().num};
}

const ShardConfig* ConfigMachine::config(int64_t num) const {
  if (num < 1 || num > latest().num) return nullptr;
  return &configs_[static_cast<size_t>(num - 1)];
}

raft::ApplyResult ConfigMachine::query(const std::string& key) const {
  if (key.empty()) return {.ok = true, .value = config_to_json(latest())};
  int64_t num = 0;
  auto [end, error] = std::from_chars(key.data(), key.data() + key.size(), num);
  FAULTLINE_ASSERT(error == std::errc() && end == key.data() + key.size(), "a configuration is read by number");
  const ShardConfig* found = config(num);
  if (found == nullptr) return {.ok = false, .value = nullptr};
  return {.ok = true, .value = config_to_json(*found)};
}

Json ConfigMachine::to_json() const {
  Json configs = Json::array();
  for (const auto& config : configs_) configs.push_back(config_to_json(config));
  return {{"configs", configs}};
}

void ConfigMachine::restore(const Json& state) {
  if (state.is_null()) {
    configs_ = {genesis(shards_, groups_)};
    return;
  }
  configs_.clear();
  for (const Json& json : state.at("configs")) {
    auto config = config_from_json(json, "the controller's snapshot");
    FAULTLINE_ASSERT(config.has_value(), "the controller's snapshot holds configurations");
    FAULTLINE_ASSERT(config.value().num == static_cast<int64_t>(configs_.size()) + 1, "a snapshot's configurations are in sequence");
    configs_.push_back(std::move(config).value());
  }
  FAULTLINE_ASSERT(!configs_.empty(), "a controller holds at least the first configuration");
}

}  // namespace faultline::sharded
