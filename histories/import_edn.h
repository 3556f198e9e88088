#pragma once
// `faultline import --format jepsen-edn` and `--format porcupine-kv`: Jepsen / Knossos EDN
// histories (one vector of op maps, or one op map per line, as Porcupine's kv logs) into
// our History (DESIGN.md, "Clients and histories").
#include <string>
#include <string_view>

#include "base/result.h"
#include "histories/history.h"

namespace faultline {

// Jepsen's op maps: :process (an integer or :nemesis), :type, :f, :value, optional :key,
// :time, :index, :error. Rules (each a Jepsen / Knossos semantic our format states
// differently):
//  - independent-key histories, whose every client value is a tuple [k v] (and a cas's v is
//    itself [old new]), become `key` + `value`;
//  - Knossos treats an ok :read of nil as a read whose value is unknown; it becomes an info
//    read (which constrains nothing), as Knossos checks it;
//  - a process whose op ended info gets a fresh id for its later ops.
Result<History> import_jepsen_edn(std::string_view text, const std::string& source);

// Porcupine's kv logs ({:process P, :type :invoke|:ok, :f :get|:put|:append, :key "K",
// :value "V"|nil}): the same reader, but every client op must have a :key.
Result<History> import_porcupine_kv(std::string_view text, const std::string& source);

}  // namespace faultline
