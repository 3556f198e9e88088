// End-to-end tests of the claims vocabulary on the command line: `faultline list`, `check
// --checker` on hand-written histories, workloads and their planted bugs, `--param`.
#include <gtest/gtest.h>

#include <filesystem>

#include "cli_runner.h"
#include "histories/op.h"

namespace {

using namespace faultline::testing;
namespace fs = std::filesystem;

std::string work_dir() {
  static const std::string dir = make_work_dir("faultline-claims-cli");
  return dir;
}

CommandResult faultline(const std::string& args) { return run_in(work_dir(), std::string(FAULTLINE_BIN) + " " + args); }

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

TEST(ClaimsCli, ListNamesEverySystemWorkloadCheckerAndFault) {
  auto result = faultline("list");
  ASSERT_EQ(result.exit_code, 0) << result.err;
  for (const char* name : {"single", "raft", "register", "set", "counter", "session", "append", "linearizable",
                           "liveness", "set-full", "convergence", "staleness", "availability", "partition", "crash",
                           "single.lost-add", "single.double-increment", "heartbeat_ms"})
    EXPECT_TRUE(contains(result.out, name)) << name;
  auto checkers = faultline("list checkers");
  ASSERT_EQ(checkers.exit_code, 0);
  EXPECT_FALSE(contains(checkers.out, "heartbeat_ms")) << "one section only";
  EXPECT_EQ(faultline("list nonsense").exit_code, 2);
}

// Every hand-written history in tests/data/checkers/<checker>/NAME.<verdict>.jsonl (with
// NAME.options.json when the case needs options) gets its verdict's exit code.
TEST(ClaimsCli, CheckGivesEveryHandWrittenHistoryItsVerdict) {
  const std::map<std::string, int> exit_codes = {{"valid", 0}, {"invalid", 1}, {"unknown", 3}};
  int files = 0;
  for (const auto& dir : fs::directory_iterator(std::string(FAULTLINE_TEST_DATA) + "/checkers")) {
    const std::string checker = dir.path().filename().string();
    for (const auto& entry : fs::directory_iterator(dir.path())) {
      const fs::path path = entry.path();
      if (path.extension() != ".jsonl") continue;
      const std::string stem = path.stem().string();  // NAME.verdict
      const std::string verdict = stem.substr(stem.rfind('.') + 1);
      ASSERT_TRUE(exit_codes.count(verdict)) << path;
      std::string options;
      fs::path options_file = path.parent_path() / (stem.substr(0, stem.rfind('.')) + ".options.json");
      if (fs::exists(options_file)) {
        const faultline::Json given = faultline::Json::parse(slurp(options_file.string()));
        for (const auto& [name, value] : given.items()) options += " --option '" + name + "=" + value.dump() + "'";
      }
      auto result = faultline("check --checker " + checker + options + " " + path.string());
      EXPECT_EQ(result.exit_code, exit_codes.at(verdict)) << path << "\n" << result.out << result.err;
      EXPECT_TRUE(contains(result.out, verdict)) << result.out;
      ++files;
    }
  }
  EXPECT_GE(files, 50);
}

TEST(ClaimsCli, CheckJsonNamesTheCheckerAndItsEvidence) {
  auto result = faultline("check --checker set-full --json " + std::string(FAULTLINE_TEST_DATA) +
                          "/checkers/set-full/lost-element.invalid.jsonl");
  ASSERT_EQ(result.exit_code, 1) << result.err;
  auto line = faultline::Json::parse(result.out);
  EXPECT_EQ(line["verdict"], "invalid");
  EXPECT_FALSE(line["evidence"].empty());
}

TEST(ClaimsCli, BadCheckerUsageIsOneLineAndExit2) {
  const std::string file = std::string(FAULTLINE_TEST_DATA) + "/checkers/counter/within-bounds.valid.jsonl";
  for (const std::string& args : {"check --checker nosuch " + file, "check --checker counter --option nope=1 " + file,
                                  "check --checker counter --option subset_sum_limit=0 " + file,
                                  "check --checker counter --option =1 " + file,
                                  "check --checker set-full --model kv " + file}) {
    auto result = faultline(args);
    EXPECT_EQ(result.exit_code, 2) << args << "\n" << result.out;
    EXPECT_EQ(line_count(result.err), 1) << args << "\n" << result.err;
  }
}

TEST(ClaimsCli, CheckOfAnUnreadableHistoryNamesFileAndLine) {
  // A set read that returned a number: the checker cannot read it, and says where.
  std::ofstream(work_dir() + "/bad-set.jsonl") << R"({"index":0,"time":0,"process":0,"type":"invoke","f":"read","key":"k","value":null}
{"index":1,"time":1,"process":0,"type":"ok","f":"read","key":"k","value":7}
)";
  auto result = faultline("check --checker set-full bad-set.jsonl");
  EXPECT_EQ(result.exit_code, 2) << result.out;
  EXPECT_TRUE(contains(result.err, "bad-set.jsonl:2")) << result.err;
}

TEST(ClaimsCli, LostAddIsNamedBySetFull) {
  auto result = faultline("run --system single --workload set --bug single.lost-add --nemesis crash --seed 1 --out lost");
  EXPECT_EQ(result.exit_code, 1) << result.out << result.err;
  EXPECT_TRUE(contains(result.out, "claim set-full (set-full): VIOLATED")) << result.out;
  EXPECT_TRUE(contains(result.out, "lost")) << result.out;
  auto results = faultline::Json::parse(slurp(work_dir() + "/lost/results.json"));
  const auto& set_full = results["claims"][0];
  EXPECT_EQ(set_full["checker"], "set-full");
  EXPECT_EQ(set_full["verdict"], "invalid");
  EXPECT_FALSE(set_full["evidence"]["lost"].empty()) << set_full["evidence"].dump();
  // The same file, judged again from the command line, names the same verdict.
  EXPECT_EQ(faultline("check --checker set-full lost/history.jsonl").exit_code, 1);
}

// Issue 12, item 3: a run prints its availability per fault window and partition side (held
// or not), the time its replicas took to agree after the heal, and its read repairs and hints.
TEST(ClaimsCli, ARunPrintsAvailabilityPerSideAndTimeToConverge) {
  auto result = faultline(
      "run --system dynamo --workload set --param r=1 --param w=1 --nemesis partition:halves --seed 2 --out cap");
  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
  EXPECT_TRUE(contains(result.out, "claim availability (availability): held\n  valid: ")) << result.out;
  EXPECT_TRUE(contains(result.out, "partition")) << result.out;
  for (const char* metric : {"converged_ms_after_heal ", "read_repairs ", "hints_stored ", "hints_delivered ",
                             "anti_entropy_keys "})
    EXPECT_TRUE(contains(result.out, metric)) << metric << " in " << result.out;
  auto results = faultline::Json::parse(slurp(work_dir() + "/cap/results.json"));
  EXPECT_TRUE(results["metrics"]["converged_ms_after_heal"].is_number()) << results["metrics"].dump();
}

TEST(ClaimsCli, DoubleIncrementIsCaughtByTheCounterChecker) {
  auto result = faultline("run --system single --workload counter --bug single.double-increment --nemesis pause "
                          "--seed 1 --out double");
  EXPECT_EQ(result.exit_code, 1) << result.out << result.err;
  EXPECT_TRUE(contains(result.out, "claim counter (counter): VIOLATED")) << result.out;
}

TEST(ClaimsCli, ScenarioNamesAreCheckedAtTheStart) {
  for (const char* args : {"run --system raft --workload set", "run --workload nosuch", "run --param x=1",
                           "run --system raft --param heartbeat_ms=abc", "run --system raft --param heartbeat_ms=500",
                           "run --mix add=1", "run --workload set --mix 1:1:1", "run --nemesis ,,,",
                           "run --seed 99999999999999999999", "run --rate 1e-12", "frobnicate"}) {
    auto result = faultline(std::string(args) + " --out never");
    EXPECT_EQ(result.exit_code, 2) << args << "\n" << result.out;
    EXPECT_EQ(line_count(result.err), 1) << args << "\n" << result.err;
    EXPECT_FALSE(fs::exists(work_dir() + "/never/history.jsonl")) << args;
  }
}

TEST(ClaimsCli, ParamAndMixByNameReachTheHeader) {
  auto result = faultline("run --system raft --param heartbeat_ms=20 --param snapshot_threshold=8 "
                          "--mix read=3,cas=0 --time 2s --out params");
  ASSERT_EQ(result.exit_code, 0) << result.err;
  auto header = faultline::Json::parse(slurp(work_dir() + "/params/history.jsonl").substr(
      0, slurp(work_dir() + "/params/history.jsonl").find('\n')));
  EXPECT_EQ(header["params"]["system_params"]["heartbeat_ms"], 20);
  EXPECT_EQ(header["params"]["mix"]["cas"], 0);
  EXPECT_EQ(header["params"]["mix"]["write"], 1);
  EXPECT_EQ(faultline("repro params/history.jsonl").exit_code, 0);
}

TEST(ClaimsCli, MatrixShowsEachConfigurationsClaims) {
  auto result = faultline("matrix --system single --seeds 3 --time 2s --packages crash,pause --out matrix");
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  for (const char* part : {"configuration", "set-full", "counter", "session", "held 6"})
    EXPECT_TRUE(contains(result.out, part)) << part << "\n" << result.out;
  auto buggy = faultline("matrix --system single --bug single.lost-add --seeds 5 --time 3s --packages crash "
                         "--out matrix-bug");
  EXPECT_EQ(buggy.exit_code, 1) << buggy.out << buggy.err;
  EXPECT_TRUE(contains(buggy.out, "VIOLATED")) << buggy.out;
  EXPECT_TRUE(contains(buggy.out, "crash seed")) << buggy.out;
  EXPECT_EQ(faultline("matrix --system nosuch").exit_code, 2);
  EXPECT_EQ(faultline("matrix --system single --seeds 0").exit_code, 2);
}

TEST(ClaimsCli, VersionAndUnknownCommand) {
  auto version = faultline("--version");
  EXPECT_EQ(version.exit_code, 0);
  EXPECT_FALSE(version.out.empty());
  auto unknown = faultline("frobnicate");
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_TRUE(contains(unknown.err, "frobnicate")) << unknown.err;
  EXPECT_TRUE(contains(unknown.err, "campaign")) << unknown.err;
  auto unknown_bench = faultline("bench frobnicate");
  EXPECT_EQ(unknown_bench.exit_code, 2);
  EXPECT_TRUE(contains(unknown_bench.err, "unknown command \"bench frobnicate\"")) << unknown_bench.err;
  EXPECT_TRUE(contains(unknown_bench.err, "check")) << unknown_bench.err;
}

}  // namespace
