#include "nemesis/process.h"

#include <algorithm>

#include "base/assert.h"
#include "nemesis/event_values.h"

namespace faultline::nemesis {

namespace {

// `any` draws one of the others per fault (swarm schedules, issue 10): the leader and a
// single node most often, since most protocol paths start there; a majority and the whole
// cluster less often, since they stop all progress while they last.
enum class Target { one, minority, majority, all, leader, any };
constexpr Target kDrawnTargets[] = {Target::one,      Target::one,      Target::one, Target::leader, Target::leader,
                                    Target::leader,   Target::minority, Target::minority, Target::majority,
                                    Target::all};

Result<Target> parse_target(const std::string& option) {
  if (option.empty() || option == "one") return Target::one;
  if (option == "minority") return Target::minority;
  if (option == "majority") return Target::majority;
  if (option == "all") return Target::all;
  if (option == "leader") return Target::leader;
  if (option == "any") return Target::any;
  return fail("unknown target \"" + option + "\" (known: one, minority, majority, all, leader, any)");
}

std::vector<EndpointId> pick_nodes(Target target, FaultApi& faults, Rng& rng) {
  if (target == Target::any) target = kDrawnTargets[rng.below(std::size(kDrawnTargets))];
  const int n = faults.node_count();
  std::vector<EndpointId> nodes(n);
  for (int i = 0; i < n; ++i) nodes[i] = i;
  for (int i = n - 1; i > 0; --i) std::swap(nodes[i], nodes[rng.below(i + 1)]);
  switch (target) {
    case Target::one: nodes.resize(1); break;
    case Target::minority: nodes.resize(std::max(1, (n - 1) / 2)); break;
    case Target::majority: nodes.resize(n / 2 + 1); break;
    case Target::all: break;
    case Target::any: FAULTLINE_ASSERT(false, "a drawn target is one of the others");
    case Target::leader: {
      auto leader = faults.leader();
      nodes.resize(1);
      if (leader) nodes[0] = *leader;
      break;
    }
  }
  std::sort(nodes.begin(), nodes.end());
  return nodes;
}

enum class Action { kill, crash, pause };

class ProcessFault final : public Nemesis {
 public:
  ProcessFault(Action action, Target target) : action_(action), target_(target) {}
  std::string name() const override { return verb(); }

  NemesisEvent start(FaultApi& faults, Rng& rng) override {
    affected_ = pick_nodes(target_, faults, rng);
    NemesisEvent event{std::string("start-") + verb(), Json{{"nodes", affected_}}};
    replay(faults, event);
    return event;
  }

  NemesisEvent stop(FaultApi& faults, Rng&) override {
    NemesisEvent event{std::string("stop-") + verb(), Json{{"nodes", affected_}}};
    replay(faults, event);
    return event;
  }

  bool replay(FaultApi& faults, const NemesisEvent& event) override {
    const bool starts = event.f == std::string("start-") + verb();
    if (!starts && event.f != std::string("stop-") + verb()) return false;
    for (const Json& item : event.value.at("nodes")) {
      const EndpointId node = node_value(item);
      if (!starts)
        action_ == Action::pause ? faults.resume(node) : faults.restart(node);
      else if (action_ == Action::kill)
        faults.crash(node, CrashMode::kill);
      else if (action_ == Action::crash)
        faults.crash(node, CrashMode::power_loss);
      else
        faults.pause(node);
    }
    return true;
  }

 private:
  const char* verb() const {
    switch (action_) {
      case Action::kill: return "kill";
      case Action::crash: return "crash";
      case Action::pause: return "pause";
    }
    return "?";
  }

  Action action_;
  Target target_;
  std::vector<EndpointId> affected_;
};

Result<NemesisPtr> make(Action action, const std::string& option) {
  BOOST_OUTCOME_TRY(target, parse_target(option));
  return NemesisPtr(std::make_unique<ProcessFault>(action, target));
}

}  // namespace

Result<NemesisPtr> make_kill(const std::string& option) { return make(Action::kill, option); }
Result<NemesisPtr> make_crash(const std::string& option) { return make(Action::crash, option); }
Result<NemesisPtr> make_pause(const std::string& option) { return make(Action::pause, option); }

}  // namespace faultline::nemesis
