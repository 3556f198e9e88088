#pragma once
// Whole-file reads and writes with every error reported (the path and why), shared by every
// command that keeps a result on disk.
#include <string>
#include <string_view>

#include "base/result.h"

namespace faultline {

// How long a written file must last: until the rename (it survives the writer being killed)
// or also a power loss (fsync of the file before the rename and of its directory after).
enum class Durability { survives_kill, survives_power_loss };

// Writes to a temporary name beside PATH (PATH.tmp-<pid>), then renames it over PATH: a
// reader never sees half a file, and a failed write leaves no file looking complete (the
// temporary is removed). Every write, fsync and close is checked. A PATH that is a device or
// a pipe (/dev/stdout, /dev/full) is written in place: there is nothing to rename over.
Result<void> write_file_atomically(const std::string& path, std::string_view text,
                                   Durability durability = Durability::survives_power_loss);

// The most read_whole_file reads (a history of about 6 million ops).
inline constexpr size_t kMaxWholeFileBytes = size_t{1} << 30;

// The whole file; a directory, a device (/dev/zero never ends), a file beyond max_bytes or a
// read error is an error naming the path, never an empty or endless text. Pipes are read.
Result<std::string> read_whole_file(const std::string& path, size_t max_bytes = kMaxWholeFileBytes);

// Writes all of text to fd, retrying short writes and EINTR; false with errno set on failure.
bool write_all(int fd, std::string_view text);

// "PATH: cannot write: No space left on device" for the current errno.
std::string io_error(const std::string& path, const char* what);

// A fresh private directory under $TMPDIR (else /tmp), removed with its contents when the
// object goes away.
class ScratchDirectory {
 public:
  static Result<ScratchDirectory> create(const std::string& prefix);
  ScratchDirectory(ScratchDirectory&& other) noexcept : path_(std::move(other.path_)) { other.path_.clear(); }
  ScratchDirectory& operator=(ScratchDirectory&&) = delete;
  ScratchDirectory(const ScratchDirectory&) = delete;
  ~ScratchDirectory();
  const std::string& path() const { return path_; }

 private:
  explicit ScratchDirectory(std::string path) : path_(std::move(path)) {}
  std::string path_;
};

}  // namespace faultline
