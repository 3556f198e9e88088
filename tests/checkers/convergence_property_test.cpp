// Property tests of the convergence checker: on many small random histories (1-3 keys, 1-3
// nodes, ok/info/fail/unfinished updates from several processes, final reads that agree or
// not, in one or more rounds) it agrees with a brute-force reference written from the
// definitions (convergence_reference.h) on every key's agreement, time to agreement, lost
// updates and unexplained values, and on the verdict.
#include <gtest/gtest.h>

#include <rapidcheck/gtest.h>

#include <set>

#include "checkers/convergence.h"
#include "checkers/subset_sums.h"
#include "convergence_reference.h"
#include "event_history.h"

namespace faultline {
namespace {

using testing_support::EventHistory;
using testing_support::ReferenceConvergenceChecker;

struct Drawn {
  std::string type;
  History history;
};

std::string key_name(int key) { return "k" + std::to_string(key); }

// Updates: a random interleaving of processes, each invoking an update and later completing it
// ok, info or fail (or never).
void draw_updates(EventHistory& h, const std::string& type, int keys, std::map<std::string, std::vector<Json>>& effects) {
  const int processes = *rc::gen::inRange(1, 4);
  std::map<int, Json> open;  // process -> the value of its open update
  int next_element = 1;
  const int steps = *rc::gen::inRange(0, 14);
  for (int step = 0; step < steps; ++step) {
    const int process = *rc::gen::inRange(0, processes);
    if (open.contains(process)) {
      h.complete(process, *rc::gen::element(OpType::ok, OpType::ok, OpType::info, OpType::fail), open[process]);
      open.erase(process);
      continue;
    }
    const std::string key = key_name(*rc::gen::inRange(0, keys));
    Json value;
    std::string f;
    if (type == "set" || type == "append") {
      f = type == "set" ? "add" : "append";
      value = next_element++;
    } else if (type == "counter") {
      f = *rc::gen::element<std::string>("add", "decrement");
      value = f == "add" ? *rc::gen::element(-2, 1, 2, 3) : *rc::gen::inRange(1, 4);
    } else {
      f = *rc::gen::element<std::string>("write", "write", "cas");
      value = f == "write" ? Json(*rc::gen::inRange(0, 3)) : Json{*rc::gen::inRange(0, 3), *rc::gen::inRange(0, 3)};
    }
    effects[key].push_back(f == "cas" ? value[1] : f == "decrement" ? Json(-value.get<int>()) : value);
    h.invoke(process, f, value, key);
    open[process] = value;
  }
}

// A value a final read might return: mostly built from the key's updates (so it may agree
// and be explained), sometimes something no update wrote.
Json draw_read_value(const std::string& type, const std::vector<Json>& effects) {
  std::vector<Json> chosen;
  for (const Json& effect : effects)
    if (*rc::gen::inRange(0, 3) > 0) chosen.push_back(effect);
  if (type == "counter") {
    int64_t sum = 0;
    for (const Json& amount : chosen) sum += amount.get<int64_t>();
    return *rc::gen::inRange(0, 5) == 0 ? Json(*rc::gen::inRange(-3, 10)) : Json(sum);
  }
  if (type == "register") {
    if (effects.empty() || *rc::gen::inRange(0, 5) == 0) return *rc::gen::element(Json(nullptr), Json(7));
    return *rc::gen::elementOf(effects);
  }
  if (*rc::gen::inRange(0, 8) == 0) chosen.push_back(99);  // never added
  if (type == "append" && !chosen.empty() && *rc::gen::inRange(0, 8) == 0) chosen.push_back(chosen.front());
  if (*rc::gen::inRange(0, 2) == 0) std::reverse(chosen.begin(), chosen.end());
  return Json(chosen);
}

void draw_final_reads(EventHistory& h, const std::string& type, int keys, int nodes,
                      std::map<std::string, std::vector<Json>>& effects) {
  const int rounds = *rc::gen::element(0, 1, 1, 2, 3);
  for (int round = 0; round < rounds; ++round) {
    for (int key = 0; key < keys; ++key) {
      const Json common = draw_read_value(type, effects[key_name(key)]);
      for (int node = 0; node < nodes; ++node) {
        const bool agrees = *rc::gen::inRange(0, 4) > 0;
        const Json value = agrees ? common : draw_read_value(type, effects[key_name(key)]);
        const OpType outcome = *rc::gen::element(OpType::ok, OpType::ok, OpType::ok, OpType::ok, OpType::info, OpType::fail);
        h.final_read(100 + node, key_name(key), node, value, outcome);
      }
    }
  }
}

Drawn draw_history() {
  Drawn drawn{.type = *rc::gen::element<std::string>("set", "append", "counter", "register")};
  const int keys = *rc::gen::inRange(1, 4);
  const int nodes = *rc::gen::inRange(1, 4);
  EventHistory h;
  std::map<std::string, std::vector<Json>> effects;
  draw_updates(h, drawn.type, keys, effects);
  if (*rc::gen::inRange(0, 4) > 0) h.nemesis("heal");
  draw_final_reads(h, drawn.type, keys, nodes, effects);
  drawn.history = h.history();
  return drawn;
}

std::set<int64_t> lost_indexes(const Json& key) {
  std::set<int64_t> indexes;
  if (!key.contains("lost")) return indexes;
  for (const Json& op : key["lost"]["ops"]) indexes.insert(op["index"].get<int64_t>());
  return indexes;
}

std::set<std::string> unexplained_values(const Json& key) {
  std::set<std::string> values;
  for (const Json& value : key["unexplained"]["values"]) values.insert(value["value"].dump());
  return values;
}

RC_GTEST_PROP(ConvergenceProperty, AgreesWithTheBruteForceReference, ()) {
  const Drawn drawn = draw_history();
  const bool require_acknowledged = *rc::gen::element(true, true, false);
  const Json options = {{"type", drawn.type}, {"require_acknowledged", require_acknowledged}};
  auto locate = [&](size_t position) { return locate_by_index(drawn.history, position); };
  auto checked = run_checker(convergence_checker(), drawn.history, options, locate);
  RC_ASSERT(checked.has_value());
  const CheckResult& result = checked.value();
  const auto reference = ReferenceConvergenceChecker(drawn.history, drawn.type, require_acknowledged).run();
  RC_CLASSIFY(result.verdict == Verdict::valid, "valid");
  RC_CLASSIFY(result.verdict == Verdict::invalid, "invalid");
  RC_CLASSIFY(result.verdict == Verdict::unknown, "unknown");
  bool lost = false, diverged = false;
  for (const auto& [name, key] : reference.keys) {
    lost = lost || !key.lost.empty() || key.counter_lost;
    diverged = diverged || (key.has_ok_final_read && !key.agreed);
  }
  RC_CLASSIFY(lost, "a lost update");
  RC_CLASSIFY(diverged, "a diverged key");
  RC_ASSERT(result.verdict == reference.verdict);
  if (!result.evidence.contains("keys")) {
    RC_ASSERT(result.evidence["final_reads"] == 0);
    return;
  }
  RC_ASSERT(result.evidence["keys"].size() == reference.keys.size());
  for (const Json& key : result.evidence["keys"]) {
    const auto& expected = reference.keys.at(key["key"].get<std::string>());
    RC_ASSERT((key["ok_final_reads"].get<size_t>() > 0) == expected.has_ok_final_read);
    RC_ASSERT(key.contains("agreed") == expected.agreed);
    if (expected.agreed) {
      RC_ASSERT(key["agreed"] == expected.agreed_value);
      RC_ASSERT(std::abs(key["time_to_agreement_ms"].get<double>() - *expected.time_to_agreement_ms) < 1e-9);
      RC_ASSERT(key["lost"]["count"].get<size_t>() == expected.lost.size());
      if (expected.lost.size() <= 10) RC_ASSERT(lost_indexes(key) == expected.lost);
    }
    RC_ASSERT(unexplained_values(key) == expected.unexplained);
    RC_ASSERT((key.contains("counter") && !key["counter"]["survived"].get<bool>()) == expected.counter_lost);
  }
}

RC_GTEST_PROP(ConvergenceProperty, SubsetSumsMatchEnumeration, ()) {
  const auto amounts = *rc::gen::container<std::vector<int64_t>>(*rc::gen::inRange<size_t>(0, 10),
                                                                  rc::gen::inRange<int64_t>(-70, 140));
  SubsetSums sums = subset_sums(amounts, 1'000'000);
  int64_t lower = 0, upper = 0;
  for (int64_t amount : amounts) (amount < 0 ? lower : upper) += amount;
  std::set<int64_t> reachable;
  for (uint64_t mask = 0; mask < (uint64_t{1} << amounts.size()); ++mask) {
    int64_t sum = 0;
    for (size_t i = 0; i < amounts.size(); ++i)
      if (mask >> i & 1) sum += amounts[i];
    reachable.insert(sum);
  }
  RC_ASSERT(sums.exact);
  for (int64_t sum = lower - 2; sum <= upper + 2; ++sum) RC_ASSERT(contains(sums, sum) == reachable.contains(sum));
}

}  // namespace
}  // namespace faultline
