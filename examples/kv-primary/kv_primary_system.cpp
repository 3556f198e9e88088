// What faultline needs to know about kv-primary besides the protocol: its claims, its
// planted bug, its codec, who the primary is, one protocol invariant, and its registry entry.
#include <algorithm>

#include "framework/claims.h"
#include "kv_primary.h"

namespace kvp {

using namespace faultline;

namespace {

// After every simulated event (--check-invariants): each backup's log is a prefix of the
// primary's, since only the primary decides and it ships only what it made durable.
class BackupLogIsPrefix final : public InvariantChecker {
 public:
  std::optional<std::string> check(std::span<Node* const> nodes) override {
    const auto* primary = dynamic_cast<const StoreNode*>(nodes[0]);
    for (size_t backup = 1; primary != nullptr && backup < nodes.size(); ++backup) {
      const auto* node = dynamic_cast<const StoreNode*>(nodes[backup]);
      if (node == nullptr) continue;  // down
      const auto& held = node->log();
      const auto& decided = primary->log();
      if (held.size() > decided.size() || !std::equal(held.begin(), held.end(), decided.begin()))
        return "backup " + std::to_string(backup) + "'s log is not a prefix of the primary's";
    }
    return std::nullopt;
  }
};

class KvPrimary final : public System {
 public:
  explicit KvPrimary(bool ack_before_backup) : ack_before_backup_(ack_before_backup) {}
  std::string name() const override { return "kv-primary"; }
  std::vector<ClaimSpec> claims() const override {
    return {claims::linearizable("kv"), claims::liveness()};
  }
  std::vector<BugSpec> bugs() const override {
    return {{kBugAckBeforeBackup,
             "the primary acks an update once on its own disk, not waiting for the backups, and clients read "
             "from backups: a read can miss an acknowledged write",
             "asynchronous replication with replica reads, e.g. MongoDB w:1 with readPreference secondary, "
             "PostgreSQL hot-standby reads with synchronous_commit=local"}};
  }
  std::unique_ptr<Node> make_node(Env& env) const override {
    return std::make_unique<StoreNode>(env, ack_before_backup_);
  }
  std::unique_ptr<Client> make_client(ClientEnv& env) const override {
    return std::make_unique<StoreClient>(env, ack_before_backup_);
  }
  const MessageCodec& codec() const override { return codec_; }
  std::optional<EndpointId> leader(std::span<Node* const> nodes) const override {
    return nodes[0] != nullptr ? std::optional<EndpointId>(0) : std::nullopt;
  }
  std::unique_ptr<InvariantChecker> make_invariant_checker() const override {
    return std::make_unique<BackupLogIsPrefix>();
  }

 private:
  bool ack_before_backup_;
  JsonCodec<KvpMessage> codec_;
};

}  // namespace

SystemEntry kv_primary_entry() {
  return SystemEntry{
      .name = "kv-primary",
      .description = "primary-backup registers (an example user system): linearizable, updates stall while a node is down",
      .min_nodes = 1,
      .max_nodes = 9,
      .default_nodes = 3,
      .make = [](const SystemConfig& config) -> Result<std::unique_ptr<System>> {
        return std::make_unique<KvPrimary>(config.bug == kBugAckBeforeBackup);
      },
      .showcase_bugs = {{kBugAckBeforeBackup, {"partition"}}},
  };
}

}  // namespace kvp
