// The importer of Porcupine's Jepsen etcd logs (`import --format porcupine-etcd`).
#include "fuzz/fuzz_check.h"
#include "fuzz/imported_history.h"
#include "histories/import_porcupine.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace faultline;
  auto history = import_porcupine_etcd(fuzz::as_text(data, size), "fuzz.log");
  if (history) fuzz::require_readable_as_jsonl(history.value());
  return 0;
}
