#pragma once
// One line of a history: an operation event in Jepsen's model (DESIGN.md, "Clients and
// histories"). An operation is an invoke followed by exactly one completion: ok (it
// happened), fail (it certainly did not happen) or info (unknown; it may take effect at any
// later time). Nemesis events are info lines whose process is the nemesis.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/json.h"

namespace faultline {

enum class OpType { invoke, ok, fail, info };

std::string_view to_string(OpType type);
std::optional<OpType> op_type_from_string(std::string_view text);

// Process ids are non-negative; the nemesis has its own id, written "nemesis" in files.
inline constexpr int64_t kNemesisProcess = -1;

struct Op {
  int64_t index = 0;
  int64_t time_ns = 0;
  int64_t process = 0;
  OpType type = OpType::invoke;
  std::string f;
  std::optional<std::string> key;  // absent for ops that are not per key
  Json value;                      // null for a read's invoke
  std::optional<int64_t> node;     // invoke: the node a client addressed, when it chose one;
                                   // completion: the node that answered, when known
  std::optional<std::string> role;   // completion: the answering node's role as the system
                                     // names it (leader, follower, primary, replica, ...)
  std::optional<std::string> error;  // why an op failed or is unknown
  bool final = false;  // a final read after heal and quiesce (Jepsen's :final? true)

  bool is_nemesis() const { return process == kNemesisProcess; }
  bool operator==(const Op&) const = default;
};

}  // namespace faultline
