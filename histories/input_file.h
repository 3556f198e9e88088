#pragma once
// Opening and reading input files within the bounds of histories/input_limits.h. A read
// error is an error, never the end of the file (a directory read as a history used to pass
// as an empty, "valid" one).
#include <cstdint>
#include <iosfwd>
#include <string>
#include <vector>

#include "base/result.h"
#include "histories/input_limits.h"

namespace faultline {

// Regular files, pipes (FIFOs, /dev/stdin from a pipe) and sockets can be read; a directory
// or a device (/dev/zero, a terminal) is refused: "path: is a directory, not a file".
Result<void> require_readable_input(const std::string& path);

// Lines of a stream, numbered from 1, without their '\n' (a '\r' before it is kept).
class LineReader {
 public:
  LineReader(std::istream& in, std::string source, size_t max_line_bytes = kMaxLineBytes);

  // Reads the next line into `line`: true, or false at the end of the input. Errors: a read
  // error, a line longer than max_line_bytes ("source:N: ...").
  Result<bool> next(std::string& line);
  int64_t line_number() const { return line_number_; }

 private:
  bool refill();

  std::istream& in_;
  std::string source_;
  size_t max_line_bytes_;
  std::vector<char> buffer_;
  size_t position_ = 0;
  size_t filled_ = 0;
  int64_t line_number_ = 0;
};

// A whole file (the importers' input) of at most `max_bytes`.
Result<std::string> read_text_file(const std::string& path, size_t max_bytes = kMaxImportBytes);

}  // namespace faultline
