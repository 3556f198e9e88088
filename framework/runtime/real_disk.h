#pragma once
// The real runtime's disk (issue 15): SimDisk's semantics kept in real files, so a node process
// that the runner kills, or "powers off", comes back to what a simulated node would find.
//   DIR/current/F is the page cache: every write reaches it at once, so a kill loses nothing.
//   DIR/durable/F is the device: fsync(F) makes it equal current/F, with one real fdatasync
//   (the cost the runtime measures); reopening DIR after a power loss resets current/ to it.
// Contents are also kept in memory, as SimDisk keeps them, so read() is a view, not a syscall.
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "framework/disk.h"

namespace faultline::runtime {

class RealDisk final : public Disk {
 public:
  // The disk kept in DIR, created when absent. power_loss: the node comes back from a power
  // loss, so every write not fsynced is lost (SimDisk::on_power_loss without torn writes);
  // otherwise from a kill, which loses nothing (SimDisk::on_kill). A power loss is finished
  // even if the process is killed during open (DIR/power-loss-underway marks one under way).
  // An error names the path.
  static Result<std::unique_ptr<RealDisk>> open(const std::filesystem::path& dir, bool power_loss);

  // A write or fsync that fails ends the process (exit status 3) with the path and the reason
  // on stderr: the Disk interface cannot return the error (see exit_if_failed).
  std::string_view read(const std::string& file) const override;  // valid until F's next write
  void append(const std::string& file, std::string_view bytes) override;
  void overwrite(const std::string& file, std::string_view bytes) override;
  void truncate(const std::string& file, size_t size) override;
  void fsync(const std::string& file) override;
  std::vector<std::string> files() const override;

 private:
  struct File {
    std::string content;  // what current/F holds
    // durable/F exists and holds content's first synced_size bytes, so fsync only appends the
    // rest. False after an overwrite, a truncate below synced_size, or before the first fsync:
    // then fsync replaces durable/F whole.
    bool appends_only_since_sync = false;
    size_t synced_size = 0;
  };
  explicit RealDisk(const std::filesystem::path& dir);
  Result<void> adopt(const std::string& name, const std::string* current, const std::string* durable,
                     bool power_loss);
  std::filesystem::path current_path(const std::string& file) const;
  std::filesystem::path durable_path(const std::string& file) const;

  std::filesystem::path current_dir_;
  std::filesystem::path durable_dir_;
  std::map<std::string, File> files_;  // ordered, for files()
};

// File names come from protocol code; on disk every byte outside [A-Za-z0-9._-] is %XX, and so
// are a leading '.' (no ".", "..", or hidden file) and the '.' of a ".tmp" ending (only the
// disk's own temporaries end so, and open() removes them). The name must not be empty.
std::string escape_file_name(std::string_view name);
// The name escape_file_name spelled as ESCAPED; nullopt for any other spelling.
std::optional<std::string> unescape_file_name(std::string_view escaped);

}  // namespace faultline::runtime
