#pragma once
// Per-key version orders of `session` and `append` histories (docs/workloads.md), shared by
// the session-guarantee and staleness checkers (docs/checkers/session.md, "Version orders").
//
// session: one writer per key writes strictly increasing integers, so a read's value is the
// version it saw (null = version 0) and integer order is the version order, except for a
// write that ended info or never completed: it may land after the writer's later writes, so
// it is floating and no comparison involving its value is made.
// append: a read's list is a version; the reads of a key must be prefix-compatible (Elle's
// incompatible-order anomaly otherwise), and the longest read gives the order: a read's
// version is its length, an append's version is its element's position in the longest read
// (1-based), or kUnobserved when no read contains it.
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "base/result.h"
#include "checkers/checker.h"
#include "checkers/wording.h"
#include "histories/history.h"

namespace faultline {

enum class KvShape { session, append };

std::string_view to_string(KvShape shape);

// The `type` option of both checkers: auto = append if any op is an append or any ok read
// returned a list, else session.
inline const std::vector<std::string> kKvShapeChoices = {"auto", "session", "append"};

// An append no read contains: newer than every version any read saw.
inline constexpr int64_t kUnobserved = INT64_MAX;

// Why an op has no version to compare.
enum class Unversioned {
  none,        // it has one
  not_ok,      // a read that did not complete ok, or a write that failed (never happened)
  floating,    // session: an info / never-completed write, or a read that returned its value
  no_order,    // append: its key's reads are incompatible, so the key has no version order
};

// One client operation: its invoke paired with its completion.
struct KvOp {
  bool is_read = false;  // read; otherwise a write (session) or an append (append)
  int64_t process = 0;
  std::string key;       // "" for an op without a key (the history's single object)
  Json value;            // write: the value written / element appended; ok read: the value read
  OpType outcome = OpType::invoke;  // ok, fail, info; invoke when it never completed
  int64_t index = 0;     // the completion line's index (the invoke's when it never completed)
  size_t invoke_position = 0;                     // in history.ops: real-time order (line order)
  std::optional<size_t> completion_position;
  int64_t invoke_ns = 0;
  std::optional<int64_t> completion_ns;
  std::optional<int64_t> node;        // the completion's node (who answered)
  std::optional<int64_t> addressed_node;  // the invoke's node (whom the client asked)
  std::optional<std::string> role;    // the completion's role
  bool final = false;
  // The version this read saw / this write produced, in its key's order (see above).
  std::optional<int64_t> version;
  Unversioned unversioned = Unversioned::none;

  bool ok() const { return outcome == OpType::ok; }
};

// An anomaly of the version order itself (append only): two reads of a key that are not
// prefixes of one another (incompatible-order), or a read listing an element twice
// (duplicate-element). Either leaves the key without a version order.
struct VersionAnomaly {
  std::string kind;
  std::string key;
  std::vector<size_t> ops;  // positions in KvHistory::ops: the two reads, or the one read
  std::string explanation;
};

struct KvHistory {
  KvShape shape = KvShape::session;
  std::vector<KvOp> ops;  // in invoke order (nemesis events left out)
  std::vector<VersionAnomaly> anomalies;
  std::set<std::string> keys;
  std::set<std::string> keys_without_order;
};

// Pairs invokes with completions, checks the workload's assumptions and derives the version
// orders. `type` is one of kKvShapeChoices. Input that breaks the assumptions (an op other
// than read / write / append, a read value of the wrong shape, two overlapping writers of a
// session key, non-increasing session writes, an element appended twice, a completion with no
// invoke) is an error naming the op through `locate`.
Result<KvHistory> read_kv_history(const History& history, const std::string& type, const OpLocator& locate);

// Display helpers shared by the witnesses of both checkers.
std::string key_name(const std::string& key);
// "k1 = 7 (#120, node 2 replica)": what a read saw, with the node that answered.
std::string describe_read(const KvOp& read);
// "wrote k1 = 7 (#118)" / "appended 5 to k1 (#118, info)".
std::string describe_write(const KvOp& write, KvShape shape);
// The op as a JSON object for evidence: index, process, f, key, value, outcome, node, role.
Json op_json(const KvOp& op, KvShape shape);
// The version-order anomalies for evidence: kind, key, ops (indexes), explanation.
Json anomalies_json(const KvHistory& kv);

}  // namespace faultline
