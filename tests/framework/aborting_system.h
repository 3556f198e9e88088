#pragma once
// A planted abort for the tests of runs that die: the single store, except that its node
// breaks an invariant (FAULTLINE_ASSERT aborts the process) when it handles its Nth
// message, on every seed. Shrinking keeps the abort while fewer operations reach the node.
#include <memory>

#include "base/assert.h"
#include "framework/registry.h"
#include "systems/single/single_store.h"

namespace faultline::testing {

inline constexpr const char* kPlantedAbort = "planted abort: the node handled too many messages";

class AbortingNode final : public Node {
 public:
  AbortingNode(std::unique_ptr<Node> inner, uint64_t abort_at) : inner_(std::move(inner)), abort_at_(abort_at) {}
  void start() override { inner_->start(); }
  void on_message(EndpointId from, const MessagePtr& message) override {
    ++messages_;
    FAULTLINE_ASSERT(messages_ < abort_at_, kPlantedAbort);
    inner_->on_message(from, message);
  }
  void on_timer(TimerId id, uint64_t tag) override { inner_->on_timer(id, tag); }

 private:
  std::unique_ptr<Node> inner_;
  uint64_t abort_at_;
  uint64_t messages_ = 0;
};

class AbortingSystem final : public System {
 public:
  AbortingSystem(const SystemConfig& config, uint64_t abort_at)
      : inner_(std::move(single::make_single_store(config)).value()), abort_at_(abort_at) {}
  std::string name() const override { return "aborting"; }
  std::vector<ClaimSpec> claims() const override { return inner_->claims(); }
  std::vector<BugSpec> bugs() const override { return inner_->bugs(); }
  std::unique_ptr<Node> make_node(Env& env) const override {
    return std::make_unique<AbortingNode>(inner_->make_node(env), abort_at_);
  }
  std::unique_ptr<Client> make_client(ClientEnv& env) const override { return inner_->make_client(env); }
  const MessageCodec& codec() const override { return inner_->codec(); }

 private:
  std::unique_ptr<System> inner_;
  uint64_t abort_at_;
};

// The registry entry "aborting": one node by default, aborting on its abort_at-th message.
inline SystemEntry aborting_entry(uint64_t abort_at = 10) {
  SystemEntry entry = single::single_entry();
  entry.name = "aborting";
  entry.description = "single, whose node aborts on its " + std::to_string(abort_at) + "th message";
  entry.default_nodes = 1;
  entry.showcase_bugs.clear();
  entry.make = [abort_at](const SystemConfig& config) -> Result<std::unique_ptr<System>> {
    return std::unique_ptr<System>(std::make_unique<AbortingSystem>(config, abort_at));
  };
  return entry;
}

}  // namespace faultline::testing
