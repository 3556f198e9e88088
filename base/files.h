#pragma once
// Whole-file reads and writes with every error reported (the path and why), shared by every
// command that keeps a result on disk.
#include <string>

#include "base/result.h"

namespace faultline {

// Writes to PATH.tmp, then renames it over PATH: a reader never sees half a file.
Result<void> write_file_atomically(const std::string& path, const std::string& text);
Result<std::string> read_whole_file(const std::string& path);

}  // namespace faultline
