#pragma once
// How far the running check has got, for the progress line of `faultline check` (issue 14,
// item 9: "for check, ops explored and elapsed budget"). The linearizability search adds to
// it as it goes; the command line's ticker thread reads it. Only a display: no verdict, no
// witness and no search order depends on it, and nothing in a simulated run touches it.
#include <atomic>
#include <cstdint>

namespace faultline {

struct CheckProgress {
  std::atomic<uint64_t> partitions{0};          // independent sub-histories to search
  std::atomic<uint64_t> partitions_decided{0};
  std::atomic<uint64_t> search_steps{0};        // configurations the searches explored

  void reset() {
    partitions = 0;
    partitions_decided = 0;
    search_steps = 0;
  }
};

// The process's one (a process runs one `check` at a time; tests that check concurrently
// only mix the counts, never the verdicts).
CheckProgress& check_progress();

}  // namespace faultline
