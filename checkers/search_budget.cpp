#include "checkers/search_budget.h"

#include <cstdio>

namespace faultline {

SearchBudget::SearchBudget(double time_limit_s, size_t memory_limit_bytes, double time_used_s)
    : start_(Clock::now() - std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(time_used_s))),
      time_limit_s_(time_limit_s),
      memory_limit_bytes_(memory_limit_bytes) {}

bool SearchBudget::reserve(size_t bytes) {
  size_t used = used_bytes_.load();
  do {
    if (used + bytes > memory_limit_bytes_) {
      out_of_memory_ = true;
      return false;
    }
  } while (!used_bytes_.compare_exchange_weak(used, used + bytes));
  size_t peak = peak_bytes_.load();
  while (used + bytes > peak && !peak_bytes_.compare_exchange_weak(peak, used + bytes)) {
  }
  return true;
}

void SearchBudget::release(size_t bytes) { used_bytes_ -= bytes; }

void SearchBudget::note_allocation_failure() {
  allocation_failed_ = true;
  out_of_memory_ = true;
}

double SearchBudget::elapsed_s() const {
  return std::chrono::duration<double>(Clock::now() - start_).count();
}

bool SearchBudget::exhausted() {
  if (time_limit_s_ > 0 && !out_of_time_ && elapsed_s() > time_limit_s_) out_of_time_ = true;
  return out_of_time_ || out_of_memory_;
}

std::string SearchBudget::reason() const {
  char text[192];
  if (allocation_failed_) {
    std::snprintf(text, sizeof text,
                  "memory ran out below the cap of %zu MiB (the process could not allocate more; %zu MiB counted)",
                  memory_limit_bytes_ >> 20, used_bytes_.load() >> 20);
  } else if (out_of_memory_) {
    std::snprintf(text, sizeof text, "memory cap of %zu MiB reached",
                  memory_limit_bytes_ >> 20);
  } else if (out_of_time_) {
    std::snprintf(text, sizeof text, "time limit of %g s reached", time_limit_s_);
  } else {
    return "not exhausted";
  }
  return text;
}

}  // namespace faultline
