#pragma once
// The import formats of `faultline import --format F`, by name.
#include <string>
#include <vector>

#include "base/result.h"
#include "histories/history.h"

namespace faultline {

std::vector<std::string> import_format_names();  // jepsen-edn, porcupine-etcd, porcupine-kv

// Reads and converts a whole file; errors name "path:line".
Result<History> import_history_file(const std::string& path, const std::string& format);

}  // namespace faultline
