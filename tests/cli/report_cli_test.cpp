// End-to-end tests of the reports (issue 14): which commands leave report.html and
// messages.jsonl and where, `--no-report` and `--record-messages`, `faultline report` on a
// run, a history file and a campaign, and an aborted campaign seed's assertion on the
// console. What a report shows is checked in a browser (tests/report/browser_test.py).
#include <gtest/gtest.h>

#include <filesystem>

#include "cli_runner.h"

namespace {

using namespace faultline::testing;

namespace fs = std::filesystem;

std::string work_dir() {
  static const std::string dir = make_work_dir("faultline-report-cli");
  return dir;
}

// Runs a shell script in the work directory; $FAULTLINE and $ABORTING are the binaries.
CommandResult shell(const std::string& script) {
  return run_in(work_dir(), std::string("FAULTLINE=") + FAULTLINE_BIN + " && ABORTING=" + ABORTING_BIN +
                                " && unset JOB_COMPLETION_INDEX && " + script);
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

bool exists(const std::string& relative) { return fs::exists(fs::path(work_dir()) / relative); }

std::string read(const std::string& relative) { return slurp(work_dir() + "/" + relative); }

// A lost write on the single store: the run violates linearizability.
const std::string kLostWrite = "--system single --bug single.ack-before-fsync --nemesis crash --rate 200 --time 3s --seed 2";

TEST(RunReport, AFailingRunLeavesItsReportAndMessages) {
  auto failing = shell("$FAULTLINE run " + kLostWrite + " --out lost");
  ASSERT_EQ(failing.exit_code, 1) << failing.out << failing.err;
  EXPECT_TRUE(contains(failing.out, "wrote lost/report.html")) << failing.out;
  const std::string page = read("lost/report.html");
  EXPECT_TRUE(contains(page, "default-src 'none'"));  // fetches nothing
  EXPECT_TRUE(contains(page, "linearizable VIOLATED")) << "the title names the violated claim";
  const std::string messages = read("lost/messages.jsonl");
  EXPECT_EQ(messages.rfind("{\"faultline_messages\":1,", 0), 0u) << messages.substr(0, 200);
}

TEST(RunReport, NoReportSkipsItAndAPassingRunWritesNeitherUnlessAsked) {
  auto skipped = shell("$FAULTLINE run " + kLostWrite + " --no-report --out lost-quiet");
  ASSERT_EQ(skipped.exit_code, 1) << skipped.out << skipped.err;
  EXPECT_FALSE(exists("lost-quiet/report.html"));
  auto passing = shell("$FAULTLINE run --system single --time 1s --out passing");
  ASSERT_EQ(passing.exit_code, 0) << passing.out << passing.err;
  EXPECT_FALSE(exists("passing/report.html"));
  EXPECT_FALSE(exists("passing/messages.jsonl"));
  auto recorded = shell("$FAULTLINE run --system single --time 1s --record-messages --out recorded");
  ASSERT_EQ(recorded.exit_code, 0) << recorded.out << recorded.err;
  EXPECT_TRUE(exists("recorded/messages.jsonl"));
  EXPECT_FALSE(exists("recorded/report.html"));
}

TEST(ReportCommand, WritesTheReportOfARunDirectoryOrAHistoryFile) {
  ASSERT_EQ(shell("$FAULTLINE run --system single --time 1s --out ran").exit_code, 0);
  auto run_dir = shell("$FAULTLINE report ran");
  EXPECT_EQ(run_dir.exit_code, 0) << run_dir.err;
  EXPECT_EQ(run_dir.out, "wrote ran/report.html\n");
  // A history with no results.json beside it is judged with its system's claims.
  shell("cp ran/history.jsonl loose.jsonl");
  auto loose = shell("$FAULTLINE report loose.jsonl");
  EXPECT_EQ(loose.exit_code, 0) << loose.err;
  EXPECT_TRUE(exists("loose.report.html"));
  auto chosen = shell("$FAULTLINE report loose.jsonl -o elsewhere.html");
  EXPECT_EQ(chosen.exit_code, 0) << chosen.err;
  EXPECT_TRUE(exists("elsewhere.html"));
  auto missing = shell("$FAULTLINE report nowhere");
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_EQ(missing.err, "faultline: nowhere: no such file or directory\n");
}

TEST(ReportCommand, FilesEditedIntoOtherShapesAreOneLineErrorsNamingThem) {
  ASSERT_EQ(shell("$FAULTLINE run " + kLostWrite + " --out edited").exit_code, 1);
  shell("cp edited/results.json results.kept && cp edited/messages.jsonl messages.kept");
  const std::vector<std::pair<std::string, std::string>> edits = {
      {"echo '[1]' > edited/results.json", "faultline: edited/results.json: not a JSON object\n"},
      {"echo '{\"claims\": 5}' > edited/results.json", "faultline: edited/results.json: \"claims\" is not an array\n"},
      {"python3 -c \"import json; r = json.load(open('edited/results.json')); "
       "r['claims'][0]['evidence']['failing_op'] = 7; json.dump(r, open('edited/results.json', 'w'))\"",
       "faultline: edited/results.json: evidence the report cannot read ("},
      {"echo '{\"faultline_messages\":1}' > edited/messages.jsonl && echo '{\"id\":\"x\"}' >> edited/messages.jsonl",
       "faultline: edited/messages.jsonl:2: \"id\" is not an integer\n"}};
  for (const auto& [edit, error] : edits) {
    shell("cp results.kept edited/results.json && cp messages.kept edited/messages.jsonl && " + edit);
    auto refused = shell("$FAULTLINE report edited");
    EXPECT_EQ(refused.exit_code, 2) << edit << "\n" << refused.err;
    EXPECT_EQ(refused.err.rfind(error, 0), 0u) << edit << "\n" << refused.err;
    EXPECT_EQ(line_count(refused.err), 1) << refused.err;
  }
}

TEST(CampaignReport, AnIndexPageAndOneReportPerFailingSeed) {
  auto campaign = shell("$FAULTLINE campaign " + kLostWrite.substr(0, kLostWrite.find(" --seed")) +
                        " --seeds 1..3 --jobs 1 --quiet --out lost-campaign");
  ASSERT_EQ(campaign.exit_code, 1) << campaign.out << campaign.err;
  const std::string index = read("lost-campaign/report.html");
  int failing = 0;
  for (int seed = 1; seed <= 3; ++seed) {
    const std::string report = "failures/seed-" + std::to_string(seed) + "/report.html";
    if (!exists("lost-campaign/failures/seed-" + std::to_string(seed) + "/history.jsonl")) continue;
    ++failing;
    EXPECT_TRUE(exists("lost-campaign/" + report)) << report;
    EXPECT_TRUE(contains(index, report)) << "the index links " << report;
  }
  EXPECT_GT(failing, 0);
  EXPECT_FALSE(contains(campaign.err, "campaign: ")) << "--quiet: no progress line";
}

TEST(CampaignReport, ADeadSeedsAssertionIsOnTheConsoleAndItGetsAReport) {
  auto campaign = shell("$ABORTING campaign --system aborting --nemesis none --time 2s --seeds 1..1 --jobs 1 --quiet --out dead");
  ASSERT_EQ(campaign.exit_code, 1) << campaign.out << campaign.err;
  EXPECT_TRUE(contains(campaign.err, "seed 1 failed: aborted (SIGABRT)\n  invariant broken at ")) << campaign.err;
  EXPECT_TRUE(contains(campaign.err, "planted abort")) << campaign.err;
  EXPECT_TRUE(exists("dead/failures/seed-1/report.html"));
}

TEST(ShrinkReport, TheShrunkRunGetsAReportWithItsMessages) {
  ASSERT_EQ(shell("$FAULTLINE run " + kLostWrite + " --no-report --out to-shrink").exit_code, 1);
  auto shrunk = shell("$FAULTLINE shrink to-shrink --out shrunk");
  ASSERT_EQ(shrunk.exit_code, 0) << shrunk.out << shrunk.err;
  EXPECT_TRUE(exists("shrunk/report.html"));
  EXPECT_TRUE(exists("shrunk/messages.jsonl"));
  auto plain = shell("$FAULTLINE shrink to-shrink --no-report --out shrunk-plain");
  ASSERT_EQ(plain.exit_code, 0) << plain.out << plain.err;
  EXPECT_FALSE(exists("shrunk-plain/report.html"));
}

}  // namespace
