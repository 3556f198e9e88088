#pragma once
// The budget of one check (issue 5, "Budgets"): a wall-clock limit and a memory cap shared
// by every partition's search, and a stop signal. Past either limit the verdict is unknown;
// the searches ask before they allocate, so the cap is never exceeded by more than one
// small step and the process is never killed for memory. The time limit covers the whole
// check (the time already used reading the history counts), and when the process cannot get
// memory below the cap (std::bad_alloc) the budget is exhausted too (issue 9, defect 14).
#include <atomic>
#include <chrono>
#include <cstddef>
#include <string>

namespace faultline {

class SearchBudget {
 public:
  // time_used_s: seconds of the time limit already spent before this budget was made.
  SearchBudget(double time_limit_s, size_t memory_limit_bytes, double time_used_s = 0);

  // Reserves bytes against the cap; false (and nothing reserved) when that would exceed it.
  bool reserve(size_t bytes);
  void release(size_t bytes);

  // An allocation failed (std::bad_alloc) before the cap was reached: exhausts the budget.
  void note_allocation_failure();

  // True once the time limit passed, a reservation was refused or an allocation failed. Cheap enough to call every
  // few thousand search steps, not every step (research/lin-tester.md, pitfalls).
  bool exhausted();
  std::string reason() const;  // why exhausted, e.g. "time limit of 2 s reached"
  double elapsed_s() const;     // time_used_s included
  size_t peak_bytes() const { return peak_bytes_.load(); }

 private:
  using Clock = std::chrono::steady_clock;
  Clock::time_point start_;
  double time_limit_s_;
  size_t memory_limit_bytes_;
  std::atomic<size_t> used_bytes_{0};
  std::atomic<size_t> peak_bytes_{0};
  std::atomic<bool> out_of_time_{false};
  std::atomic<bool> out_of_memory_{false};
  std::atomic<bool> allocation_failed_{false};
};

}  // namespace faultline
