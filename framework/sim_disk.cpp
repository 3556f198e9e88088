#include "framework/sim_disk.h"

namespace faultline {

std::string_view SimDisk::read(const std::string& file) const {
  auto it = files_.find(file);
  return it == files_.end() ? std::string_view() : std::string_view(it->second.current);
}

void SimDisk::apply(std::string& content, const Write& write) {
  switch (write.kind) {
    case Write::Kind::append: content += write.bytes; break;
    case Write::Kind::overwrite: content = write.bytes; break;
    case Write::Kind::truncate: content.resize(std::min(content.size(), write.size)); break;
  }
}

void SimDisk::record(const std::string& file, Write write) {
  File& entry = files_[file];
  apply(entry.current, write);
  entry.unsynced.push_back(std::move(write));
}

void SimDisk::append(const std::string& file, std::string_view bytes) {
  record(file, Write{Write::Kind::append, std::string(bytes)});
}

void SimDisk::overwrite(const std::string& file, std::string_view bytes) {
  record(file, Write{Write::Kind::overwrite, std::string(bytes)});
}

void SimDisk::truncate(const std::string& file, size_t size) {
  record(file, Write{Write::Kind::truncate, {}, size});
}

void SimDisk::fsync(const std::string& file) {
  auto it = files_.find(file);
  if (it == files_.end()) return;
  File& entry = it->second;
  // Replaying the writes costs what they wrote; copying `current` would cost the file size.
  for (const Write& write : entry.unsynced) apply(entry.durable, write);
  entry.unsynced.clear();
}

std::vector<std::string> SimDisk::files() const {
  std::vector<std::string> names;
  for (const auto& [name, file] : files_) names.push_back(name);
  return names;
}

size_t SimDisk::unsynced_write_count(const std::string& file) const {
  auto it = files_.find(file);
  return it == files_.end() ? 0 : it->second.unsynced.size();
}

void SimDisk::on_power_loss(Rng& rng, bool torn_writes) {
  for (auto& [name, file] : files_) {
    if (torn_writes && !file.unsynced.empty()) {
      // The device may have written some of the queued writes, in order, before it lost
      // power, and the last of them only partly (a torn write).
      size_t kept = rng.below(file.unsynced.size() + 1);
      for (size_t i = 0; i < kept; ++i) apply(file.durable, file.unsynced[i]);
      if (kept < file.unsynced.size()) {
        Write torn = file.unsynced[kept];
        if (torn.kind == Write::Kind::append && !torn.bytes.empty()) {
          torn.bytes.resize(rng.below(torn.bytes.size()));
          apply(file.durable, torn);
        }
      }
    }
    file.unsynced.clear();
    file.current = file.durable;
  }
}

}  // namespace faultline
