// A user's program adds its own workload and checker to a registry and runs them, with no
// edit under framework/ (issue 8): the registry, the runner and the claims machinery take
// any entry.
#include <gtest/gtest.h>

#include <map>

#include "framework/cli/builtins.h"
#include "framework/simulate.h"
#include "systems/single/single_store.h"

namespace faultline {
namespace {

// The user's checker: per process and key, successive ok reads never decrease.
CheckerSpec reads_never_decrease() {
  return CheckerSpec{
      .name = "reads-never-decrease",
      .description = "each process's reads of a key never go down",
      .options = {{.name = "slack", .type = OptionType::integer, .default_value = 0, .description = "allowed drop"}},
      .check = [](const History& history, const Json& options, const OpLocator& locate) -> Result<CheckResult> {
        std::map<std::pair<int64_t, std::string>, int64_t> last;
        int64_t reads = 0;
        for (size_t position = 0; position < history.ops.size(); ++position) {
          const Op& op = history.ops[position];
          if (op.type != OpType::ok || op.f != "read") continue;
          if (!op.value.is_number_integer()) return fail(locate(position) + ": a read of a counter is an integer");
          ++reads;
          auto [it, first] = last.try_emplace({op.process, op.key.value_or("")}, op.value.get<int64_t>());
          if (!first && op.value.get<int64_t>() + options.at("slack").get<int64_t>() < it->second)
            return CheckResult{.verdict = Verdict::invalid, .checker = "reads-never-decrease",
                               .summary = "read #" + std::to_string(op.index) + " went down"};
          it->second = op.value.get<int64_t>();
        }
        return CheckResult{.verdict = reads > 0 ? Verdict::valid : Verdict::unknown,
                           .checker = "reads-never-decrease",
                           .summary = std::to_string(reads) + " reads never went down"};
      },
  };
}

// The user's workload: mostly increments.
WorkloadEntry tally_workload() {
  return WorkloadEntry{.name = "tally",
                       .description = "increments, some reads",
                       .operations = {{.f = "add", .default_weight = 3, .value = ValueKind::amount},
                                      {.f = "read", .value = ValueKind::none}}};
}

// The user's system: the single store's counter mode, speaking "tally", with one more claim.
class TallyStore final : public System {
 public:
  TallyStore(std::unique_ptr<System> inner, std::string checker, Json options)
      : inner_(std::move(inner)), checker_(std::move(checker)), options_(std::move(options)) {}
  std::string name() const override { return "tally-store"; }
  std::vector<ClaimSpec> claims() const override {
    auto claims = inner_->claims();
    claims.push_back({"monotone", "a process never sees the tally go down", checker_, options_});
    return claims;
  }
  std::vector<BugSpec> bugs() const override { return inner_->bugs(); }
  std::unique_ptr<Node> make_node(Env& env) const override { return inner_->make_node(env); }
  std::unique_ptr<Client> make_client(ClientEnv& env) const override { return inner_->make_client(env); }
  const MessageCodec& codec() const override { return inner_->codec(); }

 private:
  std::unique_ptr<System> inner_;
  std::string checker_;
  Json options_;
};

SystemEntry tally_store(const std::string& checker, const Json& options = Json::object()) {
  SystemEntry entry = single::single_entry();
  entry.name = "tally-store";
  entry.workloads = {"tally"};
  entry.make = [checker, options](SystemConfig config) -> Result<std::unique_ptr<System>> {
    config.workload = "counter";
    BOOST_OUTCOME_TRY(inner, single::make_single_store(config));
    return std::unique_ptr<System>(std::make_unique<TallyStore>(std::move(inner), checker, options));
  };
  return entry;
}

Scenario tally_scenario(uint64_t seed) {
  Scenario s;
  s.system = "tally-store";
  s.workload = "tally";
  s.node_count = 1;
  s.seed = seed;
  s.time_ns = 3'000'000'000;
  s.nemesis = {"kill", "pause"};
  return s;
}

TEST(Extension, AUsersWorkloadAndCheckerRunLikeBuiltIns) {
  Registry registry;
  add_builtins(registry);
  registry.add_workload(tally_workload());
  registry.add_checker(reads_never_decrease());
  registry.add_system(tally_store("reads-never-decrease"));
  for (uint64_t seed = 1; seed <= 5; ++seed) {
    auto simulation = simulate(tally_scenario(seed), registry, {.failure_dir = ""});
    ASSERT_TRUE(simulation) << simulation.error().message;
    const RunResult& run = simulation.value().run;
    ASSERT_EQ(run.claims.back().claim.name, "monotone");
    EXPECT_EQ(run.claims.back().result.verdict, Verdict::valid) << run.claims.back().result.summary;
    EXPECT_TRUE(run.all_claims_held());
    int adds = 0;
    for (const Op& op : run.history.ops) adds += op.type == OpType::invoke && op.f == "add";
    EXPECT_GT(adds, 50) << "the user's workload drove the run";
  }
}

TEST(Extension, AClaimNamingAnUnregisteredCheckerFailsAtTheStart) {
  Registry registry;
  add_builtins(registry);
  registry.add_workload(tally_workload());
  registry.add_system(tally_store("no-such-checker"));
  MemorySink sink;
  auto run = run_scenario(tally_scenario(1), registry, sink);
  ASSERT_FALSE(run);
  EXPECT_NE(run.error().message.find("no-such-checker"), std::string::npos) << run.error().message;
  EXPECT_TRUE(sink.text().empty()) << "nothing ran";
}

TEST(Extension, AClaimWithOptionsItsCheckerRefusesFailsAtTheStart) {
  Registry registry;
  add_builtins(registry);
  registry.add_workload(tally_workload());
  registry.add_system(tally_store("linearizable", Json{{"model", "no-such-model"}}));
  MemorySink sink;
  auto run = run_scenario(tally_scenario(1), registry, sink);
  ASSERT_FALSE(run);
  EXPECT_NE(run.error().message.find("no-such-model"), std::string::npos) << run.error().message;
}

}  // namespace
}  // namespace faultline
