#pragma once
// What a replicated system gives the framework: node and client cores, its message codec,
// the claims it makes (each judged by a named checker), its planted bugs, and hooks the
// framework uses for invariants and for nemeses that target a leader.
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "framework/env.h"

namespace faultline {

// A promise the system makes for its configuration, judged by a registered checker.
struct ClaimSpec {
  std::string name;         // e.g. "linearizable"
  std::string description;  // what the system promises, in a sentence
  std::string checker;      // a registered checker, e.g. "linearizable"
  Json checker_options;     // e.g. {"model":"kv"}; checked against the checker's table at start
  // false: a property this configuration does not promise, judged only to show what it
  // gives up ("not claimed" with its verdict); it never fails a run or a seed.
  bool claimed = true;
};

struct BugSpec {
  std::string name;         // "<system>.<bug>", e.g. "single.ack-before-fsync"
  std::string description;  // one line: what the code does wrong
  std::string source;       // the real, published bug it mirrors
};

struct SystemConfig {
  int node_count = 3;
  std::optional<std::string> bug;  // one planted bug, by name
  Json params = Json::object();    // system-specific settings, resolved against its table
  std::string workload = "register";  // what its clients will be asked to do
};

// Checks protocol invariants after every simulated event. It may keep state between calls
// (e.g. "the commit index never decreases"). nodes[i] is nullptr while node i is down.
class InvariantChecker {
 public:
  virtual ~InvariantChecker() = default;
  // A description of the broken invariant, or nullopt when all hold.
  virtual std::optional<std::string> check(std::span<Node* const> nodes) = 0;
};

class System {
 public:
  virtual ~System() = default;
  virtual std::string name() const = 0;
  virtual std::vector<ClaimSpec> claims() const = 0;
  virtual std::vector<BugSpec> bugs() const = 0;
  virtual std::unique_ptr<Node> make_node(Env& env) const = 0;
  virtual std::unique_ptr<Client> make_client(ClientEnv& env) const = 0;
  virtual const MessageCodec& codec() const = 0;
  // Nodes a nemesis should call "the leader" (or primary) now; nullopt when none or unknown.
  virtual std::optional<EndpointId> leader(std::span<Node* const> nodes) const {
    (void)nodes;
    return std::nullopt;
  }
  // The nodes that play a named part in the system, for faults aimed at that part: e.g.
  // "routing", the nodes clients ask where a key lives (a shard controller, a config
  // server). Empty when the system has no such part.
  virtual std::vector<EndpointId> nodes_in_role(const std::string& role) const {
    (void)role;
    return {};
  }
  virtual std::unique_ptr<InvariantChecker> make_invariant_checker() const { return nullptr; }
  // What the protocol did during the run, counted by its nodes (hints stored, read repairs,
  // anti-entropy transfers...): a JSON object of named counts, written to results.json and
  // printed after a run. Read once the run ended; it never changes the run.
  virtual Json run_metrics() const { return Json::object(); }
  // Whether every replica holds the same data now (all owners of each key equal, nothing
  // held for later delivery), for the time-to-converge figure; nullopt: the system cannot
  // tell. Called after events once the main phase ended, until it answers true; it never
  // changes the run.
  virtual std::optional<bool> replicas_agree(std::span<Node* const> nodes) const {
    (void)nodes;
    return std::nullopt;
  }
};

}  // namespace faultline
