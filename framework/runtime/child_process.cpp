#include "framework/runtime/child_process.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <fstream>
#include <thread>
#include <utility>

#include "base/assert.h"

namespace faultline::runtime {

namespace {

// The shell's convention for "could not run the program"; also the status of a child whose
// setup failed or whose parent died before it could set its death signal.
constexpr int kCannotRun = 127;
// In the child, the exec-status pipe's write end sits just above the ready pipe, close-on-exec:
// it reports a failed setup or exec to spawn, and closes (end of file) when exec succeeds.
constexpr int kStatusFd = kReadyFd + 1;
// Every descriptor the child dup2s from is moved to this number or above before the fork, so
// that no dup2 onto 0..kStatusFd overwrites a source still to be copied.
constexpr int kFirstSpareFd = kStatusFd + 1;
// How much of a stderr file stderr_tail reads from its end: many lines, bounded memory.
constexpr std::streamoff kTailWindowBytes = 64 * 1024;
// A pipe's end of file comes as the child's descriptors close, a moment before the kernel
// makes it waitable; how long read_ready_line waits for that moment to say how it ended.
constexpr auto kExitGrace = std::chrono::milliseconds(500);

// Closes its descriptor when it goes away.
class OwnedFd {
 public:
  explicit OwnedFd(int fd = -1) : fd_(fd) {}
  OwnedFd(OwnedFd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  OwnedFd& operator=(OwnedFd&& other) noexcept {
    std::swap(fd_, other.fd_);
    return *this;
  }
  ~OwnedFd() { reset(); }
  int get() const { return fd_; }
  int release() { return std::exchange(fd_, -1); }
  void reset() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_;
};

std::string errno_text(const std::string& what) { return what + ": " + std::strerror(errno); }

// A close-on-exec copy of fd numbered kFirstSpareFd or above; fd itself is closed.
Result<OwnedFd> above_spare_fd(OwnedFd fd) {
  int moved = ::fcntl(fd.get(), F_DUPFD_CLOEXEC, kFirstSpareFd);
  if (moved < 0) return fail(errno_text("fcntl(F_DUPFD_CLOEXEC)"));
  return OwnedFd(moved);
}

Result<OwnedFd> open_spare(const std::string& path, int flags) {
  OwnedFd fd(::open(path.c_str(), flags | O_CLOEXEC, 0644));
  if (fd.get() < 0) return fail(errno_text(path));
  return above_spare_fd(std::move(fd));
}

struct Pipe {
  OwnedFd read_end;
  OwnedFd write_end;  // numbered kFirstSpareFd or above: the child dup2s it
};

Result<Pipe> open_pipe() {
  int ends[2];
  if (::pipe2(ends, O_CLOEXEC) != 0) return fail(errno_text("pipe2"));
  Pipe pipe{OwnedFd(ends[0]), OwnedFd(ends[1])};
  auto write_end = above_spare_fd(std::move(pipe.write_end));
  if (!write_end) return fail(write_end.error().message);
  pipe.write_end = std::move(write_end.value());
  return pipe;
}

// The parent's descriptors for one spawn; the child's ends numbered kFirstSpareFd or above.
struct ChildFds {
  OwnedFd null;    // its stdin
  OwnedFd output;  // its stdout and stderr
  Pipe ready;
  Pipe status;
};

Result<ChildFds> open_child_fds(const std::filesystem::path& stderr_path) {
  ChildFds fds;
  auto null = open_spare("/dev/null", O_RDONLY);
  if (!null) return fail(null.error().message);
  fds.null = std::move(null.value());
  auto output = open_spare(stderr_path.string(), O_WRONLY | O_CREAT | O_APPEND);
  if (!output) return fail(output.error().message);
  fds.output = std::move(output.value());
  auto ready = open_pipe();
  if (!ready) return fail(ready.error().message);
  fds.ready = std::move(ready.value());
  auto status = open_pipe();
  if (!status) return fail(status.error().message);
  fds.status = std::move(status.value());
  return fds;
}

// The steps of the child's setup, reported by number on the exec-status pipe.
enum class SetupStep : int { death_signal, process_group, signals, redirect, close_fds, exec };

const char* step_name(SetupStep step) {
  switch (step) {
    case SetupStep::death_signal: return "prctl(PR_SET_PDEATHSIG)";
    case SetupStep::process_group: return "setpgid";
    case SetupStep::signals: return "resetting signals";
    case SetupStep::redirect: return "dup2";
    case SetupStep::close_fds: return "close_range";
    case SetupStep::exec: return "execv";
  }
  return "setup";
}

struct SetupFailure {
  SetupStep step;
  int error;  // errno
};

// Everything the child needs between fork and exec, made before the fork: the child may only
// make async-signal-safe calls (another thread of the parent may have held malloc's lock).
struct ChildPlan {
  pid_t parent = 0;
  const char* executable = nullptr;
  std::vector<std::string> argv_text;
  std::vector<char*> argv;  // into argv_text, null-terminated
  int null_fd = -1;         // these four are numbered kFirstSpareFd or above
  int output_fd = -1;
  int ready_fd = -1;
  int status_fd = -1;
  struct sigaction default_action {};
  sigset_t no_signals{};
};

// In the child: a fixed line on its stderr (whichever it is by then), the step and errno to
// spawn, and the end. Writes are async-signal-safe; their failure leaves nothing to do.
[[noreturn]] void fail_setup(int status_fd, SetupStep step) {
  SetupFailure failure{step, errno};
  static constexpr char kLine[] = "faultline: the node process could not start (see the runner's error)\n";
  [[maybe_unused]] ssize_t ignored = ::write(STDERR_FILENO, kLine, sizeof kLine - 1);
  ignored = ::write(status_fd, &failure, sizeof failure);  // under PIPE_BUF: all or nothing
  ::_exit(kCannotRun);
}

// 0 = /dev/null, 1 and 2 = the stderr file, 3 = the ready pipe, 4 = the exec-status pipe
// (close-on-exec); every other descriptor closed.
void redirect_fds(const ChildPlan& plan) {
  if (::dup2(plan.status_fd, kStatusFd) < 0 || ::fcntl(kStatusFd, F_SETFD, FD_CLOEXEC) < 0)
    fail_setup(plan.status_fd, SetupStep::redirect);
  if (::dup2(plan.null_fd, STDIN_FILENO) < 0 || ::dup2(plan.output_fd, STDOUT_FILENO) < 0 ||
      ::dup2(plan.output_fd, STDERR_FILENO) < 0 || ::dup2(plan.ready_fd, kReadyFd) < 0)
    fail_setup(kStatusFd, SetupStep::redirect);
  if (::close_range(kFirstSpareFd, ~0U, 0) != 0) fail_setup(kStatusFd, SetupStep::close_fds);
}

// The child, from fork to exec.
[[noreturn]] void become_child(const ChildPlan& plan) {
  // Die with the runner. The check closes the race: a runner that died before prctl has
  // already made this an orphan, and nobody would ever kill it.
  if (::prctl(PR_SET_PDEATHSIG, SIGKILL) != 0) fail_setup(plan.status_fd, SetupStep::death_signal);
  if (::getppid() != plan.parent) ::_exit(kCannotRun);
  // Out of the terminal's foreground group: Ctrl-C is the runner's to handle.
  if (::setpgid(0, 0) != 0) fail_setup(plan.status_fd, SetupStep::process_group);
  // A node starts with default signals: exec keeps an ignored SIGPIPE and the blocked mask.
  for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGPIPE, SIGCHLD})
    if (::sigaction(sig, &plan.default_action, nullptr) != 0) fail_setup(plan.status_fd, SetupStep::signals);
  if (::sigprocmask(SIG_SETMASK, &plan.no_signals, nullptr) != 0) fail_setup(plan.status_fd, SetupStep::signals);
  redirect_fds(plan);
  ::execv(plan.executable, plan.argv.data());
  fail_setup(kStatusFd, SetupStep::exec);
}

ChildPlan plan_child(const SpawnOptions& options) {
  ChildPlan plan;
  plan.parent = ::getpid();
  plan.executable = options.executable.c_str();
  plan.argv_text.push_back(options.executable);
  plan.argv_text.insert(plan.argv_text.end(), options.args.begin(), options.args.end());
  for (std::string& arg : plan.argv_text) plan.argv.push_back(arg.data());
  plan.argv.push_back(nullptr);
  plan.default_action.sa_handler = SIG_DFL;
  sigemptyset(&plan.default_action.sa_mask);
  sigemptyset(&plan.no_signals);
  return plan;
}

// Forks with every signal blocked, so that none reaches the runner's handlers in the child
// before it resets them; the parent's mask is restored after.
pid_t fork_with_signals_blocked(const ChildPlan& plan) {
  sigset_t all, previous;
  sigfillset(&all);
  ::pthread_sigmask(SIG_SETMASK, &all, &previous);
  pid_t pid = ::fork();
  if (pid == 0) become_child(plan);
  int fork_error = errno;
  ::pthread_sigmask(SIG_SETMASK, &previous, nullptr);
  errno = fork_error;
  return pid;
}

// What the child reported on the exec-status pipe: nothing (end of file) once exec succeeded.
std::optional<SetupFailure> read_setup_failure(int status_fd) {
  SetupFailure failure{};
  for (;;) {
    ssize_t got = ::read(status_fd, &failure, sizeof failure);
    if (got < 0 && errno == EINTR) continue;
    if (got == static_cast<ssize_t>(sizeof failure)) return failure;
    return std::nullopt;
  }
}

int wait_blocking(pid_t pid) {
  int status = 0;
  pid_t reaped;
  while ((reaped = ::waitpid(pid, &status, 0)) < 0 && errno == EINTR) {
  }
  FAULTLINE_ASSERT(reaped == pid, "only its ChildProcess reaps a child (no waitpid(-1) elsewhere, SIGCHLD not ignored)");
  return status;
}

ChildExit exit_of(int status) {
  ChildExit exit;
  if (WIFSIGNALED(status)) exit.signal = WTERMSIG(status);
  else exit.exit_code = WEXITSTATUS(status);
  return exit;
}

// One '\n'-terminated line from fd within timeout_ms, without the '\n'; nullopt at end of
// file before a whole line.
Result<std::optional<std::string>> read_line(int fd, int timeout_ms) {
  using Clock = std::chrono::steady_clock;
  const auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
  std::string text;
  for (;;) {
    auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) return fail("no ready line within " + std::to_string(timeout_ms) + " ms");
    pollfd readable{fd, POLLIN, 0};
    int ready = ::poll(&readable, 1, static_cast<int>(left));
    if (ready < 0 && errno != EINTR) return fail(errno_text("poll"));
    if (ready <= 0) continue;
    char buffer[512];
    ssize_t got = ::read(fd, buffer, sizeof buffer);
    if (got < 0 && errno != EINTR) return fail(errno_text("read"));
    if (got == 0) return std::optional<std::string>();
    if (got < 0) continue;
    text.append(buffer, static_cast<size_t>(got));
    size_t end = text.find('\n');
    if (end != std::string::npos && end <= kMaxReadyLineBytes) return std::optional(text.substr(0, end));
    if (end != std::string::npos || text.size() > kMaxReadyLineBytes)
      return fail("a ready line longer than " + std::to_string(kMaxReadyLineBytes) + " bytes");
  }
}

}  // namespace

Result<ChildProcess> ChildProcess::spawn(const SpawnOptions& options) {
  if (options.executable.empty()) return fail("no executable to start");
  auto fds = open_child_fds(options.stderr_path);
  if (!fds) return fail("cannot start " + options.executable + ": " + fds.error().message);

  ChildPlan plan = plan_child(options);
  plan.null_fd = fds.value().null.get();
  plan.output_fd = fds.value().output.get();
  plan.ready_fd = fds.value().ready.write_end.get();
  plan.status_fd = fds.value().status.write_end.get();
  pid_t pid = fork_with_signals_blocked(plan);
  if (pid < 0) return fail("cannot start " + options.executable + ": " + errno_text("fork"));

  // Only the child may hold the write ends: its exit must bring end of file on both pipes.
  fds.value().ready.write_end.reset();
  fds.value().status.write_end.reset();
  if (auto failure = read_setup_failure(fds.value().status.read_end.get())) {
    wait_blocking(pid);
    return fail("cannot start " + options.executable + ": " + step_name(failure->step) + ": " +
                std::strerror(failure->error));
  }
  return ChildProcess(pid, fds.value().ready.read_end.release(), options.stderr_path);
}

ChildProcess::ChildProcess(pid_t pid, int ready_fd, std::filesystem::path stderr_path)
    : pid_(pid), ready_fd_(ready_fd), stderr_path_(std::move(stderr_path)) {}

ChildProcess::ChildProcess(ChildProcess&& other) noexcept
    : pid_(std::exchange(other.pid_, -1)),
      ready_fd_(std::exchange(other.ready_fd_, -1)),
      stderr_path_(std::move(other.stderr_path_)),
      exit_(std::exchange(other.exit_, std::nullopt)) {}

ChildProcess& ChildProcess::operator=(ChildProcess&& other) noexcept {
  if (this == &other) return *this;
  if (pid_ > 0) kill_and_reap();
  close_ready_fd();
  pid_ = std::exchange(other.pid_, -1);
  ready_fd_ = std::exchange(other.ready_fd_, -1);
  stderr_path_ = std::move(other.stderr_path_);
  exit_ = std::exchange(other.exit_, std::nullopt);
  return *this;
}

ChildProcess::~ChildProcess() {
  if (pid_ > 0) kill_and_reap();
  close_ready_fd();
}

void ChildProcess::close_ready_fd() {
  if (ready_fd_ >= 0) ::close(ready_fd_);
  ready_fd_ = -1;
}

Result<std::string> ChildProcess::read_ready_line(int timeout_ms) {
  FAULTLINE_ASSERT(ready_fd_ >= 0, "read_ready_line is called once, on a child not moved from");
  auto line = read_line(ready_fd_, timeout_ms);
  close_ready_fd();
  std::string who = "node process " + std::to_string(pid_) + ": ";
  if (!line) return fail(who + line.error().message);
  if (!line.value()) return fail(who + describe_closed_pipe());
  return std::move(*line.value());
}

// Why the ready pipe closed without a line, and what the child said on its way out.
std::string ChildProcess::describe_closed_pipe() {
  auto give_up = std::chrono::steady_clock::now() + kExitGrace;
  while (!poll_exit() && std::chrono::steady_clock::now() < give_up)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  std::string how = exit_ ? describe_exit(*exit_) + " before writing its ready line"
                          : "closed its ready pipe without writing a line (still running)";
  std::string tail = stderr_tail(3);
  if (tail.empty()) return how + "; its stderr (" + stderr_path_.string() + ") is empty";
  tail.pop_back();  // the message's end is the caller's
  return how + "; its stderr (" + stderr_path_.string() + ") ends with:\n" + tail;
}

void ChildProcess::signal(int sig) const {
  if (pid_ > 0 && !exit_) ::kill(pid_, sig);
}

std::optional<ChildExit> ChildProcess::poll_exit() {
  FAULTLINE_ASSERT(pid_ > 0, "a moved-from ChildProcess is not used");
  if (exit_) return exit_;
  int status = 0;
  pid_t reaped;
  while ((reaped = ::waitpid(pid_, &status, WNOHANG)) < 0 && errno == EINTR) {
  }
  FAULTLINE_ASSERT(reaped >= 0, "only its ChildProcess reaps a child (no waitpid(-1) elsewhere, SIGCHLD not ignored)");
  if (reaped == pid_) exit_ = exit_of(status);
  return exit_;
}

ChildExit ChildProcess::kill_and_reap() {
  FAULTLINE_ASSERT(pid_ > 0, "a moved-from ChildProcess is not used");
  if (exit_) return *exit_;
  ::kill(pid_, SIGKILL);
  exit_ = exit_of(wait_blocking(pid_));
  return *exit_;
}

std::string ChildProcess::stderr_tail(int lines) const {
  std::ifstream file(stderr_path_, std::ios::binary | std::ios::ate);
  if (!file || lines <= 0) return {};
  std::streamoff size = file.tellg();
  std::streamoff start = std::max<std::streamoff>(0, size - kTailWindowBytes);
  std::string text(static_cast<size_t>(size - start), '\0');
  file.seekg(start);
  file.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<size_t>(file.gcount()));
  // A window that starts inside a line starts at the next whole one.
  if (start > 0) text.erase(0, std::min(text.size(), text.find('\n') + 1));
  if (text.empty()) return {};
  if (text.back() != '\n') text += '\n';
  size_t cut = text.size() - 1;  // a line end: the lines kept are those after it
  for (int kept = 1; kept <= lines; ++kept) {
    size_t previous = cut == 0 ? std::string::npos : text.rfind('\n', cut - 1);
    if (previous == std::string::npos) return text;  // the file has no more lines than that
    cut = previous;
  }
  return text.substr(cut + 1);
}

std::string describe_exit(const ChildExit& exit) {
  if (exit.signal == 0) return "exited with status " + std::to_string(exit.exit_code);
  const char* name = ::sigabbrev_np(exit.signal);
  return "killed by " + (name ? "SIG" + std::string(name) : "signal " + std::to_string(exit.signal));
}

}  // namespace faultline::runtime
