#pragma once
// Child processes that each run one piece of work: a piece that aborts (FAULTLINE_ASSERT,
// a segfault) kills only its own process, and the parent learns how it ended.
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

}  // namespace faultline
