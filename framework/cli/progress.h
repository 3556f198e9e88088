#pragma once
// Progress of long work on the terminal (issue 14, item 9): on a TTY, one line rewritten in
// place a few times a second; when stderr is a file or a pipe, a plain line now and then (a
// log stays readable); nothing with --quiet. Lines that must stay (a failing seed) are
// printed above the live line.
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>

namespace faultline::cli {

// Wall-clock seconds since `start`: how long a command's work took (never used inside a
// simulated run, whose time is virtual).
inline double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

class Progress {
 public:
  enum class Mode { quiet, live, plain };
  // quiet, else live when `out` is a terminal, else plain.
  static Mode mode_for(bool quiet, std::FILE* out = stderr);

  explicit Progress(Mode mode, std::FILE* out = stderr);
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  // The current state; shown now or at the next moment the rate allows.
  void update(const std::string& text);
  // A line that stays, printed above the live line (also when quiet: it is a result).
  void note(const std::string& line);
  // Shows the last state (plain mode) or clears the live line.
  void finish();

  static constexpr std::chrono::milliseconds kLiveInterval{150};
  static constexpr std::chrono::seconds kPlainInterval{10};

 private:
  using Clock = std::chrono::steady_clock;
  void clear_live_line();
  Mode mode_;
  std::FILE* out_;
  std::string pending_;       // the latest text not yet shown
  std::string shown_;         // what the live line shows now
  Clock::time_point last_shown_{};
  bool shown_once_ = false;
};

// "12/40 seeds, 2 failed, 3.1 seeds/s, ETA 9 s"
std::string seeds_progress(int64_t done, int64_t total, int64_t failed, double elapsed_s);

// "1 m 05 s", "9 s", "0.4 s"
std::string format_duration_s(double seconds);

}  // namespace faultline::cli
