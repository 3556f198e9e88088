#include "checkers/session_rules.h"

#include <algorithm>
#include <functional>
#include <map>
#include <string>

#include "base/assert.h"

namespace faultline {

namespace {

using Positions = std::vector<size_t>;  // positions in KvHistory::ops

std::map<int64_t, Positions> ops_by_process(const KvHistory& kv) {
  std::map<int64_t, Positions> by_process;
  for (size_t position = 0; position < kv.ops.size(); ++position) by_process[kv.ops[position].process].push_back(position);
  return by_process;
}

bool judged_read(const KvOp& op) { return op.is_read && op.version.has_value(); }

// A write a read can reflect: ok (session), or ok / info / never completed and contained in
// some read (append). Floating session writes and failed writes have no version.
bool reflectable_write(const KvOp& op) { return !op.is_read && op.version && *op.version != kUnobserved; }

int64_t version_of(const KvOp& op) {
  FAULTLINE_ASSERT(op.version.has_value(), "a judged op has a version");
  return *op.version;
}

std::string process_name(const KvOp& op) { return "process " + std::to_string(op.process); }

// "k1 >= 7" / "k1 containing 5": what reflecting a write means (docs/checkers/session.md).
std::string reflects_text(const KvHistory& kv, const KvOp& write) {
  if (kv.shape == KvShape::session) return key_name(write.key) + " >= " + write.value.dump();
  return key_name(write.key) + " containing " + write.value.dump();
}

// "k1 >= 7" / "k1 extending [1, 2]": what reflecting everything a read reflected means.
std::string includes_text(const KvHistory& kv, const KvOp& read) {
  if (kv.shape == KvShape::session) return key_name(read.key) + " >= " + std::to_string(version_of(read));
  return key_name(read.key) + " extending " + brief_value(read.value);
}

Json witness(const KvHistory& kv, const Positions& ops, const std::string& expected, const std::string& story) {
  Json indexes = Json::array(), keys = Json::array(), steps = Json::array();
  for (size_t position : ops) {
    const KvOp& op = kv.ops[position];
    indexes.push_back(op.index);
    if (std::find(keys.begin(), keys.end(), op.key) == keys.end()) keys.push_back(op.key);
    steps.push_back(op_json(op, kv.shape));
  }
  return Json{{"ops", indexes}, {"keys", keys}, {"expected", expected},
              {"seen", brief_value(kv.ops[ops.back()].value)}, {"story", story}, {"steps", steps}};
}

void record(ReadJudgement& judgement, std::optional<Json> violation) {
  judgement.checked = true;
  if (violation && !judgement.violation) judgement.violation = std::move(violation);
}

// The first op in `candidates` whose version exceeds `version` (the one a read failed to reach).
size_t first_newer_than(const KvHistory& kv, const Positions& candidates, int64_t version) {
  for (size_t position : candidates)
    if (version_of(kv.ops[position]) > version) return position;
  FAULTLINE_ASSERT(false, "a failed obligation has a newer op");
  return 0;
}

// ---- cross-key and same-key chains: a write carries obligations from its writer's past ----

// The op whose version a reader must reach after observing a write: the newest (by version)
// earlier ok write (monotonic writes) or judged read (writes-follow-reads) of the writer,
// per key.
struct Source {
  int64_t version = 0;
  size_t op = 0;
};
using SourcesByKey = std::map<std::string, Source>;

enum class SourceKind { earlier_ok_writes, earlier_reads };

// For every reflectable write, its writer's sources (its own key included) at its invoke:
// the writer's earlier ops completed before it, since a process runs one op at a time.
std::map<size_t, SourcesByKey> sources_of_writes(const KvHistory& kv, SourceKind kind) {
  std::map<size_t, SourcesByKey> sources;
  for (const auto& [process, positions] : ops_by_process(kv)) {
    SourcesByKey running;
    for (size_t position : positions) {
      const KvOp& op = kv.ops[position];
      if (reflectable_write(op) && !running.empty()) sources[position] = running;
      const bool is_source = kind == SourceKind::earlier_ok_writes ? !op.is_read && op.ok() && op.version
                                                                   : judged_read(op);
      if (!is_source) continue;
      auto [it, fresh] = running.try_emplace(op.key, Source{version_of(op), position});
      if (!fresh && version_of(op) > it->second.version) it->second = Source{version_of(op), position};
    }
  }
  return sources;
}

// A chain: reading `observed_by` (which reflected `write`, of another key) obliges a later
// read of the source's key by the same process to reach `source`'s version.
struct Chain {
  Source source;
  size_t write = 0;
  size_t observed_by = 0;
};

// Per key k2: its reflectable writes sorted by version, and for each other key k1 the
// strongest source over the writes up to each one (a read of k2 at version v reflects every
// write of version <= v).
struct KeyChains {
  std::vector<int64_t> write_versions;
  std::map<std::string, std::vector<std::optional<Chain>>> strongest_upto;
};

std::map<std::string, KeyChains> chains_by_key(const KvHistory& kv, const std::map<size_t, SourcesByKey>& sources) {
  std::map<std::string, std::vector<size_t>> writes_by_key;
  for (const auto& [write, by_key] : sources) writes_by_key[kv.ops[write].key].push_back(write);
  std::map<std::string, KeyChains> chains;
  for (auto& [key, writes] : writes_by_key) {
    std::stable_sort(writes.begin(), writes.end(),
                     [&](size_t a, size_t b) { return version_of(kv.ops[a]) < version_of(kv.ops[b]); });
    KeyChains& table = chains[key];
    for (size_t i = 0; i < writes.size(); ++i) {
      table.write_versions.push_back(version_of(kv.ops[writes[i]]));
      for (const auto& [other_key, source] : sources.at(writes[i])) {
        if (other_key == key) continue;
        auto& strongest = table.strongest_upto[other_key];
        strongest.resize(writes.size());
        if (!strongest[i] || source.version > strongest[i]->source.version) strongest[i] = Chain{source, writes[i], 0};
      }
    }
    for (auto& [other_key, strongest] : table.strongest_upto)
      for (size_t i = 1; i < strongest.size(); ++i)
        if (strongest[i - 1] && (!strongest[i] || strongest[i - 1]->source.version >= strongest[i]->source.version))
          strongest[i] = strongest[i - 1];
  }
  return chains;
}

using ChainStory = std::function<Json(const KvHistory&, const Chain&, size_t read)>;

// Across keys: a process that read k2 reflecting a write w2 and later read k1 must reach
// the source of w2 in k1 (Terry et al.: its own monotonic reads, combined with the writer's
// monotonic writes or writes-follow-reads).
void judge_across_keys(const KvHistory& kv, SourceKind kind, const ChainStory& story, ReadJudgements& judgements) {
  const auto chains = chains_by_key(kv, sources_of_writes(kv, kind));
  for (const auto& [process, positions] : ops_by_process(kv)) {
    std::map<std::string, Chain> required;  // key -> the strongest chain into it so far
    for (size_t position : positions) {
      const KvOp& read = kv.ops[position];
      if (!judged_read(read)) continue;
      if (auto it = required.find(read.key); it != required.end()) {
        const bool reached = version_of(read) >= it->second.source.version;
        record(judgements[position], reached ? std::nullopt : std::optional<Json>(story(kv, it->second, position)));
      }
      auto table = chains.find(read.key);
      if (table == chains.end()) continue;
      const auto& versions = table->second.write_versions;
      const size_t reflected = std::upper_bound(versions.begin(), versions.end(), version_of(read)) - versions.begin();
      if (reflected == 0) continue;
      for (const auto& [other_key, strongest] : table->second.strongest_upto) {
        const auto& chain = strongest[reflected - 1];
        if (!chain) continue;
        auto it = required.find(other_key);
        if (it != required.end() && chain->source.version <= it->second.source.version) continue;
        Chain observed = *chain;
        observed.observed_by = position;
        required.insert_or_assign(other_key, observed);
      }
    }
  }
}

// Same key: a read reflecting write w (of any process) is judged against w's own-key source
// by `violates(w's version, source version, read version)`, which, for a read reflecting w,
// can only get weaker as the read's version grows.
using SameKeyRule = std::function<bool(int64_t write_version, int64_t source_version, int64_t read_version)>;
using SameKeyStory = std::function<Json(const KvHistory&, size_t source, size_t write, size_t read)>;

struct SameKeyObligations {
  int64_t weakest_write_version = kUnobserved;      // the least version of a write with a source
  std::vector<std::pair<size_t, Source>> suspects;  // writes some reflecting read could fail
};

void judge_same_key(const KvHistory& kv, SourceKind kind, const SameKeyRule& violates, const SameKeyStory& story,
                    ReadJudgements& judgements) {
  std::map<std::string, SameKeyObligations> by_key;
  for (const auto& [write, sources] : sources_of_writes(kv, kind)) {
    const KvOp& op = kv.ops[write];
    auto own = sources.find(op.key);
    if (own == sources.end()) continue;
    SameKeyObligations& obligations = by_key[op.key];
    obligations.weakest_write_version = std::min(obligations.weakest_write_version, version_of(op));
    if (violates(version_of(op), own->second.version, version_of(op))) obligations.suspects.emplace_back(write, own->second);
  }
  for (size_t position = 0; position < kv.ops.size(); ++position) {
    const KvOp& read = kv.ops[position];
    auto obligations = by_key.find(read.key);
    if (!judged_read(read) || obligations == by_key.end()) continue;
    if (obligations->second.weakest_write_version > version_of(read)) continue;  // reflects none of them
    std::optional<Json> violation;
    for (const auto& [write, source] : obligations->second.suspects) {
      if (version_of(kv.ops[write]) > version_of(read) || !violates(version_of(kv.ops[write]), source.version, version_of(read)))
        continue;
      violation = story(kv, source.op, write, position);
      break;
    }
    record(judgements[position], std::move(violation));
  }
}

}  // namespace

// Terry et al. 1994, read-your-writes: a read reflects every ok write its own process made
// to its key before it (session: value >= the write's; append: the list contains it).
ReadJudgements judge_read_your_writes(const KvHistory& kv) {
  ReadJudgements judgements(kv.ops.size());
  for (const auto& [process, positions] : ops_by_process(kv)) {
    std::map<std::string, Positions> own_ok_writes;
    std::map<std::string, int64_t> newest;  // key -> the greatest version of those writes
    for (size_t position : positions) {
      const KvOp& op = kv.ops[position];
      if (!op.is_read && op.ok() && op.version) {
        own_ok_writes[op.key].push_back(position);
        newest[op.key] = std::max(newest[op.key], version_of(op));
      }
      if (!judged_read(op) || !own_ok_writes.contains(op.key)) continue;
      if (version_of(op) >= newest[op.key]) {
        record(judgements[position], std::nullopt);
        continue;
      }
      const size_t missed_write = first_newer_than(kv, own_ok_writes[op.key], version_of(op));
      const KvOp& missed = kv.ops[missed_write];
      record(judgements[position],
             witness(kv, {missed_write, position}, reflects_text(kv, missed),
                     process_name(op) + " " + describe_write(missed, kv.shape) + " then read " + describe_read(op) +
                         ", which does not reflect its own write"));
    }
  }
  return judgements;
}

// Terry et al. 1994, monotonic reads: a read of a key reflects everything an earlier read of
// that key by the same process reflected (session: value never decreases; append: the
// earlier list is a prefix of the later one).
ReadJudgements judge_monotonic_reads(const KvHistory& kv) {
  ReadJudgements judgements(kv.ops.size());
  for (const auto& [process, positions] : ops_by_process(kv)) {
    std::map<std::string, Positions> earlier_reads;
    std::map<std::string, int64_t> newest;
    for (size_t position : positions) {
      const KvOp& read = kv.ops[position];
      if (!judged_read(read)) continue;
      Positions& earlier = earlier_reads[read.key];
      if (!earlier.empty()) {
        std::optional<Json> violation;
        if (version_of(read) < newest[read.key]) {
          const size_t seen_before = first_newer_than(kv, earlier, version_of(read));
          violation = witness(kv, {seen_before, position}, includes_text(kv, kv.ops[seen_before]),
                              process_name(read) + " read " + describe_read(kv.ops[seen_before]) + " then " +
                                  describe_read(read));
        }
        record(judgements[position], std::move(violation));
      }
      earlier.push_back(position);
      newest[read.key] = std::max(newest[read.key], version_of(read));
    }
  }
  return judgements;
}

// Terry et al. 1994, monotonic writes, as far as reads can see it:
// - append, same key: a read containing a process's append e2 contains each of that
//   process's earlier ok appends e1 to the key, before e2;
// - any shape, across keys: if p wrote k1 (ok, w1) and later k2 (w2), a process that read k2
//   reflecting w2 and later read k1 reflects w1 (p's monotonic writes with the reader's
//   monotonic reads). In session histories the same-key case is invisible: an integer read
//   hides whether an earlier write was skipped.
ReadJudgements judge_monotonic_writes(const KvHistory& kv) {
  ReadJudgements judgements(kv.ops.size());
  if (kv.shape == KvShape::append) {
    judge_same_key(
        kv, SourceKind::earlier_ok_writes,
        [](int64_t write_version, int64_t source_version, int64_t) { return source_version > write_version; },
        [](const KvHistory& history, size_t earlier, size_t later, size_t read) {
          const KvOp& e1 = history.ops[earlier];
          const KvOp& e2 = history.ops[later];
          const bool present = version_of(e1) != kUnobserved && version_of(e1) <= version_of(history.ops[read]);
          return witness(history, {earlier, later, read}, e1.value.dump() + " before " + e2.value.dump() + " in " + key_name(e2.key),
                         process_name(e1) + " " + describe_write(e1, history.shape) + " then " +
                             describe_write(e2, history.shape) + "; " + process_name(history.ops[read]) + " read " +
                             describe_read(history.ops[read]) + ": " + e2.value.dump() +
                             (present ? " before " : " without ") + e1.value.dump());
        },
        judgements);
  }
  judge_across_keys(kv, SourceKind::earlier_ok_writes,
                    [](const KvHistory& history, const Chain& chain, size_t read) {
                      const KvOp& w1 = history.ops[chain.source.op];
                      const KvOp& w2 = history.ops[chain.write];
                      const KvOp& observer = history.ops[read];
                      return witness(history, {chain.source.op, chain.write, chain.observed_by, read},
                                     reflects_text(history, w1),
                                     process_name(w1) + " " + describe_write(w1, history.shape) + " then " +
                                         describe_write(w2, history.shape) + "; " + process_name(observer) + " read " +
                                         describe_read(history.ops[chain.observed_by]) + " then " +
                                         describe_read(observer) + ", which misses the earlier write (" +
                                         process_name(w1) + "'s monotonic writes with " + process_name(observer) +
                                         "'s monotonic reads)");
                    },
                    judgements);
  return judgements;
}

// Terry et al. 1994, writes-follow-reads, as far as reads can see it: if p read key k1
// (read L) and then wrote w,
// - same key (w to k1): a read reflecting w reflects L (session: value >= L's; append: L's
//   elements all come before w in it);
// - across keys (w to k2): a process that read k2 reflecting w and later read k1 reflects L
//   (p's writes-follow-reads with the reader's monotonic reads).
ReadJudgements judge_writes_follow_reads(const KvHistory& kv) {
  ReadJudgements judgements(kv.ops.size());
  const bool append = kv.shape == KvShape::append;
  judge_same_key(
      kv, SourceKind::earlier_reads,
      [append](int64_t write_version, int64_t source_version, int64_t read_version) {
        return append ? source_version >= write_version : read_version < source_version;
      },
      [append](const KvHistory& history, size_t earlier_read, size_t write, size_t read) {
        const KvOp& seen = history.ops[earlier_read];
        const KvOp& w = history.ops[write];
        const std::string expected = append ? brief_value(seen.value) + " before " + w.value.dump() + " in " + key_name(w.key)
                                            : includes_text(history, seen);
        return witness(history, {earlier_read, write, read}, expected,
                       process_name(w) + " read " + describe_read(seen) + " then " + describe_write(w, history.shape) +
                           "; " + process_name(history.ops[read]) + " read " + describe_read(history.ops[read]) +
                           ", which reflects the write but not what its writer had read");
      },
      judgements);
  judge_across_keys(kv, SourceKind::earlier_reads,
                    [](const KvHistory& history, const Chain& chain, size_t read) {
                      const KvOp& seen = history.ops[chain.source.op];
                      const KvOp& w = history.ops[chain.write];
                      const KvOp& observer = history.ops[read];
                      return witness(history, {chain.source.op, chain.write, chain.observed_by, read},
                                     includes_text(history, seen),
                                     process_name(w) + " read " + describe_read(seen) + " then " +
                                         describe_write(w, history.shape) + "; " + process_name(observer) + " read " +
                                         describe_read(history.ops[chain.observed_by]) + " then " +
                                         describe_read(observer) + ", older than what " + process_name(w) +
                                         " had read (" + process_name(w) + "'s writes-follow-reads with " +
                                         process_name(observer) + "'s monotonic reads)");
                    },
                    judgements);
  return judgements;
}

}  // namespace faultline
