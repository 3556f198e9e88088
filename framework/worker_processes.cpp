#include "framework/worker_processes.h"

#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>

#include "framework/simulator.h"

namespace faultline {

namespace {

constexpr int kChildSetupFailed = 125;

extern "C" void report_fatal_signal(int signal) {
  write_current_sim_event(STDERR_FILENO);
  std::signal(signal, SIG_DFL);  // SA_RESETHAND did so too; the re-raise now ends the process
  std::raise(signal);
}

// A child that crashes says what the simulator was handling. The handler runs on its own
// stack, so a stack overflow (SIGSEGV) can still report.
void report_fatal_signals() {
  static char stack[1 << 16];
  stack_t alternate{};
  alternate.ss_sp = stack;
  alternate.ss_size = sizeof stack;
  ::sigaltstack(&alternate, nullptr);
  struct sigaction action {};
  action.sa_handler = report_fatal_signal;
  action.sa_flags = SA_ONSTACK | SA_RESETHAND;
  sigemptyset(&action.sa_mask);
  for (int signal : {SIGABRT, SIGSEGV, SIGBUS, SIGFPE, SIGILL}) ::sigaction(signal, &action, nullptr);
}

// The start of every child, right after fork.
void prepare_child(pid_t parent) {
  // Die with the parent, however it dies (a SIGKILL runs no cleanup of its own). The check
  // after closes the race: a parent that died before prctl already made this an orphan.
  if (::prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || ::getppid() != parent) ::_exit(kChildSetupFailed);
  // The parent's interrupt handlers must not run here: Ctrl-C or a hangup ends the child at once.
  std::signal(SIGINT, SIG_DFL);
  std::signal(SIGTERM, SIG_DFL);
  std::signal(SIGHUP, SIG_DFL);
  report_fatal_signals();
}

[[noreturn]] void finish_child(const std::function<int()>& body) {
  int code = body();
  std::fflush(nullptr);
  ::_exit(code);
}

ChildExit exit_of(uint64_t key, int status) {
  ChildExit exit{key};
  if (WIFSIGNALED(status)) exit.signal = WTERMSIG(status);
  else exit.exit_code = WEXITSTATUS(status);
  return exit;
}

}  // namespace

Result<void> WorkerProcesses::start(uint64_t key, const std::string& output_path, const std::function<int()>& body) {
  // Buffered output would otherwise be written twice, once by each process.
  std::fflush(nullptr);
  pid_t parent = ::getpid();
  pid_t pid = ::fork();
  if (pid < 0) return fail(std::string("fork: ") + std::strerror(errno));
  if (pid == 0) {
    prepare_child(parent);
    int fd = ::open(output_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0 || ::dup2(fd, STDOUT_FILENO) < 0 || ::dup2(fd, STDERR_FILENO) < 0) ::_exit(kChildSetupFailed);
    ::close(fd);
    finish_child(body);
  }
  children_[pid] = key;
  return outcome::success();
}

std::optional<ChildExit> WorkerProcesses::wait_any() {
  while (!children_.empty()) {
    int status = 0;
    // -1 waits for any child: the campaign's process starts no other children meanwhile.
    pid_t pid = ::waitpid(-1, &status, 0);
    if (pid < 0) {
      if (errno == EINTR) return std::nullopt;
      children_.clear();  // ECHILD: nothing left to wait for
      return std::nullopt;
    }
    auto child = children_.find(pid);
    if (child == children_.end()) continue;
    ChildExit exit = exit_of(child->second, status);
    children_.erase(child);
    return exit;
  }
  return std::nullopt;
}

void WorkerProcesses::signal_all(int signal) {
  for (const auto& [pid, key] : children_) ::kill(pid, signal);
}

Result<CapturedExit> run_in_child(const std::function<int()>& body) {
  int pipe_ends[2];
  if (::pipe2(pipe_ends, O_CLOEXEC) != 0) return fail(std::string("pipe: ") + std::strerror(errno));
  std::fflush(nullptr);
  pid_t parent = ::getpid();
  pid_t pid = ::fork();
  if (pid < 0) {
    int error = errno;
    ::close(pipe_ends[0]);
    ::close(pipe_ends[1]);
    return fail(std::string("fork: ") + std::strerror(error));
  }
  if (pid == 0) {
    prepare_child(parent);
    if (::dup2(pipe_ends[1], STDERR_FILENO) < 0) ::_exit(kChildSetupFailed);
    finish_child(body);
  }
  ::close(pipe_ends[1]);
  CapturedExit captured;
  char buffer[4096];
  for (;;) {
    ssize_t got = ::read(pipe_ends[0], buffer, sizeof buffer);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) break;  // end of file: the child (and its copies of the pipe) are gone
    captured.stderr_text.append(buffer, static_cast<size_t>(got));
  }
  ::close(pipe_ends[0]);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return fail(std::string("waitpid: ") + std::strerror(errno));
  }
  captured.exit = exit_of(0, status);
  return captured;
}

}  // namespace faultline
