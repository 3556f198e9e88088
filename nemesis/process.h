#pragma once
// Faults on node processes: kill (the process dies, the OS keeps unsynced writes), crash
// (power loss: unsynced writes are gone), pause (a GC pause or SIGSTOP: nothing runs,
// timers and messages wait). Each takes a target option: "one" (default), "minority",
// "majority", "all", "leader", or "any" (one of those drawn per fault).
#include "framework/nemesis.h"

namespace faultline::nemesis {

Result<NemesisPtr> make_kill(const std::string& option);
Result<NemesisPtr> make_crash(const std::string& option);
Result<NemesisPtr> make_pause(const std::string& option);

}  // namespace faultline::nemesis
