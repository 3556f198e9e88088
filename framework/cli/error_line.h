#pragma once
// How every command reports an error: "faultline: MESSAGE" as one line on stderr, whatever
// the message quotes (a 200 KB header value, a line break in a file name), and an exit code.
#include <string>

namespace faultline::cli {

// Longest message printed; longer ones are cut at a UTF-8 character boundary, then "...".
inline constexpr size_t kMaxErrorBytes = 1024;

// MESSAGE on one line (line breaks become spaces), cut to kMaxErrorBytes.
std::string error_line_text(const std::string& message);

// Prints the line and returns exit_code, so a command can `return error_line(...)`.
int error_line(const std::string& message, int exit_code = 2);

}  // namespace faultline::cli
