#pragma once
// The JSONL history format of DESIGN.md: reading (with file:line errors) and writing
// (streamed, flushed line by line, so a crashed run keeps what it recorded).
#include <chrono>
#include <cstdio>
#include <iosfwd>
#include <limits>
#include <memory>
#include <optional>
#include <string>

#include "base/files.h"
#include "base/result.h"
#include "histories/history.h"

namespace faultline {

// One op as a JSON line (no newline), with fields in a fixed order so equal histories are
// equal bytes: index, time, process, type, f, key, value, node, role, error, final.
std::string format_op_line(const Op& op);
std::string format_header_line(const Json& header);

// Parses one line; `where` ("file:line") prefixes any error.
Result<Op> parse_op_line(const std::string& line, const std::string& where);

// Reads a whole history. A header is accepted only as the first non-empty line. Errors name
// "source:line": a line that is not an op, a line longer than kMaxLineBytes, a value nested
// deeper than kMaxNestingDepth (histories/input_limits.h), an op index used twice, a read
// error. history.op_lines gets each op's line.
Result<History> read_history(std::istream& in, const std::string& source_name);
Result<History> read_history_file(const std::string& path);

// A checker's budget applied to reading (issue 5, "Budgets": a time limit covers the whole
// check, a memory cap counts the parsed history). Reaching it is not an error: reading stops
// and says why, and the check's verdict is unknown.
struct ReadBudget {
  std::optional<std::chrono::steady_clock::time_point> deadline;
  size_t memory_limit_bytes = std::numeric_limits<size_t>::max();  // approximate_memory_bytes
};

struct BudgetedRead {
  enum class Stop { none, time_limit, memory_limit };
  History history;          // what was read
  Stop stopped_by = Stop::none;
  int64_t stopped_at_line = 0;  // the last line read when reading stopped early
};

Result<BudgetedRead> read_history_within(std::istream& in, const std::string& source_name,
                                         const ReadBudget& budget);
Result<BudgetedRead> read_history_file_within(const std::string& path, const ReadBudget& budget);

// Writes the history (header, then one line per op) to `path` so that no reader ever sees a
// partial file: to a temporary file beside it, renamed over `path` once complete, removed on
// any error. A path that is not a regular file (a FIFO, /dev/stdout) is written directly.
Result<void> write_history_file(const std::string& path, const History& history);

// Where formatted lines go. Implementations: a file (flushed per line) and memory.
class LineSink {
 public:
  virtual ~LineSink() = default;
  virtual void write_line(const std::string& line) = 0;
};

class MemorySink final : public LineSink {
 public:
  void write_line(const std::string& line) override;
  const std::string& text() const { return text_; }

 private:
  std::string text_;
};

// Each line is flushed as it is written, so a crashed run keeps every line it recorded. A
// failed write (a full disk) is remembered and later lines are dropped: check ok() or
// close() before reporting the file as written.
class FileSink final : public LineSink {
 public:
  static Result<std::unique_ptr<FileSink>> open(const std::string& path);
  ~FileSink() override;
  void write_line(const std::string& line) override;
  // Whether every line so far reached the file; the first error, naming the path, if not.
  bool ok() const { return !error_; }
  const std::optional<std::string>& error() const { return error_; }
  // Flushes (and with survives_power_loss fsyncs) and closes; the first error of any write.
  Result<void> close(Durability durability = Durability::survives_kill);

 private:
  FileSink(std::FILE* file, std::string path) : file_(file), path_(std::move(path)) {}
  void note_error(const char* what);
  std::FILE* file_;
  std::string path_;
  std::optional<std::string> error_;
};

// Several sinks at once (e.g. a file and an in-memory copy to hash).
class TeeSink final : public LineSink {
 public:
  TeeSink(LineSink& first, LineSink& second) : first_(first), second_(second) {}
  void write_line(const std::string& line) override;

 private:
  LineSink& first_;
  LineSink& second_;
};

}  // namespace faultline
