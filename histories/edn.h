#pragma once
// A reader for the EDN subset Jepsen and Knossos histories use: maps, vectors, lists, sets,
// keywords, symbols, nil/true/false, integers, floats, strings, characters, `;` comments,
// `#_` discards and tagged literals (the tag is dropped). Hand-written because Debian ships
// no EDN library for C++ (issue 5 allows it).
//
// Values become JSON: keywords and symbols lose their colon and become strings, lists and
// sets become arrays, map keys become the key's name (keyword, string) or its JSON text.
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "histories/op.h"

namespace faultline {

struct EdnForm {
  Json value;
  int line = 0;  // where the form starts, 1-based
};

// Every top-level form of `text`. `source` ("file") prefixes errors as "file:line: ...".
// With `unwrap_outer_collection`, a text that is one vector or list yields its elements, each
// with its own line (a history may be one vector of ops or a sequence of op maps).
Result<std::vector<EdnForm>> parse_edn_forms(std::string_view text, const std::string& source,
                                             bool unwrap_outer_collection = false);

}  // namespace faultline
