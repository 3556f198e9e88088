#pragma once
// The real runtime's node processes (issue 15): the runner starts each protocol core as a
// child OS process, learns from a "ready" pipe when it listens, signals it (SIGSTOP, SIGKILL
// for pause and crash faults) and reaps it.
//
// A child never outlives its runner: it gets PR_SET_PDEATHSIG = SIGKILL, which also holds
// when the runner itself is SIGKILLed. The kernel sends that signal when the *thread* that
// forked the child ends, not the process, so spawn must be called from a thread that lives
// as long as the children (the main thread). The death signal survives exec, except into a
// set-user-ID program or one with file capabilities, which a node executable is not.
//
// Each child leads its own process group, so a terminal's Ctrl-C reaches only the runner,
// which then stops its nodes itself. The child inherits no descriptor but 0 (/dev/null), 1
// and 2 (its stderr file) and 3 (the ready pipe): Asio's sockets are not close-on-exec.
//
// Each ChildProcess reaps its own child (waitpid on its pid), so the runner must neither
// ignore SIGCHLD nor wait for any child (waitpid(-1), as WorkerProcesses::wait_any does):
// either would take a child's exit from its ChildProcess, a broken invariant that aborts.
#include <sys/types.h>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "framework/worker_processes.h"

namespace faultline::runtime {

struct SpawnOptions {
  std::string executable;             // a path, not searched in PATH ("/proc/self/exe" resolved by the caller)
  std::vector<std::string> args;      // argv[1..]; the caller passes "--ready-fd 3" itself
  std::filesystem::path stderr_path;  // the child's stderr and stdout, appended (created if missing)
};

// The descriptor the child finds its ready pipe's write end on.
inline constexpr int kReadyFd = 3;
// The longest ready line read_ready_line accepts, without its '\n'.
inline constexpr size_t kMaxReadyLineBytes = 4096;

class ChildProcess {
 public:
  // Forks and execs, and returns once the child runs the executable. An executable that cannot be run (missing, not executable) or a child
  // whose setup failed is an error here, naming the step and why; the child is reaped.
  static Result<ChildProcess> spawn(const SpawnOptions& options);

  ChildProcess(ChildProcess&& other) noexcept;
  ChildProcess& operator=(ChildProcess&& other) noexcept;
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;
  // A child still running is SIGKILLed and reaped: an owner that goes away leaves no process.
  ~ChildProcess();

  pid_t pid() const { return pid_; }
  const std::filesystem::path& stderr_path() const { return stderr_path_; }

  // Waits up to timeout_ms for one '\n'-terminated line on the ready pipe and returns it
  // without the '\n'; then closes the pipe, whatever the outcome, so it may be called once.
  // Errors: the timeout; the pipe closed before a line (the child died: the error says how
  // and ends with the last lines of its stderr); a line over kMaxReadyLineBytes.
  Result<std::string> read_ready_line(int timeout_ms);

  // kill(pid, sig); nothing once the child is reaped (its pid may belong to another process).
  void signal(int sig) const;
  // How the child ended, without waiting: nullopt while it runs (a stopped child runs).
  // Once set, it stays set. ChildExit::key is 0: the caller knows which child it asked.
  std::optional<ChildExit> poll_exit();
  // SIGKILL (which also ends a SIGSTOPped child) and a blocking wait; how it ended, which is
  // its own exit when it had ended before.
  ChildExit kill_and_reap();
  // The last `lines` lines of the stderr file, each ending in '\n'; empty when unreadable.
  std::string stderr_tail(int lines) const;

 private:
  ChildProcess(pid_t pid, int ready_fd, std::filesystem::path stderr_path);
  std::string describe_closed_pipe();
  void close_ready_fd();

  pid_t pid_ = -1;     // -1 in a moved-from object
  int ready_fd_ = -1;  // the ready pipe's read end until read_ready_line
  std::filesystem::path stderr_path_;
  std::optional<ChildExit> exit_;  // set once reaped
};

// "exited with status 3", "killed by SIGABRT".
std::string describe_exit(const ChildExit& exit);

}  // namespace faultline::runtime
