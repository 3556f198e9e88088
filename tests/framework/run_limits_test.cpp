// What one run may hold and how long it may go on (docs/limits.md; issue 9, defects 11 and
// 21): the watchdog stops a run that loops at one instant or spends its event budget, the
// history stops at its line limit, each with an error naming the limit, never a hang. And a
// scripted scenario from a header is checked before it runs (defect 8).
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>

#include "framework/cli/builtins.h"
#include "framework/run.h"
#include "framework/scenario_fields.h"

namespace faultline {
namespace {

constexpr int64_t kSec = 1'000'000'000;

// A system whose node re-arms a zero-delay timer forever: simulated time never moves.
class SpinNode final : public Node {
 public:
  explicit SpinNode(Env& env) : env_(env) {}
  void start() override { env_.set_timer(0, 1); }
  void on_message(EndpointId, const MessagePtr&) override {}
  void on_timer(TimerId, uint64_t) override { env_.set_timer(0, 1); }

 private:
  Env& env_;
};

class IdleClient final : public Client {
 public:
  void invoke(const ClientOp&) override {}
  void on_message(EndpointId, const MessagePtr&) override {}
  void on_timer(TimerId, uint64_t) override {}
};

class SpinSystem final : public System {
 public:
  std::string name() const override { return "spin"; }
  std::vector<ClaimSpec> claims() const override { return {{"liveness", "answers", "liveness", Json::object()}}; }
  std::vector<BugSpec> bugs() const override { return {}; }
  std::unique_ptr<Node> make_node(Env& env) const override { return std::make_unique<SpinNode>(env); }
  std::unique_ptr<Client> make_client(ClientEnv&) const override { return std::make_unique<IdleClient>(); }
  const MessageCodec& codec() const override { return codec_; }

 private:
  JsonCodec<int> codec_;
};

const Registry& registry_with_spin() {
  static const Registry registry = [] {
    Registry r;
    add_builtins(r);
    add_builtin_systems(r);
    r.add_system(SystemEntry{.name = "spin",
                             .description = "loops at one instant",
                             .make = [](const SystemConfig&) -> Result<std::unique_ptr<System>> {
                               return std::unique_ptr<System>(std::make_unique<SpinSystem>());
                             }});
    return r;
  }();
  return registry;
}

Result<RunResult> run(const Scenario& scenario, MemorySink& sink) {
  return run_scenario(scenario, registry_with_spin(), sink);
}

Scenario raft(int64_t time_ns = 5 * kSec) {
  Scenario s;
  s.system = "raft";
  s.nemesis = {"partition", "kill"};
  s.time_ns = time_ns;
  return s;
}

TEST(Watchdog, ARunLoopingAtOneInstantStopsWithTheReason) {
  Scenario s;
  s.system = "spin";
  s.node_count = 1;
  MemorySink sink;
  auto result = run(s, sink);
  ASSERT_FALSE(result);
  EXPECT_NE(result.error().message.find("simulated time stopped advancing"), std::string::npos)
      << result.error().message;
  EXPECT_NE(result.error().message.find("timer 1 on 0"), std::string::npos) << result.error().message;
}

TEST(Watchdog, TheEventBudgetStopsARunNamingItsFlag) {
  Scenario s = raft();
  s.max_events = 5000;
  MemorySink sink;
  auto result = run(s, sink);
  ASSERT_FALSE(result);
  EXPECT_NE(result.error().message.find("budget of 5000 simulator events"), std::string::npos)
      << result.error().message;
  EXPECT_NE(result.error().message.find("--max-events"), std::string::npos);
}

TEST(RunLimits, TheHistoryStopsAtItsLineLimitWithEveryLineKept) {
  // 24 hours of faults every millisecond would otherwise grow without bound (defect 11).
  Scenario s = raft(24 * 3600 * kSec);
  s.nemesis_interval_ns = 1'000'000;
  s.max_history_ops = 1000;
  MemorySink sink;
  auto result = run(s, sink);
  ASSERT_FALSE(result);
  EXPECT_NE(result.error().message.find("limit of 1000 lines"), std::string::npos) << result.error().message;
  EXPECT_NE(result.error().message.find("--max-ops"), std::string::npos);
  const std::string& text = sink.text();
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 1001);  // the header and 1000 lines
}

TEST(RunLimits, RaisedLimitsAreInTheHeaderAndDefaultsAreNot) {
  Scenario s = raft();
  Json plain = scenario_to_header(s);
  EXPECT_FALSE(plain["params"].contains("limits")) << plain.dump();
  s.max_events = 123'456;
  s.max_history_ops = 7'890;
  Json raised = scenario_to_header(s);
  EXPECT_EQ(raised["params"]["limits"], (Json{{"max_events", 123'456}, {"max_history_ops", 7'890}}));
  auto back = scenario_from_header(raised, "h.jsonl:1");
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(back.value().max_events, 123'456);
  EXPECT_EQ(back.value().max_history_ops, 7'890);
  EXPECT_NE(scenario_flags_text(s).find("--max-events 123456 --max-ops 7890"), std::string::npos);
}

Scenario scenario_of_file(const std::string& name) {
  std::ifstream in(std::string(FAULTLINE_TEST_DATA) + "/framework/" + name);
  std::string header;
  std::getline(in, header);
  auto scenario = scenario_from_header(Json::parse(header), name + ":1");
  EXPECT_TRUE(scenario) << scenario.error().message;
  return scenario.value();
}

// The probe's reproduction: one node isolated, its clock 17% fast from t = 1 s. Its election
// timer used to fire a nanosecond early and re-arm for a virtual delay of 0, forever.
TEST(Watchdog, TheIsolatedFastClockScenarioFinishes) {
  Scenario s = scenario_of_file("hang-isolate-fast-clock.jsonl");
  MemorySink sink;
  auto result = run(s, sink);
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_GT(result.value().end_time_ns, s.time_ns);
  EXPECT_FALSE(result.value().any_claim_violated());
}

// ---- scripts from a header are checked before the run (defect 8) ----

Scenario scripted(Json op, Json fault) {
  Scenario s = raft();
  s.nemesis = {};
  Script script;
  if (!op.is_null()) {
    ClientOp client_op{.f = op["f"].get<std::string>(), .key = op.value("key", std::string("k0")), .value = op["value"]};
    if (op.contains("node")) client_op.node = op["node"].get<EndpointId>();
    script.ops.push_back({kSec, 0, client_op});
  }
  if (!fault.is_null()) script.faults.push_back({kSec, fault["f"].get<std::string>(), fault["value"]});
  s.script = script;
  return s;
}

std::string script_error(const Scenario& s) {
  MemorySink sink;
  auto result = run(s, sink);
  return result ? "" : result.error().message;
}

TEST(ScriptCheck, BadScriptedOpsAreErrorsNamingTheOp) {
  const std::vector<std::pair<Json, std::string>> cases = {
      {{{"f", "cas"}, {"value", 5}}, "script op #0 (cas at 1s, slot 0): \"cas\" takes a value [expected, new]"},
      {{{"f", "frobnicate"}, {"value", 1}}, "has no operation \"frobnicate\""},
      {{{"f", "write"}, {"value", "x"}}, "\"write\" takes an integer value"},
      {{{"f", "read"}, {"value", 3}}, "\"read\" takes no value"},
      {{{"f", "write"}, {"key", "k99"}, {"value", 1}}, "key \"k99\" is not one of the run's 3 keys"},
      {{{"f", "read"}, {"value", nullptr}, {"node", 7}}, "node 7 is not a node of the cluster"},
  };
  for (const auto& [op, expected] : cases) {
    std::string error = script_error(scripted(op, Json()));
    EXPECT_NE(error.find(expected), std::string::npos) << op.dump() << " gave: " << error;
  }
}

TEST(ScriptCheck, BadScriptedFaultsAreErrorsNamingTheFault) {
  const Json clock_value = {{"node", 0}, {"offset_ns", 0}, {"drift_ppm", 0}, {"strobe_delta_ns", 0},
                            {"strobe_period_ns", 0}};
  auto with = [](Json value, const char* key, Json changed) {
    value[key] = std::move(changed);
    return value;
  };
  const std::vector<std::pair<Json, std::string>> cases = {
      {{{"f", "start-kill"}, {"value", {{"nodes", {99}}}}}, "script fault #0 (start-kill at 1s): node 99 is not a node"},
      {{{"f", "start-crash"}, {"value", {{"nodes", {1.5}}}}}, "a node id must be an integer, got 1.5"},
      {{{"f", "start-pause"}, {"value", {{"nodes", {4294967296}}}}}, "a node id must be an integer"},
      {{{"f", "start-partition"}, {"value", {{"cut", {{0, 99}}}}}}, "node 99 is not a node"},
      {{{"f", "start-partition"}, {"value", {{"cut", {{0, 0}}}}}}, "a link joins two different nodes"},
      {{{"f", "start-partition"}, {"value", {{"cut", {0, 1}}}}}, "a link must be [from, to]"},
      {{{"f", "start-partition"}, {"value", "garbage"}}, "malformed value"},
      {{{"f", "start-clock"}, {"value", with(clock_value, "drift_ppm", -1'000'000)}}, "a clock drift must be in"},
      {{{"f", "start-clock"}, {"value", with(clock_value, "offset_ns", 1e30)}}, "offset_ns must be an integer"},
      {{{"f", "start-clock"}, {"value", with(clock_value, "strobe_period_ns", -5)}}, "a strobe period cannot be"},
      {{{"f", "start-flaky"},
        {"value",
         {{"links", {{0, 1}}}, {"loss_probability", 2}, {"duplicate_probability", 0}, {"latency_ns_base", 0},
          {"latency_ns_jitter", 0}}}},
       "loss_probability must be a probability"},
      {{{"f", "start-flaky"},
        {"value",
         {{"links", {{0, 1}}}, {"loss_probability", 0}, {"duplicate_probability", 0}, {"latency_ns_base", -1},
          {"latency_ns_jitter", 0}}}},
       "a link latency and jitter must be in"},
  };
  for (const auto& [fault, expected] : cases) {
    std::string error = script_error(scripted(Json(), fault));
    EXPECT_NE(error.find(expected), std::string::npos) << fault.dump() << " gave: " << error;
  }
}

TEST(ScriptCheck, BadMemberEventsAreErrorsNotAborts) {
  // The Dynamo store's member nemesis replays a recorded event as an operator command; a
  // hand-edited one must be refused before the run, never reach the node's assertion.
  const std::vector<std::pair<Json, std::string>> cases = {
      {{{"node", 0}, {"action", "explode"}}, "a member action is leave or join, got \"explode\""},
      {{{"node", 99}, {"action", "leave"}}, "node 99 is not a node of the cluster"},
      {{{"node", 0.5}, {"action", "join"}}, "a node id must be an integer, got 0.5"},
  };
  for (const auto& [value, expected] : cases) {
    Scenario s = scripted(Json(), {{"f", "start-member"}, {"value", value}});
    s.system = "dynamo";
    s.node_count = 5;
    const std::string error = script_error(s);
    EXPECT_NE(error.find(expected), std::string::npos) << value.dump() << " gave: " << error;
  }
}

TEST(ScriptCheck, BadShardEventsAreErrorsNotAborts) {
  // The sharded store's move, membership and route-stale packages replay recorded events; a
  // hand-edited one is refused before the run (a bad change used to abort every controller
  // node; a pick of 1e30 was undefined behaviour).
  const std::vector<std::pair<Json, std::string>> cases = {
      {{{"f", "start-move"}, {"value", {{"change", "explode"}, {"pick", 1}}}},
       "a start-move event's change is \"move\", got \"explode\""},
      {{{"f", "start-move"}, {"value", {{"change", "move"}, {"pick", 1e30}}}}, "a pick must be an integer, got 1e+30"},
      {{{"f", "stop-membership"}, {"value", {{"change", "join"}, {"pick", -1}}}},
       "a pick must be an integer in [0, 4294967295], got -1"},
      {{{"f", "start-membership"}, {"value", {{"change", "join"}, {"pick", 3}}}},
       "a start-membership event's change is \"leave\", got \"join\""},
      {{{"f", "start-route-stale"}, {"value", {{"nodes", {99}}, {"delay_ns", 5}}}}, "node 99 is not a node"},
      {{{"f", "start-route-stale"}, {"value", {{"nodes", "x"}, {"delay_ns", 5}}}}, "\"nodes\" must be an array"},
  };
  for (const auto& [fault, expected] : cases) {
    Scenario s = scripted(Json(), fault);
    s.system = "sharded";
    s.node_count = 12;
    const std::string error = script_error(s);
    EXPECT_NE(error.find(expected), std::string::npos) << fault.dump() << " gave: " << error;
  }
}

TEST(ScriptCheck, AWellFormedScriptRuns) {
  Scenario s = scripted({{"f", "cas"}, {"value", {1, 2}}}, {{"f", "start-kill"}, {"value", {{"nodes", {2}}}}});
  MemorySink sink;
  auto result = run(s, sink);
  EXPECT_TRUE(result) << result.error().message;
}

// The register-delete workload deletes a key by writing null: a shrink replays those deletes
// (a planted tombstone bug could not be shrunk while they were refused); the plain register
// still refuses a null write.
TEST(ScriptCheck, ADeleteReplaysOnlyWhereTheWorkloadDeletes) {
  Scenario s = scripted({{"f", "write"}, {"value", nullptr}}, Json());
  EXPECT_NE(script_error(s).find("\"write\" takes an integer value, got null"), std::string::npos);
  s.system = "dynamo";
  s.workload = "register-delete";
  s.node_count = 5;
  EXPECT_EQ(script_error(s), "");
}

TEST(ScriptCheck, AScriptedOpsNodeSurvivesTheHeader) {
  Scenario s = scripted({{"f", "read"}, {"value", nullptr}, {"node", 2}}, Json());
  auto back = scenario_from_header(scenario_to_header(s), "h:1");
  ASSERT_TRUE(back) << back.error().message;
  ASSERT_TRUE(back.value().script.has_value());
  EXPECT_EQ(back.value().script->ops.at(0).op.node, std::optional<EndpointId>(2));
}

TEST(ScriptCheck, HeaderScriptNumbersMustBeIntegers) {
  Json header = scenario_to_header(scripted({{"f", "write"}, {"value", 1}}, Json()));
  header["params"]["script"]["ops"][0]["slot"] = 1e30;
  auto scenario = scenario_from_header(header, "h.jsonl:1");
  ASSERT_FALSE(scenario);
  EXPECT_NE(scenario.error().message.find("h.jsonl:1: malformed script: \"slot\" must be an integer"),
            std::string::npos)
      << scenario.error().message;
}

}  // namespace
}  // namespace faultline
