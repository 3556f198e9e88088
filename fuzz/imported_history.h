#pragma once
// The property every importer's output must have: each op it produces is one line our own
// reader reads back as the same op (so `import` never writes what `check` cannot read).
#include "fuzz/fuzz_check.h"
#include "histories/history.h"
#include "histories/jsonl.h"

namespace faultline::fuzz {

inline void require_readable_as_jsonl(const History& history) {
  for (const Op& op : history.ops) {
    const auto read_back = parse_op_line(format_op_line(op), "fuzz:1");
    require(read_back.has_value(), "an imported op is readable as a JSONL line");
    require(read_back.value() == op, "an imported op reads back as the same op");
  }
}

}  // namespace faultline::fuzz
