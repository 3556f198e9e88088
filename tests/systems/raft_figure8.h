#pragma once
// Figure 8 of the Raft paper, twice: a scripted, step-by-step version, and MIT 6.5840's
// randomized TestFigure8 (repeatedly: a command on the leader, a short random wait, the
// leader crashes, nodes restart when fewer than three are up).
#include "tests/systems/raft_harness.h"

namespace faultline::raft::testing {

struct Figure8Outcome {
  bool scripted = false;            // every step of the script happened as planned
  bool old_entry_committed_alone = false;  // the term-t entry was committed before its leader's no-op
  std::optional<std::string> violation;
};

// Five nodes A..E, one entry per AppendEntries so an old-term entry can be acknowledged
// on its own. (1) A (term t) gets X to B only and dies. (2) E wins with C and D, logs its
// no-op at X's index, and dies before sending it. (3) A returns, wins with B and C, and
// pushes X to C: X is now on a majority but is not from A's term; A dies before its own
// no-op reaches a majority. (4) E returns, wins with B, C, D and overwrites X. Only a
// leader that commits X in step (3) by counting replicas breaks state-machine safety.
inline Figure8Outcome run_figure8_script(uint64_t seed, std::optional<std::string> bug) {
  Cluster c(5, seed, std::move(bug), Json{{"max_entries_per_append", 1}});
  Figure8Outcome out;
  if (!c.write("k", 0)) return out;
  c.run_for(300 * kMs);
  const auto leader = c.wait_leader();
  if (!leader) return out;
  const int a = *leader;
  std::vector<int> o;
  for (int i = 0; i < 5; ++i)
    if (i != a) o.push_back(i);
  const int b = o[0], cc = o[1], d = o[2], e = o[3];
  auto holds = [&](int n, int64_t index, int64_t term) {
    return c.node(n) && c.node(n)->log().term_at(index) == term;
  };
  // (1)
  c.connect_only({{a, b}});
  const int64_t x = c.node(a)->log().last_index() + 1;
  const int64_t x_term = c.node(a)->term();
  c.start(ClientOp{"write", "k", 1, a}, [](const Completion&) {});
  if (!c.run_until([&] { return holds(b, x, x_term); }, 1 * kSec)) return out;
  c.sim().crash(a, CrashMode::kill);
  // (2)
  c.connect_only({{e, cc}, {e, d}});
  if (!c.run_until([&] { return c.node(e)->role() == Role::leader; }, 5 * kSec)) return out;
  for (int n = 0; n < 5; ++n)
    if (n != e) c.sim().cut_link(e, n);  // its no-op is still in flight: dropped on arrival
  c.sim().crash(e, CrashMode::kill);
  // (3)
  c.sim().restart(a);
  c.connect_only({{a, b}, {a, cc}});
  if (!c.run_until([&] { return c.node(a)->role() == Role::leader; }, 5 * kSec)) return out;
  if (!c.run_until([&] { return holds(cc, x, x_term); }, 2 * kSec)) return out;
  for (int n = 0; n < 5; ++n)
    if (n != a) c.sim().cut_link(a, n);  // A's no-op must not reach C
  c.run_for(50 * kMs);  // the acknowledgements still reach A
  out.old_entry_committed_alone = c.node(a)->commit_index() >= x;
  c.sim().crash(a, CrashMode::kill);
  // (4)
  c.sim().restart(e);
  c.connect_only({{e, b}, {e, cc}, {e, d}});
  c.run_until([&] { return c.node(e)->role() == Role::leader; }, 5 * kSec);
  c.run_until([&] { return c.node(e)->commit_index() > x; }, 3 * kSec);
  out.scripted = c.node(e)->role() == Role::leader || c.violation().has_value();
  out.violation = c.violation();
  return out;
}

// MIT TestFigure8 (crash version), with invariants checked after every event: for each of
// `crashes` rounds, wait for a leader, give it commands, wait a short random time (mostly
// under 13 ms), crash it (kill or power loss); restart a node whenever fewer than three
// are up. Returns the first violation.
inline std::optional<std::string> run_figure8_random(uint64_t seed, std::optional<std::string> bug,
                                                     Json params = Json::object(),
                                                     int crashes = 30) {
  Cluster c(5, seed, std::move(bug), std::move(params), LinkQuality{1 * kMs, 5 * kMs, 0, 0});
  Rng rng = Rng::stream(seed, "figure8");
  int value = 0;
  for (int round = 0; round < crashes && !c.violation(); ++round) {
    if (!c.run_until([&] { return !c.leaders().empty(); }, 3 * kSec)) {
      for (int n = 0; n < 5; ++n) c.sim().restart(n);  // a stuck round: everyone back
      continue;
    }
    const int leader = c.leaders()[0];
    for (int k = 0; k < 3; ++k)
      c.start(ClientOp{"write", "k" + std::to_string(k), value++, leader}, [](const Completion&) {});
    const int64_t wait = rng.chance(0.1) ? static_cast<int64_t>(rng.below(150)) * kMs
                                         : static_cast<int64_t>(rng.below(13)) * kMs;
    c.run_for(wait);
    if (c.node(leader)) c.sim().crash(leader, rng.chance(0.5) ? CrashMode::kill : CrashMode::power_loss);
    int up = 0;
    for (int n = 0; n < 5; ++n) up += c.node(n) ? 1 : 0;
    while (up < 3) {
      const int n = static_cast<int>(rng.below(5));
      if (c.node(n)) continue;
      c.sim().restart(n);
      ++up;
    }
  }
  for (int n = 0; n < 5; ++n) c.sim().restart(n);
  c.write("final", 1, 20 * kSec);
  c.run_for(1 * kSec);
  return c.violation();
}

}  // namespace faultline::raft::testing
