#pragma once
// A node's disk: named files with append / overwrite / truncate and fsync. Reads see every
// write (the page cache); only fsynced bytes are sure to survive a power loss.
#include <string>
#include <string_view>
#include <vector>

namespace faultline {

class Disk {
 public:
  virtual ~Disk() = default;
  virtual std::string_view read(const std::string& file) const = 0;  // "" when absent
  virtual void append(const std::string& file, std::string_view bytes) = 0;
  virtual void overwrite(const std::string& file, std::string_view bytes) = 0;
  virtual void truncate(const std::string& file, size_t size) = 0;
  virtual void fsync(const std::string& file) = 0;
  virtual std::vector<std::string> files() const = 0;  // sorted by name
};

}  // namespace faultline
