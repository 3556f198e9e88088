#pragma once
// Child processes that each run one piece of work: a piece that aborts (FAULTLINE_ASSERT,
// a segfault) kills only its own process, and the parent learns how it ended.
//
// Every child dies with its parent (PR_SET_PDEATHSIG: SIGKILL when the parent dies, even by
// SIGKILL), so a killed command leaves no orphans running its seeds. A child that dies of a
// fatal signal first writes what the simulator was handling (write_current_sim_event).
#include <sys/types.h>

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>

#include "base/result.h"

namespace faultline {

struct ChildExit {
  uint64_t key = 0;
  int exit_code = 0;
  int signal = 0;  // nonzero when a signal ended the child
  bool clean() const { return signal == 0 && exit_code == 0; }
};

class WorkerProcesses {
 public:
  // Forks a child that runs body with stdout and stderr going to output_path, and exits
  // with body's return value without running the parent's exit handlers or destructors.
  Result<void> start(uint64_t key, const std::string& output_path, const std::function<int()>& body);
  // Waits until a child ends. nullopt when a signal interrupted the wait.
  std::optional<ChildExit> wait_any();
  void signal_all(int signal);
  size_t running() const { return children_.size(); }

 private:
  std::map<pid_t, uint64_t> children_;
};

struct CapturedExit {
  ChildExit exit;
  std::string stderr_text;  // everything the child wrote on stderr
};

// Runs body in one child process and waits for it. The child's stdout is the parent's; its
// stderr is captured and returned (the parent decides what to show).
Result<CapturedExit> run_in_child(const std::function<int()>& body);

}  // namespace faultline
