#include "framework/shrink.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <sstream>

#include "base/assert.h"
#include "base/files.h"
#include "base/text.h"
#include "framework/campaign_record.h"
#include "framework/generator.h"
#include "framework/worker_processes.h"

namespace faultline {

Script script_from_history(const History& history, const Scenario& scenario) {
  Script script;
  for (const Op& op : history.ops) {
    if (op.time_ns > scenario.time_ns) continue;  // the final phase is not scripted
    if (op.is_nemesis()) {
      if (op.f != "heal") script.faults.push_back({op.time_ns, op.f, op.value});
    } else if (op.type == OpType::invoke && !op.final) {
      // An op the workload addressed to one node (a replica read) stays addressed to it.
      const std::optional<EndpointId> node =
          op.node ? std::optional<EndpointId>(static_cast<EndpointId>(*op.node)) : std::nullopt;
      ClientOp client_op{.f = op.f, .key = op.key, .value = op.value, .node = node};
      script.ops.push_back({op.time_ns, static_cast<int>(op.process % scenario.concurrency), client_op});
    }
  }
  return script;
}

std::set<std::string> violated_claims(const RunResult& run) {
  std::set<std::string> names;
  if (run.invariant_violation) names.insert("invariants");
  for (const auto& outcome : run.claims)
    if (outcome.result.verdict == Verdict::invalid) names.insert(outcome.claim.name);
  return names;
}

ScenarioSize run_size(const Scenario& scenario, const History& history) {
  ScenarioSize size{.nodes = scenario.node_count, .clients = scenario.concurrency, .time_ns = scenario.time_ns};
  for (const Op& op : history.ops) {
    if (op.is_nemesis()) ++size.faults;
    else if (op.type == OpType::invoke) ++size.ops;
  }
  return size;
}

std::string describe(const ScenarioSize& size) {
  char seconds[32];
  std::snprintf(seconds, sizeof seconds, "%.3fs", static_cast<double>(size.time_ns) / 1e9);
  return "ops " + std::to_string(size.ops) + ", faults " + std::to_string(size.faults) + ", nodes " +
         std::to_string(size.nodes) + ", clients " + std::to_string(size.clients) + ", time " + seconds;
}

namespace {

// What every accepted candidate must still do: violate `claim`, or, when the input aborted,
// abort the same way (AbortReport::identity).
struct ShrinkTarget {
  std::string claim;
  std::optional<std::string> abort_identity;
};

// The last non-empty line a child wrote: its error message.
std::string last_line(const std::string& text) {
  size_t end = text.find_last_not_of('\n');
  if (end == std::string::npos) return "";
  size_t begin = text.rfind('\n', end);
  return text.substr(begin == std::string::npos ? 0 : begin + 1, end + 1 - (begin == std::string::npos ? 0 : begin + 1));
}

// A run whose abort cannot end this process: it runs in a child first. Only a run that
// finished there is run again here (deterministic, so it finishes here too) for its result.
struct IsolatedRun {
  std::string history;  // up to the abort when it aborted
  std::optional<AbortReport> abort;
  std::optional<RunResult> run;
};

Result<IsolatedRun> run_isolated(const Scenario& scenario, const Registry& registry) {
  BOOST_OUTCOME_TRY(scratch, ScratchDirectory::create("faultline-shrink"));
  const std::string path = scratch.path() + "/history.jsonl";
  BOOST_OUTCOME_TRY(ended, run_in_child([&] {
    auto file = FileSink::open(path);
    if (!file) return std::fprintf(stderr, "%s\n", file.error().message.c_str()), 2;
    auto run = run_scenario(scenario, registry, *file.value());
    if (!run) return std::fprintf(stderr, "%s\n", run.error().message.c_str()), 2;
    auto closed = file.value()->close();
    if (!closed) return std::fprintf(stderr, "%s\n", closed.error().message.c_str()), 2;
    return 0;
  }));
  IsolatedRun result;
  result.abort = abort_report(ended);
  if (result.abort) {
    if (killed_from_outside(result.abort->signal)) return fail("the run was killed by " + signal_name(result.abort->signal));
    BOOST_OUTCOME_TRY(history, read_whole_file(path));
    result.history = std::move(history);
    return result;
  }
  if (ended.exit.exit_code != 0) return fail(last_line(ended.stderr_text));
  MemorySink sink;
  BOOST_OUTCOME_TRY(run, run_scenario(scenario, registry, sink));
  result.history = sink.text();
  result.run = std::move(run);
  return result;
}

// A script's size (scripted ops and fault events), to tell whether a pass changed anything.
ScenarioSize script_size(const Scenario& s) {
  return {s.script->ops.size(), s.script->faults.size(), s.node_count, s.concurrency, s.time_ns};
}

// The highest node id a recorded fault names (-1 when none): partition cuts, flaky
// links, process faults' node lists, a clock fault's node.
int64_t highest_node(const Json& value) {
  int64_t highest = -1;
  if (value.is_number_integer()) return value.get<int64_t>();
  if (value.is_array())
    for (const auto& item : value) highest = std::max(highest, highest_node(item));
  if (value.is_object())
    for (const char* field : {"cut", "links", "nodes", "node"})
      if (value.contains(field)) highest = std::max(highest, highest_node(value[field]));
  return highest;
}

// What the witness of the target claim involves, in script terms: the keys of its ops and
// the slots (clients) they ran on. Empty when there is no witness (an abort).
struct Projection {
  std::set<std::string> keys;
  std::set<int> slots;
};

class Shrinker {
 public:
  Shrinker(const Registry& registry, const ShrinkOptions& options, ShrinkTarget target, Projection projection)
      : registry_(registry), options_(options), target_(std::move(target)), projection_(std::move(projection)) {}

  // Runs a candidate; it becomes the best when it still fails as the target says.
  bool attempt(const Scenario& candidate) {
    if (runs_ >= options_.max_runs || error_) {
      exhausted_ = true;
      return false;
    }
    ++runs_;
    if (!still_fails(candidate)) return false;
    best_ = candidate;
    return true;
  }

  void run_passes(Scenario start) {
    best_ = std::move(start);
    for (int pass = 0; pass < 3 && !exhausted_; ++pass) {
      ScenarioSize before = script_size(best_);
      shortest_prefix();
      project();
      fewer_clients();
      fewer_nodes();
      drop_fault_pairs();
      shorten_faults();
      drop_ops();
      compact_slots();
      fewer_nodes();
      shift_earlier();
      trim_run();
      ScenarioSize after = script_size(best_);
      if (after.ops == before.ops && after.faults == before.faults && after.time_ns == before.time_ns &&
          after.nodes == before.nodes && after.clients == before.clients)
        break;
    }
  }

  const Scenario& best() const { return best_; }
  int runs() const { return runs_; }
  bool exhausted() const { return exhausted_; }
  // Why shrinking stopped early: a candidate could not be run at all (fork failed).
  const std::optional<std::string>& error() const { return error_; }

 private:
  // The candidate runs in a child, which answers with its exit code: 0 when it violated a
  // target claim, 1 when not, 2 when it could not run; an abort ends it by a signal.
  bool still_fails(const Scenario& candidate) {
    auto ended = run_in_child([&] {
      MemorySink sink;
      auto run = run_scenario(candidate, registry_, sink);
      if (!run) return 2;
      return violated_claims(run.value()).count(target_.claim) > 0 ? 0 : 1;
    });
    if (!ended) {
      error_ = ended.error().message;
      return false;
    }
    auto abort = abort_report(ended.value());
    if (target_.abort_identity)
      return abort && !killed_from_outside(abort->signal) && abort->identity() == *target_.abort_identity;
    return !abort && ended.value().exit.exit_code == 0;
  }

  // Index of the stop that ends the fault started at `start`, or npos: the next stop of the
  // same name, on the same node when both name one (at-moment strikes several at once).
  static size_t matching_stop(const std::vector<ScriptedFault>& faults, size_t start) {
    if (faults[start].f.rfind("start-", 0) != 0) return std::string::npos;
    std::string stop = "stop-" + faults[start].f.substr(6);
    auto node_of = [](const ScriptedFault& fault) {
      return fault.value.is_object() && fault.value.contains("node") ? fault.value.at("node") : Json();
    };
    const Json node = node_of(faults[start]);
    for (size_t j = start + 1; j < faults.size(); ++j)
      if (faults[j].f == stop && (node.is_null() || node_of(faults[j]).is_null() || node_of(faults[j]) == node)) return j;
    return std::string::npos;
  }

  // Binary search for the earliest end of the main phase that still fails: everything
  // scripted after it is dropped. Cheap (log of the event count) and usually the biggest cut.
  void shortest_prefix() {
    std::vector<int64_t> times;
    for (const auto& op : best_.script->ops) times.push_back(op.at_ns);
    for (const auto& fault : best_.script->faults) times.push_back(fault.at_ns);
    std::sort(times.begin(), times.end());
    times.erase(std::unique(times.begin(), times.end()), times.end());
    size_t low = 0, high = times.size();  // the failing prefix ends at times[high - 1] or later
    while (low + 1 < high && !exhausted_) {
      size_t middle = (low + high) / 2;
      if (attempt(restricted_to(best_, times[middle - 1]))) high = middle;
      else low = middle;
    }
  }

  static Scenario restricted_to(const Scenario& scenario, int64_t end_ns) {
    Scenario candidate = scenario;
    auto& ops = candidate.script->ops;
    auto& faults = candidate.script->faults;
    ops.erase(std::remove_if(ops.begin(), ops.end(), [&](const ScriptedOp& op) { return op.at_ns > end_ns; }),
              ops.end());
    faults.erase(std::remove_if(faults.begin(), faults.end(),
                                [&](const ScriptedFault& fault) { return fault.at_ns > end_ns; }),
                 faults.end());
    candidate.time_ns = end_ns + 1;
    return candidate;
  }

  // Keeps only the ops on the witness's keys, then only those of its clients: a run rarely
  // needs the other keys' traffic or the other clients to fail the same way.
  void project() {
    if (!projection_.keys.empty())
      attempt_keeping([&](const ScriptedOp& op) { return !op.op.key || projection_.keys.count(*op.op.key) > 0; });
    if (!projection_.slots.empty()) {
      attempt_keeping([&](const ScriptedOp& op) { return projection_.slots.count(op.slot) > 0; });
      compact_slots();
    }
  }

  // The final phase reads every key below key_count (key_name): when the witness's keys and
  // the scripted ops' are the lowest ones, a smaller count drops the other keys' final reads.
  void fewer_keys() {
    std::set<std::string> keys = projection_.keys;
    for (const auto& op : best_.script->ops)
      if (op.op.key) keys.insert(*op.op.key);
    int needed = 0;
    for (const std::string& key : keys) {
      int index = -1;
      for (int k = 0; k < best_.key_count; ++k)
        if (key_name(k) == key) index = k;
      if (index < 0) return;  // a key the final reads do not name: the count stays
      needed = std::max(needed, index + 1);
    }
    if (needed == 0 || needed >= best_.key_count || exhausted_) return;
    Scenario candidate = best_;
    candidate.key_count = needed;
    attempt(candidate);
  }

  // Runs best_ with only the ops `keep` accepts, unless that removes none.
  template <typename Keep>
  void attempt_keeping(Keep keep) {
    Scenario candidate = best_;
    auto& ops = candidate.script->ops;
    const size_t before = ops.size();
    std::erase_if(ops, [&](const ScriptedOp& op) { return !keep(op); });
    if (ops.size() < before && !exhausted_) attempt(candidate);
  }

  // Drops one client (every op of its slot) at a time, highest slot first, renumbering the
  // slots above it: clients go before delta debugging has to remove their ops chunk by chunk.
  void fewer_clients() {
    for (int slot = best_.concurrency - 1; slot >= 0 && best_.concurrency > 1 && !exhausted_; --slot) {
      if (slot >= best_.concurrency) continue;
      Scenario candidate = best_;
      std::erase_if(candidate.script->ops, [&](const ScriptedOp& op) { return op.slot == slot; });
      for (auto& op : candidate.script->ops)
        if (op.slot > slot) --op.slot;
      candidate.concurrency -= 1;
      attempt(candidate);
    }
  }

  void drop_fault_pairs() {
    for (size_t i = best_.script->faults.size(); i-- > 0 && !exhausted_;) {
      auto faults = best_.script->faults;
      if (i >= faults.size()) continue;
      size_t stop = matching_stop(faults, i);
      if (stop != std::string::npos) faults.erase(faults.begin() + stop);
      faults.erase(faults.begin() + i);
      Scenario candidate = best_;
      candidate.script->faults = std::move(faults);
      attempt(candidate);
    }
  }

  // Halves a fault's duration while the failure remains.
  void shorten_faults() {
    for (size_t i = 0; i < best_.script->faults.size() && !exhausted_; ++i) {
      for (int halving = 0; halving < 8; ++halving) {
        auto faults = best_.script->faults;
        size_t stop = matching_stop(faults, i);
        if (stop == std::string::npos) break;
        int64_t duration_ns = faults[stop].at_ns - faults[i].at_ns;
        if (duration_ns < 2'000'000) break;
        faults[stop].at_ns = faults[i].at_ns + duration_ns / 2;
        std::stable_sort(faults.begin(), faults.end(),
                         [](const ScriptedFault& a, const ScriptedFault& b) { return a.at_ns < b.at_ns; });
        Scenario candidate = best_;
        candidate.script->faults = std::move(faults);
        if (!attempt(candidate)) break;
      }
    }
  }

  // Delta debugging (Zeller's ddmin, complement removal) over the scripted ops.
  void drop_ops() {
    size_t granularity = 2;
    while (!best_.script->ops.empty() && !exhausted_) {
      const auto& ops = best_.script->ops;
      size_t chunk = (ops.size() + granularity - 1) / granularity;
      bool removed = false;
      for (size_t begin = 0; begin < ops.size() && !exhausted_; begin += chunk) {
        Scenario candidate = best_;
        auto& candidate_ops = candidate.script->ops;
        candidate_ops.erase(candidate_ops.begin() + begin,
                            candidate_ops.begin() + std::min(begin + chunk, candidate_ops.size()));
        if (attempt(candidate)) {
          granularity = std::max<size_t>(granularity - 1, 2);
          removed = true;
          break;
        }
      }
      if (removed) continue;
      if (granularity >= best_.script->ops.size()) break;
      granularity = std::min(best_.script->ops.size(), granularity * 2);
    }
  }

  // Renumbers the slots still in use as 0..k-1 and runs with k clients.
  void compact_slots() {
    std::set<int> used;
    for (const auto& op : best_.script->ops) used.insert(op.slot);
    int clients = std::max<int>(1, static_cast<int>(used.size()));
    if (clients >= best_.concurrency) return;
    std::map<int, int> renumbered;
    for (int slot : used) renumbered[slot] = static_cast<int>(renumbered.size());
    Scenario candidate = best_;
    candidate.concurrency = clients;
    for (auto& op : candidate.script->ops) op.slot = renumbered[op.slot];
    attempt(candidate);
  }

  // One node fewer at a time (the highest id), with the fault events that name it.
  void fewer_nodes() {
    const SystemEntry* entry = registry_.system(best_.system);
    while (entry && best_.node_count > entry->min_nodes && !exhausted_) {
      Scenario candidate = best_;
      candidate.node_count -= 1;
      std::erase_if(candidate.script->faults,
                    [&](const ScriptedFault& fault) { return highest_node(fault.value) >= candidate.node_count; });
      if (!attempt(candidate)) return;
    }
  }

  // Moves every scripted event earlier by the idle time before the first one (or the
  // largest fraction of it that still fails: a system may need time to settle first).
  void shift_earlier() {
    int64_t first_ns = best_.time_ns;
    for (const auto& op : best_.script->ops) first_ns = std::min(first_ns, op.at_ns);
    for (const auto& fault : best_.script->faults) first_ns = std::min(first_ns, fault.at_ns);
    for (int64_t shift_ns = first_ns; shift_ns >= 1'000'000 && !exhausted_; shift_ns /= 2) {
      Scenario candidate = best_;
      for (auto& op : candidate.script->ops) op.at_ns -= shift_ns;
      for (auto& fault : candidate.script->faults) fault.at_ns -= shift_ns;
      candidate.time_ns -= shift_ns;
      if (attempt(candidate)) return;
    }
  }

  // Ends the main phase just after the last scripted event; then tries without the
  // final reads (or with fewer keys to read) and without the quiet period.
  void trim_run() {
    int64_t last_ns = 0;
    for (const auto& op : best_.script->ops) last_ns = std::max(last_ns, op.at_ns);
    for (const auto& fault : best_.script->faults) last_ns = std::max(last_ns, fault.at_ns);
    if (last_ns + 1 < best_.time_ns) {
      Scenario candidate = best_;
      candidate.time_ns = last_ns + 1;
      attempt(candidate);
    }
    if (best_.final_reads) {
      Scenario candidate = best_;
      candidate.final_reads = false;
      attempt(candidate);
    }
    if (best_.final_reads) fewer_keys();
    if (best_.quiesce_ns > 0) {
      Scenario candidate = best_;
      candidate.quiesce_ns = 0;
      attempt(candidate);
    }
  }

  const Registry& registry_;
  ShrinkOptions options_;
  ShrinkTarget target_;
  Projection projection_;
  Scenario best_;
  int runs_ = 0;
  bool exhausted_ = false;
  std::optional<std::string> error_;
};

// The target a failing run sets: its abort; else the claim chosen, or the first it violated
// (a broken invariant first, then the claims in the system's order, its main promise first),
// so that a run failing a main claim and a side one does not shrink to the side one alone.
Result<ShrinkTarget> target_of(const IsolatedRun& original, const ShrinkOptions& options) {
  if (original.abort) return ShrinkTarget{.abort_identity = original.abort->identity()};
  const std::set<std::string> violated = violated_claims(*original.run);
  if (violated.empty()) return fail("the scenario does not fail: every claim held, nothing to shrink");
  if (options.claim) {
    if (!violated.count(*options.claim))
      return fail("--claim: the run does not violate \"" + *options.claim + "\" (it violates " +
                  joined(violated) + ")");
    return ShrinkTarget{.claim = *options.claim};
  }
  if (violated.count("invariants")) return ShrinkTarget{.claim = "invariants"};
  // What made the seed fail: a claim the system makes. A property it does not claim, broken
  // in the same run, is only the target when nothing claimed broke.
  const auto& claims = original.run->claims;
  auto broken = [&](bool claimed) {
    return std::find_if(claims.begin(), claims.end(), [&](const ClaimOutcome& outcome) {
      return outcome.claim.claimed == claimed && violated.count(outcome.claim.name) > 0;
    });
  };
  auto first = broken(true);
  if (first == claims.end()) first = broken(false);
  FAULTLINE_ASSERT(first != claims.end(), "a violated claim is one of the run's claims");
  return ShrinkTarget{.claim = first->claim.name};
}

// The history a run recorded, as ops (for its script); an aborted run's ends at the abort.
Result<History> recorded_history(const IsolatedRun& original) {
  if (original.run) return original.run->history;
  std::istringstream text(original.history);
  return read_history(text, "the history up to the abort");
}

Projection projection_of(const IsolatedRun& original, const History& history, const Scenario& scenario,
                         const ShrinkTarget& target, const ShrinkOptions& options) {
  Projection projection;
  if (!original.run || !options.witness_ops) return projection;
  std::set<int64_t> named;
  for (int64_t index : options.witness_ops(*original.run, target.claim)) named.insert(index);
  for (const Op& op : history.ops) {
    if (op.is_nemesis() || !named.count(op.index)) continue;
    if (op.key) projection.keys.insert(*op.key);
    projection.slots.insert(static_cast<int>(op.process % scenario.concurrency));
  }
  return projection;
}

}  // namespace

Result<ShrinkResult> shrink(const Scenario& failing, const Registry& registry, const ShrinkOptions& options) {
  BOOST_OUTCOME_TRY(original, run_isolated(failing, registry));
  BOOST_OUTCOME_TRY(target, target_of(original, options));
  BOOST_OUTCOME_TRY(history, recorded_history(original));
  Scenario scripted = failing;
  if (!scripted.script) scripted.script = script_from_history(history, failing);
  Shrinker shrinker(registry, options, target, projection_of(original, history, failing, target, options));
  if (!shrinker.attempt(scripted)) {
    if (shrinker.error()) return fail(*shrinker.error());
    return fail("the scripted replay of this failure no longer fails, so it cannot be shrunk");
  }
  ShrinkResult result;
  result.before = run_size(failing, history);
  result.original_failing_claims = original.abort ? std::set<std::string>{"aborted"} : violated_claims(*original.run);
  result.target = target.abort_identity ? "aborted" : target.claim;
  shrinker.run_passes(scripted);
  if (shrinker.error()) return fail(*shrinker.error());
  result.minimal = shrinker.best();
  BOOST_OUTCOME_TRY(minimal, run_isolated(result.minimal, registry));
  BOOST_OUTCOME_TRY(minimal_history, recorded_history(minimal));
  result.after = run_size(result.minimal, minimal_history);
  result.minimal_history = std::move(minimal.history);
  result.abort = std::move(minimal.abort);
  result.minimal_run = std::move(minimal.run);
  result.failing_claims = result.abort ? std::set<std::string>{"aborted"} : violated_claims(*result.minimal_run);
  result.runs = shrinker.runs();
  result.budget_exhausted = shrinker.exhausted();
  return result;
}

}  // namespace faultline
