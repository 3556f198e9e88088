#pragma once
// The simulated disk: every file has the bytes a reader sees (`current`, the page cache)
// and the bytes that would survive a power loss (`durable`). Writes since the last fsync
// are kept as a list so a crash can lose them, or keep a torn prefix of them.
#include <map>
#include <string>
#include <vector>

#include "framework/disk.h"
#include "framework/random.h"

namespace faultline {

class SimDisk final : public Disk {
 public:
  std::string_view read(const std::string& file) const override;
  void append(const std::string& file, std::string_view bytes) override;
  void overwrite(const std::string& file, std::string_view bytes) override;
  void truncate(const std::string& file, size_t size) override;
  void fsync(const std::string& file) override;
  std::vector<std::string> files() const override;

  // A process kill: the OS keeps its page cache, so nothing is lost.
  void on_kill() {}
  // A power loss: unsynced writes are lost. With torn_writes, the first k unsynced writes of
  // a file survive (k drawn from rng), then a random prefix of the next append survives too.
  void on_power_loss(Rng& rng, bool torn_writes);

  size_t unsynced_write_count(const std::string& file) const;

 private:
  struct Write {
    enum class Kind { append, overwrite, truncate } kind;
    std::string bytes;
    size_t size = 0;  // for truncate
  };
  struct File {
    std::string current;
    std::string durable;
    std::vector<Write> unsynced;
  };
  static void apply(std::string& content, const Write& write);
  void record(const std::string& file, Write write);

  std::map<std::string, File> files_;  // ordered: files() and crashes iterate it
};

}  // namespace faultline
