#include "base/files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>

namespace faultline {

namespace fs = std::filesystem;

std::string io_error(const std::string& path, const char* what) {
  return path + ": " + what + ": " + std::strerror(errno);
}

bool write_all(int fd, std::string_view text) {
  while (!text.empty()) {
    ssize_t written = ::write(fd, text.data(), text.size());
    if (written < 0 && errno == EINTR) continue;
    if (written <= 0) {
      if (written == 0) errno = EIO;
      return false;
    }
    text.remove_prefix(static_cast<size_t>(written));
  }
  return true;
}

namespace {

// A rename is durable only once the directory holding the new name is on disk too.
Result<void> sync_directory_of(const std::string& path) {
  std::string dir = fs::path(path).parent_path().string();
  if (dir.empty()) dir = ".";
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return fail(io_error(dir, "cannot open to sync"));
  bool synced = ::fsync(fd) == 0;
  int saved = errno;
  ::close(fd);
  errno = saved;
  if (!synced) return fail(io_error(dir, "cannot sync"));
  return outcome::success();
}

// A device or a pipe: written as it is, with every write checked.
Result<void> write_in_place(const std::string& path, std::string_view text) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) return fail(io_error(path, "cannot open for writing"));
  int error = write_all(fd, text) ? 0 : errno;
  if (::close(fd) != 0 && error == 0) error = errno;
  errno = error;
  if (error != 0) return fail(io_error(path, "cannot write"));
  return outcome::success();
}

}  // namespace

Result<void> write_file_atomically(const std::string& path, std::string_view text, Durability durability) {
  struct stat existing {};
  if (::stat(path.c_str(), &existing) == 0) {
    if (S_ISDIR(existing.st_mode)) return fail(path + ": cannot write: Is a directory");
    if (!S_ISREG(existing.st_mode)) return write_in_place(path, text);
  }
  // The process id keeps two writers of one path (which a campaign's lock forbids anyway)
  // from sharing a temporary.
  std::string temporary = path + ".tmp-" + std::to_string(::getpid());
  int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  if (fd < 0) return fail(io_error(path, "cannot create"));
  int error = write_all(fd, text) ? 0 : errno;
  if (error == 0 && durability == Durability::survives_power_loss && ::fsync(fd) != 0) error = errno;
  if (::close(fd) != 0 && error == 0) error = errno;  // close reports what an NFS server deferred
  if (error != 0) {
    errno = error;
    std::string message = io_error(path, "cannot write");
    ::unlink(temporary.c_str());
    return fail(message);
  }
  if (::rename(temporary.c_str(), path.c_str()) != 0) {
    std::string message = io_error(path, "cannot rename into place");
    ::unlink(temporary.c_str());
    return fail(message);
  }
  if (durability == Durability::survives_power_loss) return sync_directory_of(path);
  return outcome::success();
}

Result<std::string> read_whole_file(const std::string& path, size_t max_bytes) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return fail(io_error(path, "cannot open"));
  struct stat status {};
  if (::fstat(fd, &status) == 0 && (S_ISDIR(status.st_mode) || S_ISCHR(status.st_mode) || S_ISBLK(status.st_mode))) {
    ::close(fd);
    return fail(path + (S_ISDIR(status.st_mode) ? ": cannot read: Is a directory" : ": is a device, not a file"));
  }
  std::string text;
  if (S_ISREG(status.st_mode)) text.reserve(static_cast<size_t>(status.st_size));
  char buffer[1 << 16];
  for (;;) {
    ssize_t got = ::read(fd, buffer, sizeof buffer);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) {
      std::string message = io_error(path, "cannot read");
      ::close(fd);
      return fail(message);
    }
    if (got == 0) break;
    if (text.size() + static_cast<size_t>(got) > max_bytes) {
      ::close(fd);
      return fail(path + ": larger than " + std::to_string(max_bytes >> 20) + " MiB, the most read whole");
    }
    text.append(buffer, static_cast<size_t>(got));
  }
  ::close(fd);
  return text;
}

Result<ScratchDirectory> ScratchDirectory::create(const std::string& prefix) {
  const char* base = std::getenv("TMPDIR");
  std::string pattern = std::string(base != nullptr && *base != '\0' ? base : "/tmp") + "/" + prefix + "-XXXXXX";
  if (::mkdtemp(pattern.data()) == nullptr) return fail(io_error(pattern, "cannot create a scratch directory"));
  return ScratchDirectory(pattern);
}

ScratchDirectory::~ScratchDirectory() {
  if (path_.empty()) return;
  std::error_code ignored;
  fs::remove_all(path_, ignored);
}

}  // namespace faultline
