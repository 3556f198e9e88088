#pragma once
// A reader for the EDN subset Jepsen and Knossos histories use: maps, vectors, lists, sets,
// keywords, symbols, nil/true/false, integers, floats, strings, characters, `;` comments,
// `#_` discards and tagged literals (the tag is dropped). Hand-written because Debian ships
// no EDN library for C++ (issue 5 allows it).
//
// Values become JSON: keywords and symbols lose their colon and become strings, lists and
// sets become arrays, map keys become the key's name (keyword, string) or its JSON text.
// Numbers stay exact or are refused (Clojure compares them exactly, so must we): integers
// (also 0x hex, 0 octal and N bigints) in -2^63 .. 2^64-1, finite doubles; a larger integer,
// a double out of range (1e999), a ratio or an M BigDecimal is an error. Forms nest at most
// kMaxNestingDepth deep and strings, keywords and symbols must be UTF-8
// (histories/input_limits.h).
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "histories/input_limits.h"
#include "histories/op.h"

namespace faultline {

struct EdnForm {
  Json value;
  int line = 0;  // where the form starts, 1-based
};

struct EdnOptions {
  // A text that is one vector or list yields its elements, each with its own line (a history
  // may be one vector of ops or a sequence of op maps).
  bool unwrap_outer_collection = false;
  int first_line = 1;  // the line `text` starts on, for a text cut from a larger file
  int max_depth = kMaxNestingDepth;
};

// Every top-level form of `text`. `source` ("file") prefixes errors as "file:line: ...".
Result<std::vector<EdnForm>> parse_edn_forms(std::string_view text, const std::string& source,
                                             const EdnOptions& options = {});

}  // namespace faultline
