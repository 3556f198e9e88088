// The staleness checker against the brute-force reference (session_reference.h) on random
// small session and append histories: the same reads are measured, each with the same
// versions_behind and ms_behind.
#include <gtest/gtest.h>

#include <rapidcheck/gtest.h>

#include "checkers/staleness.h"
#include "kv_history_generator.h"
#include "session_reference.h"

namespace faultline {
namespace {

RC_GTEST_PROP(StalenessProperty, PerReadFiguresMatchTheBruteForceReference, ()) {
  const bool append = *rc::gen::arbitrary<bool>();
  const History history = testing_support::KvHistoryGenerator(append).generate();
  auto measured = measure_staleness(history, StalenessOptions{.type = append ? "append" : "session"},
                                    [&](size_t position) { return locate_by_index(history, position); });
  if (!measured) RC_FAIL("generated histories keep the workload's assumptions: " + measured.error().message);
  std::map<int64_t, reference::SessionReference::Staleness> figures;
  bool stale = false;
  for (const ReadStaleness& read : measured.value().reads) {
    figures[measured.value().kv.ops[read.read].index] = {read.versions_behind, read.ms_behind};
    stale = stale || read.versions_behind > 0;
  }
  const auto expected = reference::SessionReference(history, append).staleness();
  RC_ASSERT(figures.size() == expected.size());
  for (const auto& [index, figure] : expected) {
    RC_ASSERT(figures.contains(index));
    RC_ASSERT(figures[index].versions_behind == figure.versions_behind);
    RC_ASSERT(figures[index].ms_behind == figure.ms_behind);
  }
  RC_CLASSIFY(append, "append");
  RC_CLASSIFY(stale, "some read stale");
}

// With a bound, the verdict is invalid exactly when some measured read exceeds it.
RC_GTEST_PROP(StalenessProperty, ABoundIsExceededExactlyWhenAReadIsFurtherBehind, ()) {
  const bool append = *rc::gen::arbitrary<bool>();
  const History history = testing_support::KvHistoryGenerator(append).generate();
  const int64_t bound = *rc::gen::inRange<int64_t>(0, 3);
  auto measured = measure_staleness(history, StalenessOptions{.type = append ? "append" : "session", .bound_versions = bound},
                                    [&](size_t position) { return locate_by_index(history, position); });
  if (!measured) RC_FAIL("generated histories keep the workload's assumptions: " + measured.error().message);
  bool beyond = !measured.value().kv.anomalies.empty();
  for (const auto& [index, figure] : reference::SessionReference(history, append).staleness())
    beyond = beyond || figure.versions_behind > bound;
  RC_ASSERT((measured.value().result.verdict == Verdict::invalid) == beyond);
}

}  // namespace
}  // namespace faultline
