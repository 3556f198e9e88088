// The importer of Porcupine's kv logs (`import --format porcupine-kv`).
#include "fuzz/fuzz_check.h"
#include "fuzz/imported_history.h"
#include "histories/import_edn.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace faultline;
  auto history = import_porcupine_kv(fuzz::as_text(data, size), "fuzz.txt");
  if (history) fuzz::require_readable_as_jsonl(history.value());
  return 0;
}
