#include "checkers/staleness.h"

#include <algorithm>
#include <cstdio>
#include <tuple>
#include <map>

#include "base/assert.h"

namespace faultline {

namespace {

constexpr size_t kMaxListedReads = 10;

double ms_from_ns(int64_t ns) { return static_cast<double>(ns) / 1e6; }

// The acknowledged writes of one key so far, indexed by version rank: how many are newer
// than a version, and the oldest acknowledgement among those (Fenwick trees: O(log n) per
// step; the set only grows as the sweep moves down the history).
class AcknowledgedWrites {
 public:
  using Ack = std::pair<int64_t, size_t>;  // (ack time ns, write position)

  explicit AcknowledgedWrites(std::vector<int64_t> versions)
      : versions_(std::move(versions)), counts_(versions_.size() + 1, 0), oldest_(versions_.size() + 1) {}

  void add(int64_t version, const Ack& ack) {
    const size_t rank = std::lower_bound(versions_.begin(), versions_.end(), version) - versions_.begin();
    FAULTLINE_ASSERT(rank < versions_.size() && versions_[rank] == version, "every ok write's version is ranked");
    for (size_t i = rank + 1; i < counts_.size(); i += i & -i) ++counts_[i];
    for (size_t i = versions_.size() - rank; i < oldest_.size(); i += i & -i)
      if (!oldest_[i] || ack < *oldest_[i]) oldest_[i] = ack;
    ++total_;
  }

  int64_t count_newer(int64_t version) const {
    int64_t at_most = 0;
    for (size_t i = rank_after(version); i > 0; i -= i & -i) at_most += counts_[i];
    return total_ - at_most;
  }

  std::optional<Ack> oldest_newer(int64_t version) const {
    std::optional<Ack> oldest;
    for (size_t i = versions_.size() - rank_after(version); i > 0; i -= i & -i)
      if (oldest_[i] && (!oldest || *oldest_[i] < *oldest)) oldest = oldest_[i];
    return oldest;
  }

 private:
  size_t rank_after(int64_t version) const {  // how many ranked versions are <= version
    return std::upper_bound(versions_.begin(), versions_.end(), version) - versions_.begin();
  }
  std::vector<int64_t> versions_;            // sorted, distinct
  std::vector<int64_t> counts_;              // by rank (1-based)
  std::vector<std::optional<Ack>> oldest_;   // by reversed rank (1-based): prefix minimum
  int64_t total_ = 0;
};

bool acknowledged_write(const KvOp& op) { return !op.is_read && op.ok() && op.version; }

std::map<std::string, AcknowledgedWrites> empty_ack_sets(const KvHistory& kv) {
  std::map<std::string, std::vector<int64_t>> versions;
  for (const KvOp& op : kv.ops)
    if (acknowledged_write(op)) versions[op.key].push_back(*op.version);
  std::map<std::string, AcknowledgedWrites> sets;
  for (auto& [key, list] : versions) {
    std::sort(list.begin(), list.end());
    list.erase(std::unique(list.begin(), list.end()), list.end());
    sets.emplace(key, AcknowledgedWrites(std::move(list)));
  }
  return sets;
}

// The brief's definition: the acknowledged writes of R are those whose ok completion line
// comes before R's invoke line; R missed those newer (in the version order) than what it read.
std::vector<ReadStaleness> measure_reads(const KvHistory& kv) {
  enum class Event { acknowledge, read_begins };
  std::vector<std::tuple<size_t, Event, size_t>> events;  // (history position, kind, kv op)
  for (size_t i = 0; i < kv.ops.size(); ++i) {
    const KvOp& op = kv.ops[i];
    if (acknowledged_write(op)) events.emplace_back(*op.completion_position, Event::acknowledge, i);
    if (op.is_read && op.version) events.emplace_back(op.invoke_position, Event::read_begins, i);
  }
  std::sort(events.begin(), events.end());
  auto acknowledged = empty_ack_sets(kv);
  std::map<std::string, size_t> newest;  // key -> newest acknowledged write so far
  std::vector<ReadStaleness> reads;
  for (const auto& [history_position, event, i] : events) {
    const KvOp& op = kv.ops[i];
    if (event == Event::acknowledge) {
      FAULTLINE_ASSERT(op.completion_ns.has_value(), "an ok write has a completion");
      acknowledged.at(op.key).add(*op.version, {*op.completion_ns, i});
      auto [it, fresh] = newest.try_emplace(op.key, i);
      if (!fresh && *kv.ops[it->second].version < *op.version) it->second = i;
      continue;
    }
    ReadStaleness read{.read = i};
    if (auto set = acknowledged.find(op.key); set != acknowledged.end()) {
      read.versions_behind = set->second.count_newer(*op.version);
      if (auto oldest = set->second.oldest_newer(*op.version)) {
        read.ms_behind = ms_from_ns(op.invoke_ns - oldest->first);
        read.oldest_missed = oldest->second;
      }
    }
    if (auto it = newest.find(op.key); it != newest.end()) read.newest_acknowledged = it->second;
    reads.push_back(read);
  }
  std::sort(reads.begin(), reads.end(),
            [&](const ReadStaleness& a, const ReadStaleness& b) { return kv.ops[a.read].index < kv.ops[b.read].index; });
  return reads;
}

// By the answering node's role; else its node id; else unknown.
std::string group_of(const KvOp& read) {
  if (read.role) return *read.role;
  if (read.node) return "node " + std::to_string(*read.node);
  return "unknown";
}

// Nearest-rank percentile of sorted values.
template <class T>
T percentile(const std::vector<T>& sorted, int percent) {
  FAULTLINE_ASSERT(!sorted.empty(), "percentiles of measured reads");
  const size_t rank = (static_cast<size_t>(percent) * sorted.size() + 99) / 100;  // ceil(p/100 * n)
  return sorted[std::max<size_t>(rank, 1) - 1];
}

template <class T>
Json distribution(std::vector<T> values) {
  std::sort(values.begin(), values.end());
  return {{"p50", percentile(values, 50)}, {"p90", percentile(values, 90)}, {"p99", percentile(values, 99)},
          {"max", values.back()}};
}

Json figures(const std::vector<const ReadStaleness*>& reads) {
  std::vector<int64_t> versions;
  std::vector<double> ms;
  int64_t stale = 0;
  for (const ReadStaleness* read : reads) {
    versions.push_back(read->versions_behind);
    ms.push_back(read->ms_behind);
    stale += read->versions_behind > 0;
  }
  return {{"reads", reads.size()},
          {"stale_reads", stale},
          {"stale_fraction", static_cast<double>(stale) / static_cast<double>(reads.size())},
          {"versions_behind", distribution(versions)},
          {"ms_behind", distribution(ms)}};
}

std::string format_fixed(double value, int digits) {
  char text[48];
  std::snprintf(text, sizeof text, "%.*f", digits, value);
  return text;
}

std::string format_ms(double ms) { return format_fixed(ms, 3); }

Json read_row(const KvHistory& kv, const ReadStaleness& measured) {
  const KvOp& read = kv.ops[measured.read];
  std::string story = "process " + std::to_string(read.process) + " read " + describe_read(read) + ": " +
                      std::to_string(measured.versions_behind) + " versions, " + format_ms(measured.ms_behind) +
                      " ms behind";
  Json row = {{"index", read.index}, {"process", read.process}, {"key", read.key}, {"seen", brief_value(read.value)},
              {"group", group_of(read)}, {"versions_behind", measured.versions_behind},
              {"ms_behind", measured.ms_behind}, {"read", op_json(read, kv.shape)}};
  if (measured.newest_acknowledged) {
    const KvOp& newest = kv.ops[*measured.newest_acknowledged];
    row["newest_acknowledged"] = op_json(newest, kv.shape);
    story += "; newest acknowledged: " + describe_write(newest, kv.shape);
  }
  if (measured.oldest_missed) {
    const KvOp& missed = kv.ops[*measured.oldest_missed];
    FAULTLINE_ASSERT(missed.completion_ns.has_value(), "a missed write was acknowledged");
    row["oldest_missed"] = op_json(missed, kv.shape);
    row["oldest_missed"]["acknowledged_ms"] = ms_from_ns(*missed.completion_ns);
    story += "; oldest missed: " + describe_write(missed, kv.shape);
  }
  row["story"] = story;
  return row;
}

Json worst_reads(const KvHistory& kv, std::vector<const ReadStaleness*> reads) {
  std::stable_sort(reads.begin(), reads.end(), [](const ReadStaleness* a, const ReadStaleness* b) {
    return std::tie(b->versions_behind, b->ms_behind) < std::tie(a->versions_behind, a->ms_behind);
  });
  Json rows = Json::array();
  for (const ReadStaleness* read : reads) {
    if (rows.size() == kMaxListedReads || read->versions_behind == 0) break;
    rows.push_back(read_row(kv, *read));
  }
  return rows;
}

// Figures overall and per group, and the worst reads, for one phase (main or final).
Json phase_figures(const KvHistory& kv, const std::vector<const ReadStaleness*>& reads) {
  std::map<std::string, std::vector<const ReadStaleness*>> by_group;
  for (const ReadStaleness* read : reads) by_group[group_of(kv.ops[read->read])].push_back(read);
  Json groups = Json::object();
  for (const auto& [group, members] : by_group) groups[group] = figures(members);
  return {{"overall", figures(reads)}, {"by_role", groups}, {"worst_reads", worst_reads(kv, reads)}};
}

bool beyond_bounds(const ReadStaleness& read, const StalenessOptions& options) {
  return (options.bound_ms && read.ms_behind > *options.bound_ms) ||
         (options.bound_versions && read.versions_behind > *options.bound_versions);
}

std::string bounds_text(const StalenessOptions& options) {
  std::string text;
  if (options.bound_versions) text = "versions behind <= " + std::to_string(*options.bound_versions);
  if (options.bound_ms) text += (text.empty() ? "" : ", ") + std::string("ms behind <= ") + format_ms(*options.bound_ms);
  return text;
}

Json unmeasured_counts(const KvHistory& kv) {
  int64_t floating = 0, without_order = 0;
  for (const KvOp& op : kv.ops) {
    floating += op.is_read && op.unversioned == Unversioned::floating;
    without_order += op.is_read && op.unversioned == Unversioned::no_order;
  }
  return {{"floating", floating}, {"no_order", without_order}};
}

std::string figure_sentence(const Json& overall) {
  const Json& versions = overall.at("versions_behind");
  const Json& ms = overall.at("ms_behind");
  return overall.at("reads").dump() + " reads, " + format_fixed(100 * overall.at("stale_fraction").get<double>(), 1) +
         "% stale; versions behind p50 " + versions.at("p50").dump() + ", p99 " + versions.at("p99").dump() +
         ", max " + versions.at("max").dump() + "; ms behind p50 " + format_ms(ms.at("p50").get<double>()) + ", p99 " +
         format_ms(ms.at("p99").get<double>()) + ", max " + format_ms(ms.at("max").get<double>());
}

// "3 reads, 2 stale, at most 3 versions / 17.000 ms behind"
std::string short_figures(const Json& overall) {
  return overall.at("reads").dump() + " reads, " + overall.at("stale_reads").dump() + " stale, at most " +
         overall.at("versions_behind").at("max").dump() + " versions / " +
         format_ms(overall.at("ms_behind").at("max").get<double>()) + " ms behind";
}

std::string summarize(const Json& evidence, Verdict verdict, const StalenessOptions& options) {
  std::string summary = "staleness (" + evidence.at("type").get<std::string>() + " history): ";
  if (verdict == Verdict::unknown) return summary + "no read could be measured (no ok read with a version to compare)";
  if (evidence.contains("main")) summary += short_figures(evidence["main"]["overall"]);
  if (evidence.contains("final"))
    summary += std::string(evidence.contains("main") ? "; " : "") + "final reads: " + short_figures(evidence["final"]["overall"]);
  if (evidence.contains("beyond_bounds")) {
    const Json& beyond = evidence["beyond_bounds"];
    summary += beyond.at("count").get<int64_t>() == 0
                   ? "; every read within " + bounds_text(options)
                   : "; " + beyond.at("count").dump() + " reads beyond " + bounds_text(options) + ", first #" +
                         beyond.at("first")[0].at("index").dump();
  }
  for (const Json& anomaly : evidence.at("anomalies"))
    summary += "; " + anomaly.at("kind").get<std::string>() + " on " + key_name(anomaly.at("key").get<std::string>());
  return summary;
}

CheckResult make_result(const KvHistory& kv, const std::vector<ReadStaleness>& reads, const StalenessOptions& options) {
  std::vector<const ReadStaleness*> main_phase, final_phase, beyond;
  for (const ReadStaleness& read : reads) {
    (kv.ops[read.read].final ? final_phase : main_phase).push_back(&read);
    if (beyond_bounds(read, options)) beyond.push_back(&read);
  }
  Json evidence = {{"type", to_string(kv.shape)}, {"measured_reads", reads.size()},
                   {"unmeasured_reads", unmeasured_counts(kv)}, {"anomalies", anomalies_json(kv)}};
  if (!main_phase.empty()) evidence["main"] = phase_figures(kv, main_phase);
  if (!final_phase.empty()) evidence["final"] = phase_figures(kv, final_phase);
  if (options.bound_ms || options.bound_versions) {
    Json first = Json::array();
    for (size_t i = 0; i < beyond.size() && i < kMaxListedReads; ++i) first.push_back(read_row(kv, *beyond[i]));
    evidence["bounds"] = {{"ms", options.bound_ms ? Json(*options.bound_ms) : Json()},
                          {"versions", options.bound_versions ? Json(*options.bound_versions) : Json()}};
    evidence["beyond_bounds"] = {{"count", beyond.size()}, {"first", first}};
  }
  const Verdict verdict = !kv.anomalies.empty() || !beyond.empty() ? Verdict::invalid
                          : reads.empty()                          ? Verdict::unknown
                                                                   : Verdict::valid;
  std::string summary = summarize(evidence, verdict, options);
  return CheckResult{.verdict = verdict, .checker = "staleness", .summary = std::move(summary), .evidence = std::move(evidence)};
}

}  // namespace

Result<StalenessMeasurement> measure_staleness(const History& history, const StalenessOptions& options,
                                               const OpLocator& locate) {
  BOOST_OUTCOME_TRY(kv, read_kv_history(history, options.type, locate));
  StalenessMeasurement measurement{.kv = std::move(kv)};
  measurement.reads = measure_reads(measurement.kv);
  measurement.result = make_result(measurement.kv, measurement.reads, options);
  return measurement;
}

CheckerSpec staleness_checker() {
  return CheckerSpec{
      .name = "staleness",
      .description = "how far behind the acknowledged writes each read is (versions and ms), per node role; "
                     "invalid only beyond a given bound",
      .options = {{.name = "type", .type = OptionType::string, .default_value = "auto",
                   .description = "history shape: auto (append if any op is an append), session or append",
                   .choices = kKvShapeChoices},
                  {.name = "bound_ms", .type = OptionType::number, .default_value = Json(),
                   .description = "a read more ms behind makes the verdict invalid (optional)", .min = 0},
                  {.name = "bound_versions", .type = OptionType::integer, .default_value = Json(),
                   .description = "a read more versions behind makes the verdict invalid (optional)", .min = 0}},
      .check = [](const History& history, const Json& options, const OpLocator& locate) -> Result<CheckResult> {
        StalenessOptions parsed{.type = options.at("type").get<std::string>()};
        if (options.contains("bound_ms")) parsed.bound_ms = options.at("bound_ms").get<double>();
        if (options.contains("bound_versions")) parsed.bound_versions = options.at("bound_versions").get<int64_t>();
        BOOST_OUTCOME_TRY(measurement, measure_staleness(history, parsed, locate));
        return std::move(measurement.result);
      },
      .render = render_staleness_text,
  };
}

namespace {

std::string render_phase(const std::string& title, const Json& phase) {
  std::string text = "  " + title + ": " + figure_sentence(phase.at("overall")) + "\n";
  for (const auto& [group, group_figures] : phase.at("by_role").items())
    text += "    " + group + ": " + figure_sentence(group_figures) + "\n";
  const Json& worst = phase.at("worst_reads");
  if (!worst.empty()) text += "    worst: " + worst[0].at("story").get<std::string>() + "\n";
  return text;
}

}  // namespace

std::string render_staleness_text(const CheckResult& result) {
  std::string text = std::string(to_string(result.verdict)) + ": " + result.summary + "\n";
  const Json& evidence = result.evidence;
  if (!evidence.is_object()) return text;
  if (evidence.contains("main")) text += render_phase("main phase", evidence["main"]);
  if (evidence.contains("final")) text += render_phase("final reads", evidence["final"]);
  constexpr size_t kRenderedBeyond = 3;
  if (evidence.contains("beyond_bounds")) {
    const Json& first = evidence["beyond_bounds"]["first"];
    for (size_t i = 0; i < first.size() && i < kRenderedBeyond; ++i)
      text += "  beyond bound: " + first[i].at("story").get<std::string>() + "\n";
  }
  for (const Json& anomaly : evidence.value("anomalies", Json::array()))
    text += "  " + anomaly.at("kind").get<std::string>() + " on " + key_name(anomaly.at("key").get<std::string>()) +
            ": " + anomaly.at("explanation").get<std::string>() + "\n";
  return text;
}

}  // namespace faultline
