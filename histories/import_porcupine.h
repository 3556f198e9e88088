#pragma once
// `faultline import --format porcupine-etcd`: the Jepsen etcd logs in Porcupine's test data
// (research/porcupine.md section 3), lines of the form
//   INFO  jepsen.util - <process> :<type> :<f> <value>
// separated by tabs (etcd_000-099) or runs of spaces (etcd_100-102). Lines without
// "jepsen.util - " are log noise and skipped. Porcupine's semantics, in our format:
//  - `:info :write|:cas :timed-out` is an info completion: open to the end of the history;
//  - `:fail :read :timed-out` is an info read: a read with no constraint;
//  - `:fail :cas [a b]` failed because the value was not a: a fail with error "mismatch",
//    which the cas-register model reads as that observation.
#include <string>
#include <string_view>

#include "base/result.h"
#include "histories/history.h"

namespace faultline {

Result<History> import_porcupine_etcd(std::string_view text, const std::string& source);

}  // namespace faultline
