#include "framework/runtime/real_disk.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <set>
#include <system_error>
#include <utility>

#include "base/assert.h"
#include "base/files.h"

namespace faultline::runtime {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view kTemporarySuffix = ".tmp";
constexpr std::string_view kPowerLossMarker = "power-loss-underway";  // beside current/ and durable/

// ---- Names ----------------------------------------------------------------------------------

bool is_plain(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '_' || c == '-';
}

int hex_digit_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// ---- Files ----------------------------------------------------------------------------------

// Closes on every path out; close's own result is not checked: on a local file system write
// and fdatasync already report what went wrong.
struct FileDescriptor {
  int fd;
  explicit FileDescriptor(int fd) : fd(fd) {}
  FileDescriptor(FileDescriptor&& other) noexcept : fd(std::exchange(other.fd, -1)) {}
  FileDescriptor& operator=(FileDescriptor&&) = delete;
  ~FileDescriptor() {
    if (fd >= 0) ::close(fd);
  }
};

auto io_failure(const fs::path& path, const char* what) { return fail(io_error(path.string(), what)); }

Result<FileDescriptor> open_for_writing(const fs::path& path, int flags) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC | flags, 0666);
  if (fd < 0) return io_failure(path, "open");
  return FileDescriptor(fd);
}

Result<void> append_file(const fs::path& path, std::string_view bytes) {
  BOOST_OUTCOME_TRY(file, open_for_writing(path, O_CREAT | O_APPEND));
  if (!write_all(file.fd, bytes)) return io_failure(path, "write");
  return outcome::success();
}

Result<void> truncate_file(const fs::path& path, size_t size) {
  // O_CREAT: truncating a file never written creates it, as SimDisk lists it from then on.
  BOOST_OUTCOME_TRY(file, open_for_writing(path, O_CREAT));
  if (::ftruncate(file.fd, static_cast<off_t>(size)) != 0) return io_failure(path, "truncate");
  return outcome::success();
}

Result<void> sync_directory(const fs::path& dir) {
  FileDescriptor directory(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (directory.fd < 0) return io_failure(dir, "open");
  if (::fsync(directory.fd) != 0) return io_failure(dir, "fsync");
  return outcome::success();
}

enum class Sync { none, to_device };

// Writes PATH.tmp and renames it over PATH, so a kill in between leaves the old content or the
// new, never an emptied file (SimDisk's overwrite is one step). Sync::to_device also makes the
// content and the rename durable.
Result<void> replace_file(const fs::path& path, std::string_view bytes, Sync sync) {
  fs::path temporary = path;
  temporary += kTemporarySuffix;
  {
    BOOST_OUTCOME_TRY(file, open_for_writing(temporary, O_CREAT | O_TRUNC));
    if (!write_all(file.fd, bytes)) return io_failure(temporary, "write");
    if (sync == Sync::to_device && ::fdatasync(file.fd) != 0) return io_failure(temporary, "fdatasync");
  }
  if (::rename(temporary.c_str(), path.c_str()) != 0) return io_failure(path, "rename");
  if (sync == Sync::to_device) return sync_directory(path.parent_path());
  return outcome::success();
}

// durable/F already holds a prefix of the content: adding the rest costs what was written.
Result<void> append_and_sync(const fs::path& path, std::string_view tail) {
  BOOST_OUTCOME_TRY(file, open_for_writing(path, O_APPEND));
  if (!write_all(file.fd, tail)) return io_failure(path, "write");
  if (::fdatasync(file.fd) != 0) return io_failure(path, "fdatasync");
  return outcome::success();
}

// Disk's writes return nothing, and a protocol core could not go on anyway once its disk
// failed: carrying on as if the bytes were written would let checkers blame the protocol for
// a lost write. So the node process ends here, saying why, and the runner reports it died.
// _Exit: no destructor or atexit handler runs on a state the disk no longer matches.
void exit_if_failed(const Result<void>& done) {
  if (done) return;
  std::fprintf(stderr, "faultline node: disk: %s\n", done.error().message.c_str());
  std::fflush(stderr);
  std::_Exit(3);
}

// ---- Opening --------------------------------------------------------------------------------

auto fs_failure(const fs::path& path, const std::error_code& error) {
  return fail(path.string() + ": " + error.message());
}

Result<std::vector<fs::path>> list_directory(const fs::path& dir) {
  std::vector<fs::path> entries;
  std::error_code error;
  for (fs::directory_iterator it(dir, error), end; !error && it != end; it.increment(error)) {
    entries.push_back(it->path());
  }
  if (error) return fs_failure(dir, error);
  return entries;
}

bool is_temporary(const fs::path& path) { return path.filename().string().ends_with(kTemporarySuffix); }

// A temporary is what a process killed inside replace_file left: never a file's content.
Result<void> remove_temporaries(const fs::path& dir) {
  BOOST_OUTCOME_TRY(entries, list_directory(dir));
  for (const fs::path& entry : entries) {
    std::error_code error;
    if (is_temporary(entry) && !fs::remove(entry, error) && error) return fs_failure(entry, error);
  }
  return outcome::success();
}

Result<std::map<std::string, std::string>> load_directory(const fs::path& dir) {
  BOOST_OUTCOME_TRY(entries, list_directory(dir));
  std::map<std::string, std::string> contents;
  for (const fs::path& entry : entries) {
    std::optional<std::string> name = unescape_file_name(entry.filename().string());
    if (!name) return fail(entry.string() + ": not a file this disk wrote (its name is not an escaped name)");
    BOOST_OUTCOME_TRY(content, read_whole_file(entry.string()));
    contents.emplace(std::move(*name), std::move(content));
  }
  return contents;
}

Result<void> prepare_directory(const fs::path& half) {
  std::error_code error;
  fs::create_directories(half, error);
  if (error) return fs_failure(half, error);
  return remove_temporaries(half);
}

// Whether open() resets current/ to durable/: when asked to, or when a process killed during
// such a reset left the marker. Otherwise that process's successor could come back with some
// files reset and others still holding writes the power loss lost.
Result<bool> begin_power_loss(const fs::path& marker, bool requested) {
  std::error_code error;
  const bool under_way = fs::exists(marker, error);
  if (error) return fs_failure(marker, error);
  if (!requested && !under_way) return false;
  BOOST_OUTCOME_TRY(append_file(marker, ""));
  return true;
}

const std::string* find(const std::map<std::string, std::string>& contents, const std::string& name) {
  auto it = contents.find(name);
  return it == contents.end() ? nullptr : &it->second;
}

}  // namespace

std::string escape_file_name(std::string_view name) {
  FAULTLINE_ASSERT(!name.empty(), "a disk file needs a name: an empty one has no name on a real disk");
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string escaped;
  for (size_t i = 0; i < name.size(); ++i) {
    const auto c = static_cast<unsigned char>(name[i]);
    const bool hiding_dot = c == '.' && (i == 0 || name.substr(i) == kTemporarySuffix);
    if (is_plain(c) && !hiding_dot) {
      escaped += static_cast<char>(c);
    } else {
      escaped += {'%', kHex[c >> 4], kHex[c & 0xf]};
    }
  }
  return escaped;
}

std::optional<std::string> unescape_file_name(std::string_view escaped) {
  std::string name;
  for (size_t i = 0; i < escaped.size(); ++i) {
    if (escaped[i] != '%') {
      name += escaped[i];
      continue;
    }
    if (i + 2 >= escaped.size()) return std::nullopt;
    const int high = hex_digit_value(escaped[i + 1]);
    const int low = hex_digit_value(escaped[i + 2]);
    if (high < 0 || low < 0) return std::nullopt;
    name += static_cast<char>(high * 16 + low);
    i += 2;
  }
  // Only escape_file_name's own spelling: two names on disk never load as one file.
  if (name.empty() || escape_file_name(name) != escaped) return std::nullopt;
  return name;
}

RealDisk::RealDisk(const fs::path& dir) : current_dir_(dir / "current"), durable_dir_(dir / "durable") {}

Result<std::unique_ptr<RealDisk>> RealDisk::open(const fs::path& dir, bool power_loss) {
  std::unique_ptr<RealDisk> disk(new RealDisk(dir));
  BOOST_OUTCOME_TRY(prepare_directory(disk->current_dir_));
  BOOST_OUTCOME_TRY(prepare_directory(disk->durable_dir_));
  const fs::path marker = dir / kPowerLossMarker;
  BOOST_OUTCOME_TRY(resetting, begin_power_loss(marker, power_loss));
  BOOST_OUTCOME_TRY(current, load_directory(disk->current_dir_));
  BOOST_OUTCOME_TRY(durable, load_directory(disk->durable_dir_));
  std::set<std::string> names;
  for (const auto& [name, content] : current) names.insert(name);
  for (const auto& [name, content] : durable) names.insert(name);
  for (const std::string& name : names) {
    BOOST_OUTCOME_TRY(disk->adopt(name, find(current, name), find(durable, name), resetting));
  }
  if (resetting) {
    std::error_code error;
    fs::remove(marker, error);
    if (error) return fs_failure(marker, error);
  }
  return disk;
}

// Takes in one file found at open; CURRENT or DURABLE is null when that half has no such file.
Result<void> RealDisk::adopt(const std::string& name, const std::string* current, const std::string* durable,
                             bool power_loss) {
  File& file = files_[name];
  file.synced_size = durable != nullptr ? durable->size() : 0;
  if (power_loss || current == nullptr) {
    // The page cache is gone: current/F becomes what the device held, which is nothing for a
    // file never fsynced. SimDisk keeps such a file's name, empty, so current/F stays, emptied.
    file.content = durable != nullptr ? *durable : std::string();
    file.appends_only_since_sync = durable != nullptr;
    if (current == nullptr || *current != file.content) {
      return replace_file(current_path(name), file.content, Sync::none);
    }
    return outcome::success();
  }
  // After a kill the device may hold an older content; fsync appends only if it is a prefix.
  file.content = *current;
  file.appends_only_since_sync = durable != nullptr && file.content.starts_with(*durable);
  return outcome::success();
}

fs::path RealDisk::current_path(const std::string& file) const { return current_dir_ / escape_file_name(file); }

fs::path RealDisk::durable_path(const std::string& file) const { return durable_dir_ / escape_file_name(file); }

std::string_view RealDisk::read(const std::string& file) const {
  auto it = files_.find(file);
  return it == files_.end() ? std::string_view() : std::string_view(it->second.content);
}

void RealDisk::append(const std::string& file, std::string_view bytes) {
  exit_if_failed(append_file(current_path(file), bytes));
  files_[file].content += bytes;
}

void RealDisk::overwrite(const std::string& file, std::string_view bytes) {
  exit_if_failed(replace_file(current_path(file), bytes, Sync::none));
  File& entry = files_[file];
  entry.content.assign(bytes);
  entry.appends_only_since_sync = false;
}

void RealDisk::truncate(const std::string& file, size_t size) {
  File& entry = files_[file];
  size = std::min(size, entry.content.size());  // SimDisk's truncate never grows a file
  exit_if_failed(truncate_file(current_path(file), size));
  entry.content.resize(size);
  // Cutting only unsynced bytes leaves durable/F a prefix of the content.
  if (size < entry.synced_size) entry.appends_only_since_sync = false;
}

void RealDisk::fsync(const std::string& file) {
  auto it = files_.find(file);
  if (it == files_.end()) return;  // never written: nothing to make durable (as SimDisk)
  File& entry = it->second;
  if (entry.appends_only_since_sync) {
    // Also when nothing is new: the fdatasync is still paid, as a real node's would be.
    exit_if_failed(append_and_sync(durable_path(file), std::string_view(entry.content).substr(entry.synced_size)));
  } else {
    exit_if_failed(replace_file(durable_path(file), entry.content, Sync::to_device));
  }
  entry.synced_size = entry.content.size();
  entry.appends_only_since_sync = true;
}

std::vector<std::string> RealDisk::files() const {
  std::vector<std::string> names;
  for (const auto& [name, file] : files_) names.push_back(name);
  return names;
}

}  // namespace faultline::runtime
