// End-to-end tests of the faultline executable: exit codes, one-line errors, replay.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "cli_runner.h"
#include "histories/op.h"

namespace {

using namespace faultline::testing;

std::string work_dir() {
  static const std::string dir = make_work_dir("faultline-cli");
  return dir;
}

// Runs the binary; `env` prefixes the command (e.g. "TZ=UTC").
CommandResult faultline(const std::string& args, const std::string& env = "") {
  return run_in(work_dir(), env + " " + FAULTLINE_BIN + " " + args);
}

std::string sha_line(const std::string& out) {
  auto at = out.find("history sha256 ");
  return at == std::string::npos ? "" : out.substr(at + 15, 64);
}

TEST(Cli, UnknownFlagIsOneLineAndExit2) {
  auto result = faultline("run --bogus");
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_EQ(line_count(result.err), 1) << result.err;
  EXPECT_NE(result.err.find("--bogus"), std::string::npos) << result.err;
}

TEST(Cli, ImpossibleValuesAreOneLineAndExit2) {
  for (const char* args : {"run --system single --nodes 3", "run --loss 2", "run --time 5parsecs",
                           "run --system nosuch", "run --nemesis meteor", "run --mix 1:x:1",
                           "run --concurrency 0", "run --seed -1"}) {
    auto result = faultline(args);
    EXPECT_EQ(result.exit_code, 2) << args;
    EXPECT_EQ(line_count(result.err), 1) << args << ": " << result.err;
  }
}

TEST(Cli, MixWeightBoundIsTheHeadersAndIsNamed) {
  // Issue 9, defect 9: the command line refused 2^40 (which a header accepts) with a
  // generic message, and a weight of 13 digits was "malformed".
  EXPECT_EQ(faultline("run --mix 1099511627776:1:1 --time 1s --out at-bound").exit_code, 0);
  for (const char* args : {"run --mix 1099511627777:1:1", "run --mix read=9999999999999999999"}) {
    auto result = faultline(args);
    EXPECT_EQ(result.exit_code, 2) << args;
    EXPECT_EQ(line_count(result.err), 1) << args << ": " << result.err;
    EXPECT_NE(result.err.find("at most 2^40"), std::string::npos) << args << ": " << result.err;
  }
}

TEST(Cli, SameSeedTwiceGivesTheSameSha256InSeparateProcesses) {
  auto first = faultline("run --seed 7 --nemesis kill,pause --out a", "TZ=UTC");
  auto second = faultline("run --seed 7 --nemesis kill,pause --out b", "TZ=Asia/Kolkata LANG=C FOO=bar");
  ASSERT_EQ(first.exit_code, 0) << first.out << first.err;
  ASSERT_EQ(second.exit_code, 0) << second.out << second.err;
  EXPECT_EQ(sha_line(first.out).size(), 64u);
  EXPECT_EQ(sha_line(first.out), sha_line(second.out));
  EXPECT_EQ(slurp(work_dir() + "/a/history.jsonl"), slurp(work_dir() + "/b/history.jsonl"));
}

TEST(Cli, RunWritesResultsWithEachClaimsVerdict) {
  auto result = faultline("run --seed 3 --out results");
  ASSERT_EQ(result.exit_code, 0) << result.err;
  auto results = faultline::Json::parse(slurp(work_dir() + "/results/results.json"));
  ASSERT_EQ(results["claims"].size(), 2u);
  EXPECT_EQ(results["claims"][0]["claim"], "linearizable");
  EXPECT_EQ(results["claims"][0]["verdict"], "valid");
  EXPECT_EQ(results["claims"][1]["claim"], "liveness");
  EXPECT_EQ(results["claims"][1]["verdict"], "valid");
  EXPECT_EQ(results["history_sha256"], sha_line(result.out));
}

TEST(Cli, ReproSaysIdenticalWithTheSha256) {
  auto run = faultline("run --seed 9 --nemesis crash --out r");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  auto repro = faultline("repro r/history.jsonl");
  EXPECT_EQ(repro.exit_code, 0) << repro.out << repro.err;
  EXPECT_EQ(repro.out, "identical " + sha_line(run.out) + "\n");
}

TEST(Cli, ReproShowsTheFirstDifferingLine) {
  ASSERT_EQ(faultline("run --seed 9 --out t").exit_code, 0);
  std::string path = work_dir() + "/t/history.jsonl";
  std::string text = slurp(path);
  auto third_line = text.find('\n', text.find('\n') + 1) + 1;  // line 3
  text.replace(text.find("\"time\":", third_line), 7, "\"time\":9");
  std::ofstream(path, std::ios::binary) << text;
  auto repro = faultline("repro t/history.jsonl");
  EXPECT_EQ(repro.exit_code, 1);
  EXPECT_NE(repro.out.find("first difference at line 3"), std::string::npos) << repro.out;
}

TEST(Cli, ReproOfAHistoryWithoutHeaderNamesFileAndLine) {
  std::ofstream(work_dir() + "/noheader.jsonl")
      << "{\"index\":0,\"time\":1,\"process\":0,\"type\":\"invoke\",\"f\":\"read\",\"value\":null}\n";
  auto repro = faultline("repro noheader.jsonl");
  EXPECT_EQ(repro.exit_code, 2);
  EXPECT_EQ(line_count(repro.err), 1);
  EXPECT_NE(repro.err.find("noheader.jsonl:1:"), std::string::npos) << repro.err;
}

TEST(Cli, ViolatedClaimExits1) {
  bool violated = false;
  for (int seed = 1; seed <= 10 && !violated; ++seed) {
    auto run = faultline("run --bug single.ack-before-fsync --nemesis crash --rate 200 --seed " +
                         std::to_string(seed) + " --out bug");
    ASSERT_NE(run.exit_code, 2) << run.err;
    if (run.exit_code == 1) {
      violated = true;
      EXPECT_NE(run.out.find("VIOLATED"), std::string::npos) << run.out;
    }
  }
  EXPECT_TRUE(violated);
}

TEST(Cli, BugsListsPlantedBugsWithSources) {
  auto result = faultline("bugs");
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_NE(result.out.find("single.ack-before-fsync"), std::string::npos);
  EXPECT_NE(result.out.find("source:"), std::string::npos);
}

TEST(Cli, DemoPrintsATableWithACaughtBug) {
  auto result = faultline("demo --seeds 3 --time 3s --out demo");
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.out.find("claims over seeds"), std::string::npos);
  EXPECT_NE(result.out.find("single.ack-before-fsync"), std::string::npos);
  EXPECT_NE(result.out.find("faultline repro"), std::string::npos) << result.out;
}

}  // namespace
