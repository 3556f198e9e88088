// The EDN reader and the jepsen-edn importer (`import --format jepsen-edn`).
#include "fuzz/fuzz_check.h"
#include "fuzz/imported_history.h"
#include "histories/edn.h"
#include "histories/import_edn.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace faultline;
  const std::string_view text = fuzz::as_text(data, size);
  auto forms = parse_edn_forms(text, "fuzz.edn");
  if (forms) {
    for (const EdnForm& form : forms.value()) fuzz::require(!form.value.dump().empty(), "a form prints as JSON");
  }
  auto history = import_jepsen_edn(text, "fuzz.edn");
  if (history) fuzz::require_readable_as_jsonl(history.value());
  return 0;
}
