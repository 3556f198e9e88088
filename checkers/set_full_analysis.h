#pragma once
// The analysis behind the set-full checker (docs/checkers/set-full.md): a history's adds and
// ok reads per key, and what became of every element (Jepsen's set-full outcomes), plus the
// reads that show an element no add explains. Reads are named by their position in
// KeySet::reads, which is invoke order (line order is real-time order).
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "checkers/op_pairs.h"

namespace faultline::set_full {

using SetKey = std::optional<std::string>;  // none: the ops with no key, which form one set

struct SetRead {
  const OpPair* op = nullptr;     // an ok read
  std::vector<int64_t> elements;  // sorted, distinct
};

struct KeySet {
  std::map<int64_t, const OpPair*> adds;  // element -> its (unique) add
  std::vector<SetRead> reads;             // the ok reads, in invoke order
};

enum class Outcome { ok, stale, lost, never_read };

// What became of one element whose add did not fail.
struct ElementFate {
  int64_t element = 0;
  const OpPair* add = nullptr;
  Outcome outcome = Outcome::never_read;
  std::optional<size_t> known_position;  // history position of the known point; none: never known
  std::optional<size_t> first_counting;  // the first read that began after the known point
  std::optional<size_t> last_seen;       // the latest-begun read that contains it
  std::optional<size_t> stable_from;     // ok / stale: the first of the final run of reads that contain it
  std::optional<size_t> absent_from;     // lost: the first of the final run of reads that miss it
  int64_t latency_ns = 0;                // ok / stale: stable_from's begin - first_counting's begin
};

// An element some ok read contains although no add of it that did not fail was invoked
// before that read completed.
struct UnexpectedElement {
  int64_t element = 0;
  const OpPair* add = nullptr;  // null: never added; else it failed or was invoked too late
  size_t first_read = 0;        // the first such read
  size_t reads = 0;             // how many such reads
};

struct KeyAnalysis {
  SetKey key;
  KeySet set;
  std::vector<ElementFate> fates;             // ordered by element
  std::vector<UnexpectedElement> unexpected;  // ordered by element
};

// ops: pair_client_ops(history). Every client op must be an add (its f is add_f, its value
// one integer element, unique per key) or a read (an ok read returns a list of integers, or
// null for the empty set); anything else is an error naming the op. Keys in order.
Result<std::vector<KeyAnalysis>> analyze_set_full(const std::vector<OpPair>& ops, const std::string& add_f,
                                                  const OpLocator& locate);

}  // namespace faultline::set_full
