// The real runtime's node processes (framework/runtime/child_process.h): a child says it is
// ready on its pipe or the runner learns how it died and what it said; it inherits none of
// the runner's descriptors or signal settings; and it never outlives its ChildProcess or its
// runner, even a runner killed by SIGKILL.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <thread>

#include "framework/runtime/child_process.h"

namespace faultline::runtime {
namespace {

using namespace std::chrono_literals;

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

bool process_gone(pid_t pid) { return ::kill(pid, 0) == -1 && errno == ESRCH; }

std::string read_text(const std::filesystem::path& path) {
  std::ifstream file(path);
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

// The state letter of /proc/PID/stat ('S' sleeping, 'T' stopped, ...).
char process_state(pid_t pid) {
  std::string stat = read_text("/proc/" + std::to_string(pid) + "/stat");
  size_t name_end = stat.rfind(") ");
  return name_end == std::string::npos ? '?' : stat[name_end + 2];
}

// The line of /proc/PID/status that starts with `field` ("SigIgn:").
std::string status_field(pid_t pid, const std::string& field) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(status, line);)
    if (line.rfind(field, 0) == 0) return line;
  return "";
}

class ChildProcessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (std::filesystem::temp_directory_path() / "child_process_test.XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  SpawnOptions run(std::string executable, std::vector<std::string> args) {
    return {std::move(executable), std::move(args), dir_ / "node.stderr"};
  }
  SpawnOptions shell(const std::string& script) { return run("/bin/sh", {"-c", script}); }

  std::filesystem::path dir_;
};

constexpr const char* kReadyThenSleep = "echo ready >&3; exec sleep 30";

TEST_F(ChildProcessTest, AReadyChildRunsUntilKilledEvenWhenStopped) {
  auto child = ChildProcess::spawn(shell(kReadyThenSleep));
  ASSERT_TRUE(child) << child.error().message;
  auto line = child.value().read_ready_line(5000);
  ASSERT_TRUE(line) << line.error().message;
  EXPECT_EQ(line.value(), "ready");
  EXPECT_FALSE(child.value().poll_exit());

  pid_t pid = child.value().pid();
  child.value().signal(SIGSTOP);
  for (auto give_up = std::chrono::steady_clock::now() + 2s;
       process_state(pid) != 'T' && std::chrono::steady_clock::now() < give_up;)
    std::this_thread::sleep_for(1ms);
  EXPECT_EQ(process_state(pid), 'T');
  ChildExit exit = child.value().kill_and_reap();
  EXPECT_EQ(exit.signal, SIGKILL);
  EXPECT_EQ(describe_exit(exit), "killed by SIGKILL");
  EXPECT_TRUE(process_gone(pid));
  ASSERT_TRUE(child.value().poll_exit());  // stays set
  EXPECT_EQ(child.value().poll_exit()->signal, SIGKILL);
  child.value().signal(SIGTERM);  // reaped: nothing is signalled
}

TEST_F(ChildProcessTest, AChildThatDiesBeforeItsReadyLineIsDescribedWithItsStderr) {
  auto child = ChildProcess::spawn(shell("echo 'first complaint' >&2; echo 'second complaint' >&2; exit 3"));
  ASSERT_TRUE(child) << child.error().message;
  auto line = child.value().read_ready_line(5000);
  ASSERT_FALSE(line);
  const std::string& message = line.error().message;
  EXPECT_TRUE(contains(message, "exited with status 3")) << message;
  EXPECT_TRUE(contains(message, "first complaint\nsecond complaint")) << message;
  ASSERT_TRUE(child.value().poll_exit());
  EXPECT_EQ(child.value().poll_exit()->exit_code, 3);
}

TEST_F(ChildProcessTest, AChildThatClosesItsPipeWithoutALineIsNamedStillRunning) {
  auto child = ChildProcess::spawn(shell("echo 'no line today' >&2; exec 3>&-; exec sleep 30"));
  ASSERT_TRUE(child) << child.error().message;
  auto line = child.value().read_ready_line(5000);
  ASSERT_FALSE(line);
  EXPECT_TRUE(contains(line.error().message, "without writing a line (still running)")) << line.error().message;
  EXPECT_TRUE(contains(line.error().message, "no line today")) << line.error().message;
}

TEST_F(ChildProcessTest, ASilentChildTimesOut) {
  auto child = ChildProcess::spawn(shell("exec sleep 30"));
  ASSERT_TRUE(child) << child.error().message;
  auto started = std::chrono::steady_clock::now();
  auto line = child.value().read_ready_line(200);
  auto waited = std::chrono::steady_clock::now() - started;
  ASSERT_FALSE(line);
  EXPECT_TRUE(contains(line.error().message, "no ready line within 200 ms")) << line.error().message;
  EXPECT_GE(waited, 200ms);
  EXPECT_LT(waited, 2s);
  EXPECT_FALSE(child.value().poll_exit());  // a timeout is the caller's to act on
}

TEST_F(ChildProcessTest, AnOverlongReadyLineIsRefused) {
  auto child = ChildProcess::spawn(shell("head -c 5000 /dev/zero | tr '\\0' x >&3; exec sleep 30"));
  ASSERT_TRUE(child) << child.error().message;
  auto line = child.value().read_ready_line(5000);
  ASSERT_FALSE(line);
  EXPECT_TRUE(contains(line.error().message, "longer than 4096 bytes")) << line.error().message;
}

TEST_F(ChildProcessTest, ReadingTheReadyLineTwiceIsABrokenInvariant) {
  auto child = ChildProcess::spawn(shell(kReadyThenSleep));
  ASSERT_TRUE(child) << child.error().message;
  ASSERT_TRUE(child.value().read_ready_line(5000));
  EXPECT_DEATH(child.value().read_ready_line(5000), "read_ready_line is called once");
}

// Asio's sockets are not close-on-exec; a node must not hold the runner's.
TEST_F(ChildProcessTest, AChildHasOnlyItsOwnDescriptors) {
  // Above anything the child may hold itself (0-3, ls's directory), whatever the test
  // process has open when it starts (alone under ctest, its first socket would be fd 3).
  const int opened = ::socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(opened, 0);
  const int socket = ::fcntl(opened, F_DUPFD, 50);
  ::close(opened);
  ASSERT_GE(socket, 50);
  constexpr int kHighFd = 100;
  ASSERT_EQ(::dup2(socket, kHighFd), kHighFd);
  auto child = ChildProcess::spawn(run("/bin/ls", {"/proc/self/fd"}));
  ASSERT_TRUE(child) << child.error().message;
  auto line = child.value().read_ready_line(5000);  // ls ends without one
  ASSERT_FALSE(line);
  EXPECT_TRUE(contains(line.error().message, "exited with status 0")) << line.error().message;

  std::set<int> open_fds;
  std::istringstream listing(read_text(child.value().stderr_path()));
  for (int fd; listing >> fd;) open_fds.insert(fd);
  for (int fd : {0, 1, 2, 3}) EXPECT_TRUE(open_fds.count(fd)) << fd;
  open_fds.erase(open_fds.begin(), open_fds.lower_bound(4));
  EXPECT_LE(open_fds.size(), 1u) << "beyond 0-3, only ls's own directory may be open";
  EXPECT_FALSE(open_fds.count(socket));
  EXPECT_FALSE(open_fds.count(kHighFd));
  ::close(kHighFd);
  ::close(socket);
}

TEST_F(ChildProcessTest, StdinIsDevNullAndOutputIsAppended) {
  for (int run_number = 0; run_number < 2; ++run_number) {
    auto child = ChildProcess::spawn(run("/bin/readlink", {"/proc/self/fd/0"}));
    ASSERT_TRUE(child) << child.error().message;
    auto line = child.value().read_ready_line(5000);  // readlink ends without one
    ASSERT_FALSE(line);
    EXPECT_TRUE(contains(line.error().message, "exited with status 0")) << line.error().message;
  }
  EXPECT_EQ(read_text(dir_ / "node.stderr"), "/dev/null\n/dev/null\n");
}

// exec keeps ignored signals and the blocked mask: a runner that ignores SIGPIPE (as Asio
// programs do) must not hand that to its nodes.
TEST_F(ChildProcessTest, AChildStartsWithDefaultSignals) {
  auto previous_pipe = std::signal(SIGPIPE, SIG_IGN);
  sigset_t usr1, previous_mask;
  sigemptyset(&usr1);
  sigaddset(&usr1, SIGUSR1);
  ::sigprocmask(SIG_BLOCK, &usr1, &previous_mask);
  auto child = ChildProcess::spawn(run("/bin/sleep", {"30"}));
  ::sigprocmask(SIG_SETMASK, &previous_mask, nullptr);
  std::signal(SIGPIPE, previous_pipe);
  ASSERT_TRUE(child) << child.error().message;
  pid_t pid = child.value().pid();
  EXPECT_EQ(status_field(pid, "SigIgn:"), "SigIgn:\t0000000000000000");
  EXPECT_EQ(status_field(pid, "SigBlk:"), "SigBlk:\t0000000000000000");
  EXPECT_EQ(::getpgid(pid), pid) << "a child leads its own process group";
}

TEST_F(ChildProcessTest, AnExecutableThatCannotRunIsASpawnError) {
  auto missing = ChildProcess::spawn(run("/nonexistent/faultline-node", {"--ready-fd", "3"}));
  ASSERT_FALSE(missing);
  EXPECT_TRUE(contains(missing.error().message, "/nonexistent/faultline-node")) << missing.error().message;
  EXPECT_TRUE(contains(missing.error().message, "execv: No such file or directory")) << missing.error().message;

  std::filesystem::path text_file = dir_ / "not-a-program";
  std::ofstream(text_file) << "just text\n";
  std::filesystem::permissions(text_file, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  auto not_executable = ChildProcess::spawn(run(text_file.string(), {}));
  ASSERT_FALSE(not_executable);
  EXPECT_TRUE(contains(not_executable.error().message, "Permission denied")) << not_executable.error().message;
  // The failed children were reaped: none is left for this process to wait for.
  EXPECT_EQ(::waitpid(-1, nullptr, WNOHANG), -1);
  EXPECT_EQ(errno, ECHILD);
}

TEST_F(ChildProcessTest, AChildDiesWithItsOwner) {
  pid_t pid = 0;
  {
    auto child = ChildProcess::spawn(shell(kReadyThenSleep));
    ASSERT_TRUE(child) << child.error().message;
    pid = child.value().pid();
    ASSERT_TRUE(child.value().read_ready_line(5000));
  }
  EXPECT_TRUE(process_gone(pid));
}

TEST_F(ChildProcessTest, AMovedChildHasOneOwner) {
  auto first = ChildProcess::spawn(shell(kReadyThenSleep));
  auto second = ChildProcess::spawn(shell(kReadyThenSleep));
  ASSERT_TRUE(first && second);
  pid_t first_pid = first.value().pid(), second_pid = second.value().pid();
  {
    ChildProcess owner = std::move(first.value());
    EXPECT_EQ(owner.pid(), first_pid);
    owner = std::move(second.value());  // the first child is killed and reaped
    EXPECT_TRUE(process_gone(first_pid));
    EXPECT_EQ(owner.pid(), second_pid);
    auto line = owner.read_ready_line(5000);
    EXPECT_TRUE(line && line.value() == "ready");
  }
  EXPECT_TRUE(process_gone(second_pid));
}

// Restores the subreaper flag however the test ends.
class SubreaperScope {
 public:
  SubreaperScope() {
    ::prctl(PR_GET_CHILD_SUBREAPER, &previous_);
    ::prctl(PR_SET_CHILD_SUBREAPER, 1);
  }
  ~SubreaperScope() { ::prctl(PR_SET_CHILD_SUBREAPER, previous_); }

 private:
  int previous_ = 0;
};

// A runner killed by SIGKILL runs no cleanup: the kernel's death signal must end its nodes.
// This test process adopts orphans (PR_SET_CHILD_SUBREAPER), so it can reap the node and see
// how it ended.
TEST_F(ChildProcessTest, AChildDiesWithItsRunnerEvenAfterSIGKILL) {
  SubreaperScope subreaper;
  int report[2];
  ASSERT_EQ(::pipe(report), 0);
  pid_t runner = ::fork();
  ASSERT_GE(runner, 0);
  if (runner == 0) {
    ::close(report[0]);
    auto child = ChildProcess::spawn(shell(kReadyThenSleep));
    if (!child || !child.value().read_ready_line(5000)) ::_exit(1);
    pid_t node = child.value().pid();
    if (::write(report[1], &node, sizeof node) != sizeof node) ::_exit(1);
    for (;;) ::pause();
  }
  ::close(report[1]);
  pid_t node = 0;
  ssize_t got = ::read(report[0], &node, sizeof node);
  ::close(report[0]);
  ::kill(runner, SIGKILL);
  ASSERT_EQ(::waitpid(runner, nullptr, 0), runner);
  ASSERT_EQ(got, static_cast<ssize_t>(sizeof node)) << "the runner did not start its node";

  int status = 0;
  pid_t reaped = 0;
  for (auto give_up = std::chrono::steady_clock::now() + 2s;
       (reaped = ::waitpid(node, &status, WNOHANG)) == 0 && std::chrono::steady_clock::now() < give_up;)
    std::this_thread::sleep_for(5ms);
  if (reaped != node) {  // it outlived its runner: end it here
    ::kill(node, SIGKILL);
    ::waitpid(node, &status, 0);
    FAIL() << "the node outlived its runner by 2 s";
  }
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
}

TEST(DescribeExit, NamesTheStatusOrTheSignal) {
  EXPECT_EQ(describe_exit(ChildExit{0, 3, 0}), "exited with status 3");
  EXPECT_EQ(describe_exit(ChildExit{0, 0, SIGABRT}), "killed by SIGABRT");
}

}  // namespace
}  // namespace faultline::runtime
