// The real runtime end to end (issue 15, docs/runtime.md): clusters of `faultline node`
// processes on loopback, driven by `faultline run --runtime real` and `campaign`, under
// partitions, kills, pauses and power loss. What a real run shows is statistical, so each
// test asks only what holds on every run of a correct build: the claims hold and the run is
// live, a planted bug of the kind real mode exists for is caught within a few seeds, and no
// process or port outlives the run, even when the runner is killed with SIGKILL.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "cli_runner.h"
#include "framework/runtime/child_process.h"
#include "histories/json_input.h"

namespace {

using namespace faultline::testing;
namespace fs = std::filesystem;
using faultline::Json;

std::string work_dir() {
  static const std::string dir = make_work_dir("faultline-real-cli");
  return dir;
}

CommandResult faultline_cmd(const std::string& args) { return run_in(work_dir(), std::string(FAULTLINE_BIN) + " " + args); }

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

Json header_of(const std::string& history_path) {
  const std::string text = slurp(history_path);
  auto header = faultline::parse_json_input(text.substr(0, text.find('\n')));
  return header ? header.value() : Json();
}

std::vector<pid_t> node_pids(const Json& header) {
  std::vector<pid_t> pids;
  for (const Json& node : header["real"]["nodes"]) pids.push_back(node["pid"].get<pid_t>());
  return pids;
}

bool process_exists(pid_t pid) { return ::kill(pid, 0) == 0 || errno != ESRCH; }

// A TCP connection to 127.0.0.1:port; -1 when nothing accepts there.
int try_connect(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0) return fd;
  ::close(fd);
  return -1;
}

int connect_to(int port) {
  const int fd = try_connect(port);
  EXPECT_GE(fd, 0) << "nothing accepts on port " << port;
  return fd;
}

bool port_accepts(int port) {
  const int fd = try_connect(port);
  if (fd >= 0) ::close(fd);
  return fd >= 0;
}

// Every process whose command line names `dir` (a run's node processes name its work
// directory), by scanning /proc: restarted nodes have pids no header recorded.
std::vector<pid_t> processes_naming(const std::string& dir) {
  std::vector<pid_t> pids;
  for (const auto& entry : fs::directory_iterator("/proc")) {
    const std::string name = entry.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::string cmdline = slurp((entry.path() / "cmdline").string());
    std::replace(cmdline.begin(), cmdline.end(), '\0', ' ');
    if (contains(cmdline, dir)) pids.push_back(std::stoi(name));
  }
  return pids;
}

// ---- issue 15's done-when run (10 s of faults here, 20 s in the command) ----

// One run, several checks: ctest runs each test in a process of its own, so a suite's shared
// run would be repeated per test.
TEST(RaftUnderFaults, ClaimTableHeaderFilesAndNoProcessLeftBehind) {
  auto run = faultline_cmd("run --runtime real --system raft --nemesis partition,kill,pause --time 10s "
                           "--nemesis-interval 1s --seed 1 --out raft");
  EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
  EXPECT_TRUE(contains(run.out, "claim linearizable (linearizable(kv)): held")) << run.out;
  EXPECT_TRUE(contains(run.out, "claim liveness (liveness): held")) << run.out;
  EXPECT_TRUE(contains(run.out, ", wall ")) << run.out;
  EXPECT_TRUE(contains(run.out, "clients: ")) << run.out;

  const Json header = header_of(work_dir() + "/raft/history.jsonl");
  EXPECT_EQ(header.value("runtime", ""), "real");
  EXPECT_EQ(header.value("repro", ""), "statistical");
  ASSERT_EQ(header["real"]["nodes"].size(), 3u);
  const Json results = Json::parse(slurp(work_dir() + "/raft/results.json"));
  EXPECT_TRUE(results.contains("wall_ns"));
  EXPECT_GT(results["faults"].get<int>(), 5);  // the nemesis acted: a start or a stop every second
  EXPECT_GT(results["client_latency"]["ok_ops"].get<int>(), 100);

  EXPECT_EQ(processes_naming(work_dir() + "/raft/work").size(), 0u) << "a node process outlived the run";
  for (const Json& node : header["real"]["nodes"]) {
    EXPECT_FALSE(port_accepts(node["listen"].get<int>()));
    EXPECT_FALSE(port_accepts(node["control"].get<int>()));
  }
  for (int node = 0; node < 3; ++node) {
    const fs::path dir = fs::path(work_dir()) / "raft/work/nodes" / ("n" + std::to_string(node));
    EXPECT_TRUE(fs::is_directory(dir / "data/durable")) << dir;
    EXPECT_TRUE(fs::exists(dir / "stderr.log")) << dir;
  }

  // Real mode cannot replay an interleaving: repro and shrink refuse, naming the rerun.
  for (const std::string command : {"repro raft/history.jsonl", "shrink raft/history.jsonl --out shrunk"}) {
    auto refused = faultline_cmd(command);
    EXPECT_EQ(refused.exit_code, 2) << command << "\n" << refused.out << refused.err;
    EXPECT_TRUE(contains(refused.err, "raft/history.jsonl:1: a real-mode history cannot be replayed")) << refused.err;
    EXPECT_TRUE(contains(refused.err, "--runtime real")) << refused.err;
    EXPECT_EQ(line_count(refused.err), 1) << refused.err;
  }
}

// A rerun into the same --out must not boot its nodes on the last run's data (they would
// start from its log and term).
TEST(RaftUnderFaults, ARerunStartsFromEmptyDataDirectories) {
  auto first = faultline_cmd("run --runtime real --system raft --time 1s --quiesce 1s --out again");
  ASSERT_EQ(first.exit_code, 0) << first.out << first.err;
  const fs::path marker = fs::path(work_dir()) / "again/work/nodes/n0/data/current/left-by-the-last-run";
  std::ofstream(marker) << "x";
  auto second = faultline_cmd("run --runtime real --system raft --time 1s --quiesce 1s --out again");
  EXPECT_EQ(second.exit_code, 0) << second.out << second.err;
  EXPECT_FALSE(fs::exists(marker)) << "the rerun's node 0 started on the last run's data";
}

// ---- a planted bug of the kind only real processes show: an ack before the fsync ----

TEST(RealCampaign, CatchesAckBeforeFsyncUnderPowerLossAndTheCorrectBuildHoldsTheSameSeeds) {
  const std::string flags = "--runtime real --system raft --nemesis crash:all --time 5s --nemesis-interval 1s "
                            "--quiesce 1s --seeds 1..3 --quiet --no-report";
  auto buggy = faultline_cmd("campaign " + flags + " --bug raft.ack-before-fsync --stop-on-first --out buggy");
  EXPECT_EQ(buggy.exit_code, 1) << buggy.out << buggy.err;
  EXPECT_TRUE(contains(buggy.out, "linearizable")) << buggy.out;
  EXPECT_TRUE(contains(buggy.out, "with 1 jobs")) << buggy.out;  // one cluster at a time
  EXPECT_TRUE(contains(buggy.out, "--runtime real")) << buggy.out;  // the failing seed's rerun line
  auto correct = faultline_cmd("campaign " + flags + " --out correct");
  EXPECT_EQ(correct.exit_code, 0) << correct.out << correct.err;
}

// ---- the runtime knows no system: every other built-in store runs in real mode ----

TEST(RealSystems, PrimaryReplicaDynamoAndShardedHoldTheirClaimsUnderTheirFaults) {
  const std::vector<std::pair<std::string, std::string>> runs = {
      {"primary-replica", "--nemesis kill,failover"},
      {"dynamo", "--nemesis partition"},
      {"sharded", "--nemesis move,kill"},
  };
  for (const auto& [system, nemesis] : runs) {
    auto run = faultline_cmd("run --runtime real --system " + system + " " + nemesis +
                             " --time 4s --nemesis-interval 1s --quiesce 1s --seed 3 --out " + system);
    EXPECT_EQ(run.exit_code, 0) << system << "\n" << run.out << run.err;
    EXPECT_TRUE(contains(run.out, "claim ")) << run.out;
  }
}

// ---- hygiene: a runner killed with SIGKILL takes its nodes with it ----

TEST(RealHygiene, NodesDieWithARunnerKilledBySIGKILL) {
  ASSERT_EQ(::prctl(PR_SET_CHILD_SUBREAPER, 1), 0);  // orphans come here, so they can be reaped and counted
  const std::string out = work_dir() + "/killed";
  std::vector<std::string> args = {FAULTLINE_BIN, "run",   "--runtime", "real", "--system", "raft",
                                   "--time",      "60s",   "--out",     out};
  std::vector<char*> argv;
  for (auto& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  pid_t runner = 0;
  ASSERT_EQ(::posix_spawn(&runner, FAULTLINE_BIN, nullptr, nullptr, argv.data(), environ), 0);
  struct Cleanup {  // a failed assertion below must not leave the 60 s run and its nodes behind
    pid_t runner;
    ~Cleanup() {
      ::kill(runner, SIGKILL);
      ::prctl(PR_SET_CHILD_SUBREAPER, 0);
    }
  } cleanup{runner};
  Json header;
  for (int tries = 0; tries < 200 && !header.contains("real"); ++tries) {  // until every node listens
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    header = header_of(out + "/history.jsonl.partial");
  }
  ASSERT_TRUE(header.contains("real")) << "the run never wrote its header";
  const std::vector<pid_t> nodes = node_pids(header);
  for (pid_t pid : nodes) EXPECT_TRUE(process_exists(pid));
  ::kill(runner, SIGKILL);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  auto any_alive = [&] {
    while (::waitpid(-1, nullptr, WNOHANG) > 0) {
    }
    return std::any_of(nodes.begin(), nodes.end(), process_exists);
  };
  while (any_alive() && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  for (pid_t pid : nodes) EXPECT_FALSE(process_exists(pid)) << "node " << pid << " outlived its killed runner";
  EXPECT_EQ(processes_naming(out + "/work").size(), 0u);
  for (const Json& node : header["real"]["nodes"]) EXPECT_FALSE(port_accepts(node["listen"].get<int>()));
}

// ---- a node process on its own: its control channel, a wire that refuses what is not a
// frame, and its end when the runner goes ----

TEST(NodeProcess, AnswersStatusRefusesABadFrameWithOneLineAndEndsWithItsRunner) {
  const fs::path dir = fs::path(work_dir()) / "lone-node";
  fs::create_directories(dir);
  auto header = faultline_cmd("run --system raft --time 1s --out lone-node/sim");
  ASSERT_EQ(header.exit_code, 0) << header.err;
  const std::string scenario = (dir / "sim/history.jsonl").string();
  auto node = faultline::runtime::ChildProcess::spawn(
      {.executable = FAULTLINE_BIN,
       .args = {"node", "--scenario", scenario, "--id", "0", "--data", (dir / "data").string(), "--epoch-ns", "0",
                "--ready-fd", "3"},
       .stderr_path = dir / "stderr.log"});
  ASSERT_TRUE(node) << node.error().message;
  auto ready = node.value().read_ready_line(20'000);
  ASSERT_TRUE(ready) << ready.error().message;
  const Json ports = Json::parse(ready.value());
  // The control channel answers status before the core starts.
  const int control = connect_to(ports["control"].get<int>());
  const std::string ask = "{\"cmd\":\"status\"}\n";
  ASSERT_EQ(::write(control, ask.data(), ask.size()), static_cast<ssize_t>(ask.size()));
  std::string answer(4096, '\0');
  const ssize_t got = ::read(control, answer.data(), answer.size());
  ASSERT_GT(got, 0);
  const Json status = Json::parse(answer.substr(0, answer.find('\n')));
  EXPECT_EQ(status["event"], "status");
  EXPECT_EQ(status["id"], 0);
  EXPECT_EQ(status["pid"], node.value().pid());
  EXPECT_EQ(status["started"], false);

  const int fd = connect_to(ports["listen"].get<int>());
  const char oversized[] = {'\x7f', '\x00', '\x00', '\x00'};  // 2 GiB, far over the frame limit
  ASSERT_EQ(::write(fd, oversized, sizeof oversized), 4);
  char byte = 0;
  EXPECT_EQ(::read(fd, &byte, 1), 0) << "the node keeps a connection whose framing is lost";
  ::close(fd);
  EXPECT_EQ(node.value().poll_exit(), std::nullopt) << "a bad frame must not end the node";
  ::close(control);  // the runner is gone: the node ends by itself
  std::string log;  // the node writes its line just after it closes the connection
  for (int tries = 0; tries < 100 && line_count(log) == 0; ++tries) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    log = slurp((dir / "stderr.log").string());
  }
  EXPECT_TRUE(contains(log, "faultline node 0: bad frame from 127.0.0.1:"));
  EXPECT_TRUE(contains(log, ": a frame of 2130706432 bytes exceeds the limit of 16777216; disconnected"))
      << log;
  EXPECT_EQ(line_count(log), 1) << log;
  for (int tries = 0; tries < 250 && !node.value().poll_exit(); ++tries)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  ASSERT_TRUE(node.value().poll_exit()) << "a node whose runner closed the control channel keeps running";
  EXPECT_EQ(node.value().poll_exit()->exit_code, 0);
}

// ---- refusals: one line, exit 2 ----

TEST(RealRefusals, WhatRealModeCannotDoIsRefusedWithOneLine) {
  const std::vector<std::pair<std::string, std::string>> refusals = {
      {"run --runtime real --system raft --check-invariants --out r1", "--check-invariants: not in real mode"},
      {"run --runtime real --system raft --torn-writes --out r2", "--torn-writes: not in real mode"},
      {"run --runtime sometimes --system raft --out r3", "--runtime: expected sim or real"},
      {"campaign --runtime real --system raft --guided --seeds 1..2 --out r4", "--guided: not in real mode"},
      {"campaign --runtime real --system raft --check-invariants --seeds 1..2 --out r5",
       "--check-invariants: not in real mode"},
      {"run --runtime real --system raft --record-messages --out r6", "--record-messages: not in real mode"},
  };
  for (const auto& [command, message] : refusals) {
    auto refused = faultline_cmd(command);
    EXPECT_EQ(refused.exit_code, 2) << command << "\n" << refused.out << refused.err;
    EXPECT_TRUE(contains(refused.err, message)) << command << "\n" << refused.err;
    EXPECT_EQ(line_count(refused.err), 1) << refused.err;
  }
}

}  // namespace
