#include "histories/import.h"

#include "histories/import_edn.h"
#include "histories/import_porcupine.h"
#include "histories/input_file.h"

namespace faultline {

std::vector<std::string> import_format_names() {
  return {"jepsen-edn", "porcupine-etcd", "porcupine-kv"};
}

namespace {

Result<History> import_text(const std::string& text, const std::string& path, const std::string& format) {
  if (format == "jepsen-edn") return import_jepsen_edn(text, path);
  if (format == "porcupine-etcd") return import_porcupine_etcd(text, path);
  if (format == "porcupine-kv") return import_porcupine_kv(text, path);
  return fail("--format " + format + ": unknown (known: jepsen-edn, porcupine-etcd, porcupine-kv)");
}

}  // namespace

Result<History> import_history_file(const std::string& path, const std::string& format) {
  BOOST_OUTCOME_TRY(text, read_text_file(path));
  BOOST_OUTCOME_TRY(history, import_text(text, path, format));
  // A file that is not a log at all (no op map, no "jepsen.util - " line) would otherwise
  // import as an empty history, which every checker passes.
  if (history.ops.empty())
    return fail(path + ": no ops found: not a " + format + " history (or an empty one)");
  return std::move(history);
}

}  // namespace faultline
