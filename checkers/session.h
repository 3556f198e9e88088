#pragma once
// Session guarantees (Terry et al. 1994, "Session Guarantees for Weakly Consistent Replicated
// Data"), judged per process (a process id is a session) on `session` and `append` histories
// (docs/workloads.md): read-your-writes, monotonic reads, monotonic writes and
// writes-follow-reads, each reported on its own as held, violated (with the first violating
// ops) or not observable (with why). The exact definitions are in docs/checkers/session.md.
#include <string>
#include <vector>

#include "checkers/checker.h"
#include "checkers/verdict.h"
#include "checkers/version_order.h"
#include "histories/history.h"

namespace faultline {

inline const std::vector<std::string> kSessionGuarantees = {"read-your-writes", "monotonic-reads",
                                                            "monotonic-writes", "writes-follow-reads"};

struct SessionOptions {
  std::string type = "auto";                              // auto | session | append
  std::vector<std::string> guarantees = kSessionGuarantees;  // the ones to judge
};

// The judgement of one guarantee. A read is checked when at least one obligation of the
// guarantee applies to it, and violating when at least one of them fails.
struct GuaranteeJudgement {
  std::string guarantee;
  std::vector<int64_t> checked_reads;    // indexes, ascending
  std::vector<int64_t> violating_reads;  // indexes, ascending
  std::vector<Json> witnesses;           // the first violations (capped), in read order
  std::string not_observable_why;        // set when checked_reads is empty
};

struct SessionJudgement {
  KvHistory kv;
  std::vector<GuaranteeJudgement> guarantees;  // in the order of kSessionGuarantees
  CheckResult result;
};

// Bad input (see read_kv_history) or an unknown guarantee name is an error.
Result<SessionJudgement> judge_session_guarantees(const History& history, const SessionOptions& options,
                                                  const OpLocator& locate);

// The registry entry "session": options type and guarantees.
CheckerSpec session_checker();

// One line per judged guarantee, with the first violation's story, and the version-order
// anomalies.
std::string render_session_text(const CheckResult& result);

}  // namespace faultline
