// Robustness of what the framework writes and of the processes it starts: checked writes
// (full disks), the campaign directory's lock, leftovers and stray records, complete merges,
// workers dying with their parent, and runs that abort (reported, shrunk) in a child process.
#include <gtest/gtest.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <filesystem>
#include <thread>

#include "aborting_system.h"
#include "base/files.h"
#include "framework/abort_report.h"
#include "framework/campaign.h"
#include "framework/campaign_merge.h"
#include "framework/campaign_store.h"
#include "framework/shrink.h"
#include "framework/worker_processes.h"
#include "test_registry.h"

namespace faultline {
namespace {

namespace fs = std::filesystem;

std::string fresh_dir(const std::string& name) {
  auto dir = fs::path(::testing::TempDir()) / ("faultline-processes-" + std::to_string(getpid())) / name;
  fs::remove_all(dir);
  fs::create_directories(dir.parent_path());
  return dir.string();
}

const Registry& registry() {
  static const Registry registry = [] {
    Registry r = testing::single_registry();
    r.add_system(testing::aborting_entry());
    return r;
  }();
  return registry;
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// A 64 KiB tmpfs: a real full disk. Root may mount one; elsewhere the tests that need it skip.
class TinyDisk : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fresh_dir("tiny-disk");
    fs::create_directories(dir_);
    if (::mount("tmpfs", dir_.c_str(), "tmpfs", 0, "size=64k") != 0)
      GTEST_SKIP() << "cannot mount a tmpfs here (" << std::strerror(errno) << "): full-disk test skipped";
    mounted_ = true;
  }
  void TearDown() override {
    if (mounted_) ::umount2(dir_.c_str(), MNT_DETACH);
  }
  std::string dir_;
  bool mounted_ = false;
};

TEST(WriteFileAtomically, ReplacesTheFileAndLeavesNoTemporary) {
  std::string dir = fresh_dir("atomic");
  fs::create_directories(dir);
  ASSERT_TRUE(write_file_atomically(dir + "/f.json", "old\n"));
  ASSERT_TRUE(write_file_atomically(dir + "/f.json", "new\n", Durability::survives_kill));
  EXPECT_EQ(read_whole_file(dir + "/f.json").value(), "new\n");
  EXPECT_EQ(std::distance(fs::directory_iterator(dir), fs::directory_iterator()), 1);
}

TEST(WriteFileAtomically, AFullDeviceIsAnErrorNamingThePath) {
  auto written = write_file_atomically("/dev/full", "text\n");
  ASSERT_FALSE(written);
  EXPECT_EQ(written.error().message, "/dev/full: cannot write: No space left on device");
}

TEST(WriteFileAtomically, ADirectoryIsAnError) {
  std::string dir = fresh_dir("is-dir");
  fs::create_directories(dir + "/results.json");
  auto written = write_file_atomically(dir + "/results.json", "{}\n");
  ASSERT_FALSE(written);
  EXPECT_TRUE(contains(written.error().message, dir + "/results.json: cannot write: Is a directory"))
      << written.error().message;
}

TEST_F(TinyDisk, AFailedAtomicWriteKeepsTheOldFileAndNoTemporary) {
  ASSERT_TRUE(write_file_atomically(dir_ + "/summary.json", "old\n"));
  auto written = write_file_atomically(dir_ + "/summary.json", std::string(100'000, 'x'));
  ASSERT_FALSE(written);
  EXPECT_EQ(written.error().message, dir_ + "/summary.json: cannot write: No space left on device");
  EXPECT_EQ(read_whole_file(dir_ + "/summary.json").value(), "old\n");
  EXPECT_EQ(std::distance(fs::directory_iterator(dir_), fs::directory_iterator()), 1);
}

TEST(ReadWholeFile, ADirectoryIsAnErrorNotAnEmptyText) {
  std::string dir = fresh_dir("read-dir");
  fs::create_directories(dir);
  auto text = read_whole_file(dir);
  ASSERT_FALSE(text);
  EXPECT_EQ(text.error().message, dir + ": cannot read: Is a directory");
}

TEST(FileSink, AFailedWriteIsReportedByOkAndClose) {
  auto sink = FileSink::open("/dev/full");
  ASSERT_TRUE(sink);
  EXPECT_TRUE(sink.value()->ok());
  sink.value()->write_line("{\"index\":0}");
  EXPECT_FALSE(sink.value()->ok());
  auto closed = sink.value()->close();
  ASSERT_FALSE(closed);
  EXPECT_EQ(closed.error().message, "/dev/full: cannot write: No space left on device");
}

TEST_F(TinyDisk, AFileSinkStopsAtTheFirstFailedLine) {
  auto sink = FileSink::open(dir_ + "/history.jsonl");
  ASSERT_TRUE(sink);
  const std::string line(1000, 'x');
  int lines = 0;
  for (; lines < 200 && sink.value()->ok(); ++lines) sink.value()->write_line(line);
  EXPECT_LT(lines, 200) << "the disk never filled";
  sink.value()->write_line("short");  // after a torn line nothing more may be appended
  auto closed = sink.value()->close();
  ASSERT_FALSE(closed);
  EXPECT_EQ(closed.error().message, dir_ + "/history.jsonl: cannot write: No space left on device");
  std::string text = read_whole_file(dir_ + "/history.jsonl").value();
  EXPECT_FALSE(contains(text, "short"));
}

Scenario aborting_scenario() {
  Scenario s;
  s.system = "aborting";
  s.node_count = 1;
  s.time_ns = 2'000'000'000;
  return s;
}

CapturedExit run_aborting(const Scenario& scenario) {
  auto ended = run_in_child([&] {
    MemorySink sink;
    return run_scenario(scenario, registry(), sink) ? 0 : 2;
  });
  EXPECT_TRUE(ended);
  return std::move(ended).value();
}

TEST(RunInChild, AnAssertionIsReportedWithWhatTheSimulatorWasHandling) {
  CapturedExit ended = run_aborting(aborting_scenario());
  auto report = abort_report(ended);
  ASSERT_TRUE(report) << "exit code " << ended.exit.exit_code << ": " << ended.stderr_text;
  EXPECT_EQ(report->signal, SIGABRT);
  EXPECT_EQ(report->assertion.rfind("invariant broken at ", 0), 0u) << report->assertion;
  EXPECT_TRUE(contains(report->assertion, testing::kPlantedAbort)) << report->assertion;
  // The abort happens as the node handles a client's request (client endpoints follow the nodes).
  EXPECT_TRUE(contains(report->activity, "delivering a message from client endpoint ")) << report->activity;
  EXPECT_TRUE(contains(report->activity, " to node 0")) << report->activity;
  EXPECT_EQ(report->activity.rfind("t=", 0), 0u) << report->activity;
  // Deterministic: the same seed aborts at the same event.
  auto again = abort_report(run_aborting(aborting_scenario()));
  ASSERT_TRUE(again);
  EXPECT_EQ(again->describe(), report->describe());
}

TEST(RunInChild, AChildThatFinishesGivesItsExitCodeAndStderr) {
  auto ended = run_in_child([] {
    std::fprintf(stderr, "a warning\n");
    return 3;
  });
  ASSERT_TRUE(ended);
  EXPECT_EQ(ended.value().exit.exit_code, 3);
  EXPECT_EQ(ended.value().stderr_text, "a warning\n");
  EXPECT_FALSE(abort_report(ended.value()));
}

// The worker of a process killed by SIGKILL must not outlive it. This test process adopts
// orphans (PR_SET_CHILD_SUBREAPER), so it can tell how the worker ended: killed (it died
// with its parent) or exited after its 5 s of work (it outlived it).
TEST(WorkerProcesses, AWorkerDiesWithItsParentEvenAfterSIGKILL) {
  ASSERT_EQ(::prctl(PR_SET_CHILD_SUBREAPER, 1), 0);
  int ready[2], report[2];
  ASSERT_EQ(::pipe(ready), 0);
  ASSERT_EQ(::pipe(report), 0);
  pid_t parent = ::fork();
  ASSERT_GE(parent, 0);
  if (parent == 0) {
    WorkerProcesses workers;
    auto started = workers.start(1, "/dev/null", [&] {
      pid_t self = ::getpid();
      if (::write(ready[1], &self, sizeof self) != sizeof self) return 1;
      ::sleep(5);
      return 0;
    });
    pid_t worker = 0;
    if (!started || ::read(ready[0], &worker, sizeof worker) != sizeof worker) ::_exit(1);
    if (::write(report[1], &worker, sizeof worker) != sizeof worker) ::_exit(1);
    ::raise(SIGKILL);  // no cleanup, as when a user or the OOM killer kills a campaign
  }
  ::close(report[1]);
  pid_t worker = 0;
  ASSERT_EQ(::read(report[0], &worker, sizeof worker), static_cast<ssize_t>(sizeof worker));
  int status = 0;
  ASSERT_EQ(::waitpid(parent, &status, 0), parent);
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
  ASSERT_EQ(::waitpid(worker, &status, 0), worker);  // an orphan comes to this subreaper
  ::prctl(PR_SET_CHILD_SUBREAPER, 0);
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) << "the worker outlived its parent";
  for (int fd : {ready[0], ready[1], report[0]}) ::close(fd);
}

std::string test_digest(std::string_view bytes) { return std::to_string(std::hash<std::string_view>{}(bytes)); }

CampaignOptions campaign(const std::string& dir, SeedRange seeds = {1, 4}) {
  CampaignOptions o;
  o.scenario.system = "single";
  o.scenario.node_count = 1;
  o.scenario.time_ns = 500'000'000;
  o.seeds = seeds;
  o.jobs = 2;
  o.out_dir = dir;
  o.history_digest = test_digest;
  return o;
}

TEST(CampaignLock, ASecondUserOfTheDirectoryIsRefused) {
  std::string dir = fresh_dir("locked");
  auto held = DirectoryLock::acquire(dir, "--out");
  ASSERT_TRUE(held) << held.error().message;
  for (bool resume : {false, true}) {
    CampaignOptions o = campaign(dir);
    o.resume = resume;
    auto second = run_campaign(o, registry());
    ASSERT_FALSE(second);
    EXPECT_EQ(second.error().message, "--out: " + dir + " is in use by another campaign (process " +
                                          std::to_string(getpid()) + "); wait for it to end or use another directory");
  }
  EXPECT_FALSE(fs::exists(dir + "/campaign.json")) << "the refused campaign wrote nothing";
}

TEST(CampaignLock, TheLockEndsWithTheCampaign) {
  std::string dir = fresh_dir("unlocked");
  { auto held = DirectoryLock::acquire(dir, "--out"); }
  auto first = run_campaign(campaign(dir), registry());
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_TRUE(DirectoryLock::acquire(dir, "--out"));
}

TEST(Campaign, ResumeRemovesWhatAKilledCampaignLeft) {
  std::string dir = fresh_dir("leftovers");
  ASSERT_TRUE(run_campaign(campaign(dir), registry()));
  fs::create_directories(dir + "/work");
  for (const char* stale : {"/work/seed-3.out", "/work/seed-3.history.jsonl", "/seeds/seed-3.json.tmp-99999",
                            "/summary.json.tmp-99999"})
    ASSERT_TRUE(write_file_atomically(dir + stale, "partial"));
  CampaignOptions o = campaign(dir);
  o.resume = true;
  auto resumed = run_campaign(o, registry());
  ASSERT_TRUE(resumed) << resumed.error().message;
  EXPECT_FALSE(fs::exists(dir + "/work"));
  EXPECT_FALSE(fs::exists(dir + "/seeds/seed-3.json.tmp-99999"));
  EXPECT_FALSE(fs::exists(dir + "/summary.json.tmp-99999"));
}

TEST(Campaign, AUsersOwnFilesInTheOutputDirectoryAreNeverRemoved) {
  std::string dir = fresh_dir("users-dir");
  fs::create_directories(dir + "/work");
  ASSERT_TRUE(write_file_atomically(dir + "/work/mine.txt", "mine"));
  ASSERT_TRUE(write_file_atomically(dir + "/draft.tmp", "mine"));
  ASSERT_TRUE(run_campaign(campaign(dir), registry()));
  CampaignOptions o = campaign(dir);
  o.resume = true;
  ASSERT_TRUE(run_campaign(o, registry()));
  EXPECT_TRUE(fs::exists(dir + "/draft.tmp"));
  EXPECT_TRUE(fs::exists(dir + "/work/mine.txt"));
}

TEST(Campaign, AStraySeedRecordIsAnErrorNotASeedRun) {
  std::string dir = fresh_dir("stray");
  ASSERT_TRUE(run_campaign(campaign(dir), registry()));
  SeedRecord stray = read_seed_record(seed_record_file(dir, 2)).value();
  stray.seed = 9999;
  ASSERT_TRUE(write_seed_record(dir, stray));
  CampaignOptions o = campaign(dir);
  o.resume = true;
  auto resumed = run_campaign(o, registry());
  ASSERT_FALSE(resumed);
  EXPECT_EQ(resumed.error().message, dir + "/seeds: records of seeds the campaign does not run (seeds 1..4, shard 0/1): "
                                           "9999; remove them");
}

std::vector<std::string> two_shards(const std::string& name) {
  std::vector<std::string> dirs;
  for (int index : {0, 1}) {
    dirs.push_back(fresh_dir(name + std::to_string(index)));
    CampaignOptions o = campaign(dirs.back(), {1, 6});
    o.shard = {index, 2};
    EXPECT_TRUE(run_campaign(o, registry()));
  }
  return dirs;
}

TEST(Merge, ShardsMissingASeedAreRefusedBeforeAnythingIsWritten) {
  auto shards = two_shards("missing");
  fs::remove(seed_record_file(shards[1], 5));
  std::string merged = fresh_dir("merged-missing");
  auto summary = merge_campaigns(merged, shards);
  ASSERT_FALSE(summary);
  EXPECT_EQ(summary.error().message,
            "merge: the shards hold no record of 1 seeds (5); finish their shards with campaign --resume, then merge again");
  EXPECT_FALSE(fs::exists(merged + "/campaign.json"));
}

TEST(Merge, AStraySeedRecordIsRefused) {
  auto shards = two_shards("strays");
  SeedRecord stray = read_seed_record(seed_record_file(shards[0], 1)).value();
  stray.seed = 401;
  ASSERT_TRUE(write_seed_record(shards[0], stray));
  auto summary = merge_campaigns(fresh_dir("merged-stray"), shards);
  ASSERT_FALSE(summary);
  EXPECT_TRUE(contains(summary.error().message, shards[0] + "/seeds: records of seeds the campaign does not run (seeds 1..6, "
                                                            "shard 0/2): 401"))
      << summary.error().message;
}

TEST(Merge, AShardStillRunningIsRefused) {
  auto shards = two_shards("running");
  auto held = DirectoryLock::acquire(shards[1], "--out");
  ASSERT_TRUE(held);
  auto summary = merge_campaigns(fresh_dir("merged-running"), shards);
  ASSERT_FALSE(summary);
  EXPECT_TRUE(contains(summary.error().message, "merge: " + shards[1] + " is in use by another campaign"))
      << summary.error().message;
}

TEST(Shrink, AScenarioThatAbortsShrinksWhileTheSameAssertionFires) {
  auto shrunk = shrink(aborting_scenario(), registry(), ShrinkOptions{});
  ASSERT_TRUE(shrunk) << shrunk.error().message;
  const ShrinkResult& result = shrunk.value();
  ASSERT_TRUE(result.abort);
  EXPECT_FALSE(result.minimal_run);
  EXPECT_EQ(result.failing_claims, std::set<std::string>{"aborted"});
  EXPECT_TRUE(contains(result.abort->assertion, testing::kPlantedAbort)) << result.abort->assertion;
  // The run line's counts include the final reads, which the abort (after a number of
  // messages) still needs; the scripted ops are what shrinking removes.
  EXPECT_LT(result.minimal.script->ops.size(), result.before.ops) << describe(result.after);
  EXPECT_LT(result.after.time_ns, result.before.time_ns);
  EXPECT_EQ(result.minimal_history.rfind("{\"faultline\"", 0), 0u);
  // The minimal scenario aborts the same way when run again.
  auto again = abort_report(run_aborting(result.minimal));
  ASSERT_TRUE(again);
  EXPECT_EQ(again->identity(), result.abort->identity());
}

}  // namespace
}  // namespace faultline
