#pragma once
// How a run that died in its child process ended (worker_processes.h): the signal, the
// assertion FAULTLINE_ASSERT printed and what the simulator was handling, read back from
// the child's stderr. A run that aborts is a failing run in every command, never a crash
// of the command itself.
#include <optional>
#include <string>

#include "base/json.h"
#include "framework/worker_processes.h"

namespace faultline {

struct AbortReport {
  int signal = 0;
  std::string assertion;    // "invariant broken at FILE:LINE: what (condition)"; "" if none was printed
  std::string activity;     // "t=... ns, delivering a message from node 0 to node 2"; "" if unknown
  std::string stderr_tail;  // the child's last lines on stderr

  // What makes two aborts the same: the signal and the assertion, not the time or the node
  // (shrinking changes those while the same assertion keeps firing).
  std::string identity() const;
  // One line: "SIGABRT: invariant broken at ... (while handling: t=... ns, ...)".
  std::string describe() const;
};

// The report of a child that died of a signal; nullopt when it exited by itself.
std::optional<AbortReport> abort_report(const CapturedExit& ended);

// A child killed from outside (Ctrl-C, kill, a hangup, the OOM killer) did not abort by
// itself: its run did not finish, and no verdict can be drawn from it.
bool killed_from_outside(int signal);

Json abort_json(const AbortReport& report);

}  // namespace faultline
