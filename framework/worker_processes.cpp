#include "framework/worker_processes.h"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>

namespace faultline {

namespace {

[[noreturn]] void run_child(const std::string& output_path, const std::function<int()>& body) {
  // The parent's interrupt handlers must not run here: Ctrl-C should end the child at once.
  std::signal(SIGINT, SIG_DFL);
  std::signal(SIGTERM, SIG_DFL);
  int fd = ::open(output_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0 || ::dup2(fd, STDOUT_FILENO) < 0 || ::dup2(fd, STDERR_FILENO) < 0) ::_exit(125);
  ::close(fd);
  int code = body();
  std::fflush(nullptr);
  ::_exit(code);
}

}  // namespace

Result<void> WorkerProcesses::start(uint64_t key, const std::string& output_path, const std::function<int()>& body) {
  // Buffered output would otherwise be written twice, once by each process.
  std::fflush(nullptr);
  pid_t pid = ::fork();
  if (pid < 0) return fail(std::string("fork: ") + std::strerror(errno));
  if (pid == 0) run_child(output_path, body);
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
    ChildExit exit{child->second};
    if (WIFSIGNALED(status)) exit.signal = WTERMSIG(status);
    else exit.exit_code = WEXITSTATUS(status);
    children_.erase(child);
    return exit;
  }
  return std::nullopt;
}

void WorkerProcesses::signal_all(int signal) {
  for (const auto& [pid, key] : children_) ::kill(pid, signal);
}

}  // namespace faultline
