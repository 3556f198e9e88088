#include "framework/abort_report.h"

#include <csignal>
#include <sstream>

#include "framework/campaign_record.h"
#include "framework/simulator.h"

namespace faultline {

namespace {

constexpr const char* kAssertionMarker = "invariant broken at ";
constexpr size_t kTailLines = 10;

std::string last_lines(const std::string& text, size_t count) {
  size_t at = text.size();
  if (at > 0 && text[at - 1] == '\n') --at;
  for (size_t i = 0; i < count && at != std::string::npos && at > 0; ++i) at = text.rfind('\n', at - 1);
  return at == std::string::npos || at == 0 ? text : text.substr(at + 1);
}

}  // namespace

std::optional<AbortReport> abort_report(const CapturedExit& ended) {
  if (ended.exit.signal == 0) return std::nullopt;
  AbortReport report;
  report.signal = ended.exit.signal;
  report.stderr_tail = last_lines(ended.stderr_text, kTailLines);
  std::istringstream lines(ended.stderr_text);
  const std::string activity_prefix = kSimEventPrefix;
  for (std::string line; std::getline(lines, line);) {
    if (size_t at = line.find(kAssertionMarker); at != std::string::npos) report.assertion = line.substr(at);
    if (line.starts_with(activity_prefix)) report.activity = line.substr(activity_prefix.size());
  }
  return report;
}

bool killed_from_outside(int signal) {
  return signal == SIGINT || signal == SIGTERM || signal == SIGHUP || signal == SIGKILL;
}

std::string AbortReport::identity() const { return signal_name(signal) + ": " + assertion; }

std::string AbortReport::describe() const {
  std::string text = signal_name(signal);
  if (!assertion.empty()) text += ": " + assertion;
  if (!activity.empty()) text += " (while handling: " + activity + ")";
  return text;
}

Json abort_json(const AbortReport& report) {
  return {{"signal", report.signal},
          {"signal_name", signal_name(report.signal)},
          {"assertion", report.assertion.empty() ? Json() : Json(report.assertion)},
          {"while_handling", report.activity.empty() ? Json() : Json(report.activity)},
          {"stderr_tail", report.stderr_tail}};
}

}  // namespace faultline
