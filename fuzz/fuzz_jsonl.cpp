// The JSONL history reader (check, and every command that reads a history file). Each op it
// reads must format back to a line it reads as the same op.
#include <sstream>

#include "fuzz/fuzz_check.h"
#include "histories/jsonl.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace faultline;
  std::istringstream in{std::string(fuzz::as_text(data, size))};
  auto history = read_history(in, "fuzz.jsonl");
  if (!history) return 0;
  fuzz::require(history.value().op_lines.size() == history.value().ops.size(), "every op has its line");
  for (const Op& op : history.value().ops) {
    auto again = parse_op_line(format_op_line(op), "fuzz:1");
    fuzz::require(again.has_value() && again.value() == op, "a read op formats to a line read as the same op");
  }
  return 0;
}
