#include "framework/cli/error_line.h"

#include <cstdio>

#include "histories/input_limits.h"

namespace faultline::cli {

std::string error_line_text(const std::string& message) {
  std::string line = message.size() <= kMaxErrorBytes ? message : excerpt(message, kMaxErrorBytes);
  for (char& c : line)
    if (c == '\n' || c == '\r') c = ' ';
  return line;
}

int error_line(const std::string& message, int exit_code) {
  std::fprintf(stderr, "faultline: %s\n", error_line_text(message).c_str());
  return exit_code;
}

}  // namespace faultline::cli
