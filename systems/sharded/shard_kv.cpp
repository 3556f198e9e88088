#include "systems/sharded/shard_kv.h"

#include <algorithm>
#include <array>

#include "base/assert.h"
#include "framework/random.h"

namespace faultline::sharded {

namespace {

constexpr std::array<const char*, 4> kStateNames = {"absent", "serving", "pulling", "sending"};

const char* state_name(ShardState state) { return kStateNames[static_cast<size_t>(state)]; }

ShardState state_from_name(const std::string& name) {
  for (size_t i = 0; i < kStateNames.size(); ++i)
    if (name == kStateNames[i]) return static_cast<ShardState>(i);
  FAULTLINE_ASSERT(false, "a shard state this store wrote");
  return ShardState::absent;
}

bool is_migration_step(const std::string& f) { return f == "config" || f == "install" || f == "gc" || f == "gc-done"; }

}  // namespace

uint64_t shard_digest(const raft::KvStore& store) { return stable_hash(store.to_json().dump()); }

ShardKv::ShardKv(const Layout& layout, int group, Coverage* coverage, Bugs bugs)
    : layout_(layout), group_(group), coverage_(coverage), bugs_(bugs) {
  restore(nullptr);
}

const ShardRecord& ShardKv::shard(int shard) const {
  FAULTLINE_ASSERT(shard >= 0 && static_cast<size_t>(shard) < shards_.size(), "a shard of the layout");
  return shards_[static_cast<size_t>(shard)];
}

bool ShardKv::settled() const {
  return std::all_of(shards_.begin(), shards_.end(), [](const ShardRecord& r) {
    return r.state == ShardState::absent || r.state == ShardState::serving;
  });
}

raft::ApplyResult ShardKv::wrong_group() const { return {.ok = false, .value = nullptr, .wrong_group = config_.num}; }

bool ShardKv::takes_commands(const ShardRecord& record) const {
  if (record.state == ShardState::serving) return true;
  if (bugs_.serves_while_sending && record.state == ShardState::sending) return true;  // planted: no freeze
  return bugs_.serves_moved_out && record.state == ShardState::absent && record.num > 0;  // planted: a former owner
}

bool ShardKv::serves_reads(const ShardRecord& record) const {
  if (takes_commands(record)) return true;
  if (bugs_.reads_while_pulling && record.state == ShardState::pulling) return true;  // planted: before the install
  return bugs_.keeps_orphans_readable && record.state == ShardState::absent && record.num > 0;  // planted: orphans
}

raft::ApplyResult ShardKv::apply(const raft::Command& command, bool dedup) {
  if (!is_migration_step(command.f)) return apply_client(command, dedup);
  FAULTLINE_ASSERT(command.client == 0, "migration steps come from the group itself, not a client");
  if (command.f == "config") return apply_config(command.value);
  if (command.f == "install") return apply_install(command.value);
  if (command.f == "gc") return apply_gc(command.value);
  const bool erased = gc_notices_.erase({command.value.at("shard").get<int>(), command.value.at("num").get<int64_t>()});
  return {.ok = erased, .value = config_.num};
}

// Only the next configuration, and only once every earlier move finished here: a group at
// configuration n has sent and received everything n asked of it (the order that makes
// moves terminate: each source waits only for destinations of the same configuration).
raft::ApplyResult ShardKv::apply_config(const Json& value) {
  auto next = config_from_json(value.at("config"), "a config entry");
  FAULTLINE_ASSERT(next.has_value(), "a group logs configurations the controller made");
  if (next.value().num != config_.num + 1 || !settled()) return {.ok = false, .value = config_.num};
  FAULTLINE_ASSERT(next.value().owner.size() == shards_.size(), "configurations cover the layout's shards");
  for (size_t s = 0; s < shards_.size(); ++s) {
    const bool was_mine = config_.owner[s] == group_, mine = next.value().owner[s] == group_;
    ShardRecord& record = shards_[s];
    FAULTLINE_ASSERT(was_mine == (record.state == ShardState::serving), "a settled group serves exactly its shards");
    if (was_mine == mine) continue;
    if (coverage_ != nullptr && was_mine) ++coverage_->shards_frozen;
    record.num = next.value().num;
    record.state = was_mine ? ShardState::sending : ShardState::pulling;
    record.peer = was_mine ? next.value().owner[s] : config_.owner[s];
  }
  config_ = std::move(next).value();
  if (coverage_ != nullptr) ++coverage_->configs_learned;
  return {.ok = true, .value = config_.num};
}

raft::ApplyResult ShardKv::apply_install(const Json& value) {
  const int s = value.at("shard").get<int>();
  const int64_t num = value.at("num").get<int64_t>();
  ShardRecord& record = shards_.at(static_cast<size_t>(s));
  if (record.state != ShardState::pulling || record.num != num) return {.ok = false, .value = config_.num};  // a duplicate
  Json store = value.at("store");
  if (bugs_.install_drops_sessions) store["sessions"] = Json::array();  // planted: sessions stay behind
  record.store.restore(store);
  record.installed_digest = shard_digest(record.store);
  record.state = ShardState::serving;
  gc_notices_[{s, num}] = record.peer;
  record.peer = -1;
  if (coverage_ != nullptr) ++coverage_->shards_installed;
  return {.ok = true, .value = config_.num};
}

raft::ApplyResult ShardKv::apply_gc(const Json& value) {
  const int s = value.at("shard").get<int>();
  const int64_t num = value.at("num").get<int64_t>();
  ShardRecord& record = shards_.at(static_cast<size_t>(s));
  if (record.state != ShardState::sending || record.num != num) return {.ok = false, .value = config_.num};
  if (!bugs_.keeps_orphans_readable) record.store = raft::KvStore{};  // planted: the orphan stays
  record.state = ShardState::absent;
  record.peer = -1;
  record.installed_digest = 0;
  if (coverage_ != nullptr) ++coverage_->shards_collected;
  return {.ok = true, .value = config_.num};
}

raft::ApplyResult ShardKv::apply_client(const raft::Command& command, bool dedup) {
  ShardRecord& record = shards_[static_cast<size_t>(layout_.shard_of(command.key))];
  if (!takes_commands(record)) {
    if (coverage_ != nullptr) ++coverage_->wrong_group_replies;
    return wrong_group();  // never recorded in a session
  }
  return record.store.apply(command, dedup);
}

std::optional<raft::ApplyResult> ShardKv::cached(const raft::Command& command) const {
  const ShardRecord& record = shard(layout_.shard_of(command.key));
  if (!takes_commands(record)) return std::nullopt;
  return record.store.cached(command);
}

raft::ApplyResult ShardKv::query(const std::string& key) const {
  const ShardRecord& record = shard(layout_.shard_of(key));
  if (!serves_reads(record)) {
    if (coverage_ != nullptr) ++coverage_->wrong_group_replies;
    return wrong_group();
  }
  return {.ok = true, .value = record.store.read(key)};
}

Json ShardKv::to_json() const {
  Json shards = Json::array();
  for (const auto& record : shards_)
    shards.push_back({{"state", state_name(record.state)}, {"num", record.num}, {"peer", record.peer},
                      {"store", record.store.to_json()}, {"installed_digest", record.installed_digest}});
  Json notices = Json::array();
  for (const auto& [key, source] : gc_notices_) notices.push_back({key.first, key.second, source});
  return {{"config", config_to_json(config_)}, {"shards", shards}, {"gc_notices", notices}};
}

void ShardKv::restore(const Json& state) {
  shards_.assign(static_cast<size_t>(layout_.shards), ShardRecord{});
  gc_notices_.clear();
  if (state.is_null()) {
    config_ = genesis(layout_.shards, layout_.groups);
    for (size_t s = 0; s < shards_.size(); ++s)
      if (config_.owner[s] == group_) shards_[s] = ShardRecord{.state = ShardState::serving, .num = 1};
    return;
  }
  auto config = config_from_json(state.at("config"), "a group's snapshot");
  FAULTLINE_ASSERT(config.has_value(), "a group's snapshot holds its configuration");
  config_ = std::move(config).value();
  const Json& shards = state.at("shards");
  FAULTLINE_ASSERT(shards.size() == shards_.size(), "a group's snapshot holds every shard");
  for (size_t s = 0; s < shards_.size(); ++s) {
    ShardRecord& record = shards_[s];
    record.state = state_from_name(shards[s].at("state").get<std::string>());
    record.num = shards[s].at("num").get<int64_t>();
    record.peer = shards[s].at("peer").get<int>();
    record.store.restore(shards[s].at("store"));
    record.installed_digest = shards[s].at("installed_digest").get<uint64_t>();
  }
  for (const Json& row : state.at("gc_notices")) gc_notices_[{row[0].get<int>(), row[1].get<int64_t>()}] = row[2].get<int>();
}

}  // namespace faultline::sharded
