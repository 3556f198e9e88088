#include "framework/cli/progress.h"

#include <unistd.h>

#include <cmath>

namespace faultline::cli {

Progress::Mode Progress::mode_for(bool quiet, std::FILE* out) {
  if (quiet) return Mode::quiet;
  return ::isatty(::fileno(out)) ? Mode::live : Mode::plain;
}

Progress::Progress(Mode mode, std::FILE* out) : mode_(mode), out_(out) {}

Progress::~Progress() { finish(); }

void Progress::clear_live_line() {
  if (mode_ != Mode::live || shown_.empty()) return;
  std::fputs("\r\033[K", out_);  // carriage return, erase to the end of the line
  shown_.clear();
}

void Progress::update(const std::string& text) {
  if (mode_ == Mode::quiet) return;
  pending_ = text;
  const auto now = Clock::now();
  const auto interval = mode_ == Mode::live ? std::chrono::duration_cast<Clock::duration>(kLiveInterval)
                                            : std::chrono::duration_cast<Clock::duration>(kPlainInterval);
  if (shown_once_ && now - last_shown_ < interval) return;
  shown_once_ = true;
  last_shown_ = now;
  if (mode_ == Mode::live) {
    std::fprintf(out_, "\r\033[K%s", pending_.c_str());
    shown_ = pending_;
  } else {
    std::fprintf(out_, "%s\n", pending_.c_str());
  }
  pending_.clear();
  std::fflush(out_);
}

void Progress::note(const std::string& line) {
  const std::string live = pending_.empty() ? shown_ : pending_;
  clear_live_line();
  std::fprintf(out_, "%s\n", line.c_str());
  if (mode_ == Mode::live && !live.empty()) {  // the live line again, below the note
    std::fputs(live.c_str(), out_);
    shown_ = live;
    pending_.clear();
  }
  std::fflush(out_);
}

void Progress::finish() {
  if (mode_ == Mode::plain && !pending_.empty()) std::fprintf(out_, "%s\n", pending_.c_str());
  clear_live_line();
  pending_.clear();
  std::fflush(out_);
}

std::string format_duration_s(double seconds) {
  char text[32];
  if (seconds < 10) std::snprintf(text, sizeof text, "%.1f s", seconds);
  else if (seconds < 60) std::snprintf(text, sizeof text, "%.0f s", seconds);
  else std::snprintf(text, sizeof text, "%d m %02d s", static_cast<int>(seconds / 60), static_cast<int>(std::fmod(seconds, 60)));
  return text;
}

std::string seeds_progress(int64_t done, int64_t total, int64_t failed, double elapsed_s) {
  std::string text = std::to_string(done) + "/" + std::to_string(total) + " seeds, " + std::to_string(failed) + " failed";
  if (done == 0 || elapsed_s <= 0) return text;
  const double rate = static_cast<double>(done) / elapsed_s;
  char rate_text[32];
  std::snprintf(rate_text, sizeof rate_text, "%.1f", rate);
  text += std::string(", ") + rate_text + " seeds/s";
  if (done < total) text += ", ETA " + format_duration_s(static_cast<double>(total - done) / rate);
  return text;
}

}  // namespace faultline::cli
