// The session checker against the brute-force reference (session_reference.h) on random
// small session and append histories: for every guarantee, the same reads are checked and
// the same reads violate it; the verdict follows.
#include <gtest/gtest.h>

#include <rapidcheck/gtest.h>

#include "checkers/session.h"
#include "kv_history_generator.h"
#include "session_reference.h"

namespace faultline {
namespace {

std::set<int64_t> as_set(const std::vector<int64_t>& indexes) { return {indexes.begin(), indexes.end()}; }

// Judges one history with the checker and the reference; returns the guarantees violated.
std::vector<std::string> compare_with_reference(const History& history, bool append) {
  auto judged = judge_session_guarantees(history, SessionOptions{.type = append ? "append" : "session"},
                                         [&](size_t position) { return locate_by_index(history, position); });
  if (!judged) RC_FAIL("generated histories keep the workload's assumptions: " + judged.error().message);
  const reference::SessionReference reference(history, append);
  std::vector<std::string> violated;
  bool observed = false;
  for (const GuaranteeJudgement& judgement : judged.value().guarantees) {
    RC_ASSERT(as_set(judgement.checked_reads) == reference.checked(judgement.guarantee));
    RC_ASSERT(as_set(judgement.violating_reads) == reference.violating(judgement.guarantee));
    if (!judgement.violating_reads.empty()) {
      RC_ASSERT(judgement.witnesses.front()["ops"].back() == judgement.violating_reads.front());
      violated.push_back(judgement.guarantee);
    }
    observed = observed || !judgement.checked_reads.empty();
  }
  if (!reference.unordered_keys().empty()) violated.push_back("incompatible-order");
  const Verdict expected = !violated.empty() ? Verdict::invalid : observed ? Verdict::valid : Verdict::unknown;
  RC_ASSERT(judged.value().result.verdict == expected);
  return violated;
}

// Several histories per case: chains across keys (monotonic writes, writes-follow-reads)
// are rare in one small history, so each case looks at ten.
RC_GTEST_PROP(SessionProperty, EveryGuaranteeMatchesTheBruteForceReference, ()) {
  const bool append = *rc::gen::arbitrary<bool>();
  std::set<std::string> violated;
  for (int i = 0; i < 10; ++i)
    for (const std::string& guarantee : compare_with_reference(testing_support::KvHistoryGenerator(append).generate(), append))
      violated.insert(guarantee);
  RC_CLASSIFY(append, "append");
  for (const std::string& guarantee : violated) RC_CLASSIFY(true, guarantee);
}

}  // namespace
}  // namespace faultline
