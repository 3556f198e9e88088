#include "histories/import.h"

#include "histories/import_common.h"
#include "histories/import_edn.h"
#include "histories/import_porcupine.h"

namespace faultline {

std::vector<std::string> import_format_names() {
  return {"jepsen-edn", "porcupine-etcd", "porcupine-kv"};
}

Result<History> import_history_file(const std::string& path, const std::string& format) {
  BOOST_OUTCOME_TRY(text, read_text_file(path));
  if (format == "jepsen-edn") return import_jepsen_edn(text, path);
  if (format == "porcupine-etcd") return import_porcupine_etcd(text, path);
  if (format == "porcupine-kv") return import_porcupine_kv(text, path);
  return fail("--format " + format + ": unknown (known: jepsen-edn, porcupine-etcd, porcupine-kv)");
}

}  // namespace faultline
