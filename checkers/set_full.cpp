#include "checkers/set_full.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "base/assert.h"
#include "checkers/set_full_analysis.h"
#include "checkers/wording.h"

namespace faultline {
namespace {

using set_full::ElementFate;
using set_full::KeyAnalysis;
using set_full::KeySet;
using set_full::Outcome;
using set_full::SetKey;
using set_full::UnexpectedElement;

constexpr size_t kListedElements = 20;   // per list in the evidence
constexpr size_t kRenderedElements = 5;  // per list in the rendered text

struct OutcomeCounts {
  int64_t reads = 0;         // ok reads
  int64_t attempted = 0;     // adds that did not fail
  int64_t acknowledged = 0;  // adds that completed ok
  int64_t known = 0;
  int64_t ok = 0;
  int64_t stale = 0;
  int64_t lost = 0;
  int64_t never_read = 0;
  int64_t unexpected = 0;

  void count(const KeyAnalysis& analysis) {
    reads += static_cast<int64_t>(analysis.set.reads.size());
    unexpected += static_cast<int64_t>(analysis.unexpected.size());
    for (const ElementFate& fate : analysis.fates) {
      ++attempted;
      acknowledged += fate.add->acknowledged() ? 1 : 0;
      known += fate.known_position ? 1 : 0;
      switch (fate.outcome) {
        case Outcome::ok:
          ++ok;
          break;
        case Outcome::stale:
          ++stale;
          break;
        case Outcome::lost:
          ++lost;
          break;
        case Outcome::never_read:
          ++never_read;
          break;
      }
    }
  }
  Json to_json() const {
    return Json{{"reads", reads},
                {"attempted", attempted},
                {"acknowledged", acknowledged},
                {"known", known},
                {"ok", ok},
                {"stale", stale},
                {"lost", lost},
                {"never_read", never_read},
                {"unexpected", unexpected}};
  }
};

// A capped list of elements with the count of all of them.
struct ElementList {
  Json elements = Json::array();
  int64_t total = 0;

  void offer(Json element) {
    if (elements.size() < kListedElements) elements.push_back(std::move(element));
    ++total;
  }
  Json to_json() const { return Json{{"total", total}, {"elements", elements}}; }
};

Json set_key_json(const SetKey& key) { return key ? Json(*key) : Json(nullptr); }

// A read is named by the index of its ok line, the line that carries what it saw.
int64_t read_index(const KeySet& set, size_t read) { return set.reads[read].op->completion->index; }

Json add_json(const OpPair& add) {
  return Json{{"index", add.invoke->index},
              {"outcome", std::string(add.outcome_name())},
              {"completed", add.completion ? Json(add.completion->index) : Json(nullptr)},
              {"completed_time_ns", add.completion ? Json(add.completion->time_ns) : Json(nullptr)}};
}

double to_ms(int64_t ns) { return static_cast<double>(ns) / 1e6; }

// "1.2 s", "340 ms", "12 us", "7 ns".
std::string format_duration(int64_t ns) {
  char text[32];
  if (ns >= 1'000'000'000)
    std::snprintf(text, sizeof text, "%.1f s", static_cast<double>(ns) / 1e9);
  else if (ns >= 1'000'000)
    std::snprintf(text, sizeof text, "%.3g ms", static_cast<double>(ns) / 1e6);
  else if (ns >= 1'000)
    std::snprintf(text, sizeof text, "%.3g us", static_cast<double>(ns) / 1e3);
  else
    std::snprintf(text, sizeof text, "%lld ns", static_cast<long long>(ns));
  return text;
}

std::string format_ms(const Json& ms) { return format_duration(std::llround(ms.get<double>() * 1e6)); }

Json lost_json(const History& history, const KeyAnalysis& analysis, const ElementFate& fate) {
  FAULTLINE_ASSERT(fate.known_position && fate.absent_from, "a lost element was known, then absent");
  const KeySet& set = analysis.set;
  return Json{{"key", set_key_json(analysis.key)},
              {"element", fate.element},
              {"add", add_json(*fate.add)},
              {"known_at", history.ops[*fate.known_position].index},
              {"last_seen_by", fate.last_seen ? Json(read_index(set, *fate.last_seen)) : Json(nullptr)},
              {"absent_from", read_index(set, *fate.absent_from)},
              {"absent_reads", set.reads.size() - *fate.absent_from}};
}

Json stale_json(const History& history, const KeyAnalysis& analysis, const ElementFate& fate) {
  FAULTLINE_ASSERT(fate.known_position && fate.first_counting && fate.stable_from, "a stale element became stable");
  const KeySet& set = analysis.set;
  return Json{{"key", set_key_json(analysis.key)},
              {"element", fate.element},
              {"add", add_json(*fate.add)},
              {"known_at", history.ops[*fate.known_position].index},
              {"first_counting", read_index(set, *fate.first_counting)},
              {"last_absent", read_index(set, *fate.stable_from - 1)},
              {"stable_from", read_index(set, *fate.stable_from)},
              {"latency_ms", to_ms(fate.latency_ns)}};
}

Json unexpected_json(const KeyAnalysis& analysis, const UnexpectedElement& unexpected) {
  return Json{{"key", set_key_json(analysis.key)},
              {"element", unexpected.element},
              {"add", unexpected.add ? add_json(*unexpected.add) : Json(nullptr)},
              {"read", read_index(analysis.set, unexpected.first_read)},
              {"reads", unexpected.reads}};
}

// Nearest-rank percentiles of the visibility latencies of the stable (ok and stale) elements.
Json latency_json(std::vector<int64_t> latencies_ns) {
  Json latency{{"stable_elements", latencies_ns.size()}};
  if (latencies_ns.empty()) return latency;
  std::sort(latencies_ns.begin(), latencies_ns.end());
  auto percentile_ms = [&](double percent) {
    const auto rank = static_cast<size_t>(std::ceil(percent / 100.0 * static_cast<double>(latencies_ns.size())));
    return to_ms(latencies_ns[std::max<size_t>(rank, 1) - 1]);
  };
  latency["latency_ms_p50"] = percentile_ms(50);
  latency["latency_ms_p90"] = percentile_ms(90);
  latency["latency_ms_p99"] = percentile_ms(99);
  latency["latency_ms_max"] = to_ms(latencies_ns.back());
  return latency;
}

struct SetFindings {
  OutcomeCounts counts;
  Json keys = Json::array();
  ElementList lost;
  ElementList unexpected;
  std::vector<std::pair<int64_t, Json>> stale;  // (latency, element), in key and element order
  std::vector<int64_t> latencies_ns;
};

void gather(const History& history, const KeyAnalysis& analysis, SetFindings& findings) {
  OutcomeCounts key_counts;
  key_counts.count(analysis);
  findings.counts.count(analysis);
  Json key_entry = key_counts.to_json();
  key_entry["key"] = set_key_json(analysis.key);
  findings.keys.push_back(std::move(key_entry));
  for (const UnexpectedElement& unexpected : analysis.unexpected)
    findings.unexpected.offer(unexpected_json(analysis, unexpected));
  for (const ElementFate& fate : analysis.fates) {
    if (fate.outcome == Outcome::lost) findings.lost.offer(lost_json(history, analysis, fate));
    if (fate.outcome == Outcome::stale)
      findings.stale.emplace_back(fate.latency_ns, stale_json(history, analysis, fate));
    if (fate.outcome == Outcome::ok || fate.outcome == Outcome::stale) findings.latencies_ns.push_back(fate.latency_ns);
  }
}

// The worst stale elements first.
Json worst_stale_json(std::vector<std::pair<int64_t, Json>> stale) {
  std::stable_sort(stale.begin(), stale.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  ElementList list;
  for (auto& [latency_ns, element] : stale) list.offer(std::move(element));
  return list.to_json();
}

std::string set_label(const Json& key) { return key.is_null() ? "the set" : key.get<std::string>(); }

std::string element_label(const Json& element) {
  return element["element"].dump() + " in " + set_label(element["key"]);
}

std::string invalid_summary(const OutcomeCounts& counts, const Json& evidence, bool linearizable) {
  std::string summary;
  auto part = [&summary](const std::string& text) { summary += (summary.empty() ? "" : "; ") + text; };
  if (counts.lost > 0)
    part(std::to_string(counts.lost) + " of " + std::to_string(counts.known) +
         " known elements lost (first: " + element_label(evidence["lost"]["elements"][0]) + ")");
  if (counts.unexpected > 0)
    part(counted(counts.unexpected, "unexpected element") +
         ", read with no add of it that did not fail invoked before the read ended (first: " +
         element_label(evidence["unexpected"]["elements"][0]) + ")");
  if (linearizable && counts.stale > 0)
    part(counted(counts.stale, "stale element") +
         ", not allowed with option linearizable (worst: " + element_label(evidence["stale"]["elements"][0]) + ")");
  return summary;
}

std::string valid_summary(const OutcomeCounts& counts, const Json& latency) {
  const std::string latency_text =
      latency.contains("latency_ms_p99") ? "; visibility latency p99 " + format_ms(latency["latency_ms_p99"]) : "";
  return "none of " + std::to_string(counts.known) + " known elements lost and no unexpected element (" +
         std::to_string(counts.stale) + " stale, " + std::to_string(counts.never_read) + " never read" + latency_text +
         ")";
}

CheckResult judge(const OutcomeCounts& counts, Json evidence, const SetFullOptions& options) {
  CheckResult result{.verdict = Verdict::valid, .checker = "set-full", .summary = "", .evidence = std::move(evidence)};
  if (counts.lost > 0 || counts.unexpected > 0 || (options.linearizable && counts.stale > 0)) {
    result.verdict = Verdict::invalid;
    result.summary = invalid_summary(counts, result.evidence, options.linearizable);
  } else if (counts.reads == 0) {
    result.verdict = Verdict::unknown;
    result.summary = "no ok read in the history, so it shows nothing about lost elements";
  } else if (counts.known == 0) {
    result.verdict = Verdict::unknown;
    result.summary =
        "no element became known (no add was acknowledged and no read showed one), "
        "so the history shows nothing about lost elements";
  } else {
    result.summary = valid_summary(counts, result.evidence["latency"]);
  }
  return result;
}

std::string read_label(const Json& index) { return "read #" + index.dump(); }

std::string add_phrase(const Json& add) {
  const std::string outcome = add["outcome"].get<std::string>();
  std::string phrase = "add #" + add["index"].dump();
  if (outcome == "pending") return phrase + " never completed";
  return phrase + " " + outcome + " at " + format_duration(add["completed_time_ns"].get<int64_t>());
}

std::string lost_phrase(const Json& lost) {
  std::string seen =
      lost["last_seen_by"].is_null() ? "never seen by a read" : "seen by " + read_label(lost["last_seen_by"]);
  return lost["element"].dump() + " (" + add_phrase(lost["add"]) + "; " + seen + "; absent from " +
         read_label(lost["absent_from"]) + " and every read after)";
}

std::string unexpected_phrase(const Json& unexpected) {
  const Json& add = unexpected["add"];
  std::string why = add.is_null() ? "it was never added"
                    : add["outcome"] == "fail"
                        ? "its add #" + add["index"].dump() + " failed"
                        : "its add #" + add["index"].dump() + " was invoked only after that read ended";
  const int64_t reads = unexpected["reads"].get<int64_t>();
  std::string more = reads > 1 ? "; " + std::to_string(reads) + " reads show it so" : "";
  return "unexpected in " + set_label(unexpected["key"]) + ": " + unexpected["element"].dump() + " (" +
         read_label(unexpected["read"]) + " returned it; " + why + more + ")";
}

std::string stale_phrase(const Json& stale) {
  return "  " + element_label(stale) + ": " + format_ms(stale["latency_ms"]) + " (missed by " +
         read_label(stale["last_absent"]) + "; in every read from " + read_label(stale["stable_from"]) + " on)";
}

const Json& key_counts(const Json& evidence, const Json& key) {
  const Json& keys = evidence["keys"];
  auto it = std::find_if(keys.begin(), keys.end(), [&key](const Json& entry) { return entry["key"] == key; });
  FAULTLINE_ASSERT(it != keys.end(), "a listed element's key has counts");
  return *it;
}

void render_more(const Json& list, const std::string& what, std::string& text) {
  const auto total = list["total"].get<size_t>();
  if (total > kRenderedElements)
    text += "  ... " + std::to_string(total - kRenderedElements) + " more " + what + " (the evidence lists " +
            std::to_string(list["elements"].size()) + ")\n";
}

// "lost 2 of 340 known elements in k1: 17 (...)", then "  and 23 (...)" for the same key.
void render_lost(const Json& evidence, std::string& text) {
  const Json& lost = evidence["lost"];
  std::optional<Json> previous_key;
  size_t rendered = 0;
  for (const Json& element : lost["elements"]) {
    if (rendered++ == kRenderedElements) break;
    if (previous_key && element["key"] == *previous_key) {
      text += "  and " + lost_phrase(element) + "\n";
      continue;
    }
    const Json& counts = key_counts(evidence, element["key"]);
    text += "lost " + counts["lost"].dump() + " of " + counts["known"].dump() + " known elements in " +
            set_label(element["key"]) + ": " + lost_phrase(element) + "\n";
    previous_key = element["key"];
  }
  render_more(lost, "lost elements", text);
}

void render_counts(const Json& evidence, std::string& text) {
  const Json& counts = evidence["counts"];
  text += counts["known"].dump() + " known of " + counted(counts["attempted"].get<int64_t>(), "attempted element") +
          " in " + counted(static_cast<int64_t>(evidence["keys"].size()), "key") + ", " +
          counted(counts["reads"].get<int64_t>(), "ok read") + ": " + counts["ok"].dump() + " ok, " +
          counts["stale"].dump() + " stale, " + counts["lost"].dump() + " lost, " + counts["never_read"].dump() +
          " never read, " + counts["unexpected"].dump() + " unexpected\n";
}

void render_unexpected(const Json& unexpected, std::string& text) {
  size_t rendered = 0;
  for (const Json& element : unexpected["elements"])
    if (rendered++ < kRenderedElements) text += unexpected_phrase(element) + "\n";
  render_more(unexpected, "unexpected elements", text);
}

void render_stale(const Json& stale, std::string& text) {
  if (stale["total"] == 0) return;
  text +=
      "stale: " + counted(stale["total"].get<int64_t>(), "element") + " missed by a read after being known; worst:\n";
  size_t rendered = 0;
  for (const Json& element : stale["elements"])
    if (rendered++ < kRenderedElements) text += stale_phrase(element) + "\n";
  render_more(stale, "stale elements", text);
}

void render_latency(const Json& latency, std::string& text) {
  if (!latency.contains("latency_ms_max")) return;
  text += "visibility latency over " + counted(latency["stable_elements"].get<int64_t>(), "stable element") + ": p50 " +
          format_ms(latency["latency_ms_p50"]) + ", p90 " + format_ms(latency["latency_ms_p90"]) + ", p99 " +
          format_ms(latency["latency_ms_p99"]) + ", max " + format_ms(latency["latency_ms_max"]) + "\n";
}

}  // namespace

Result<CheckResult> check_set_full(const History& history, const SetFullOptions& options, const OpLocator& locate) {
  if (options.add_f == "read") return fail("checker set-full: option add_f must not be \"read\"");
  BOOST_OUTCOME_TRY(ops, pair_client_ops(history, locate));
  BOOST_OUTCOME_TRY(analyses, set_full::analyze_set_full(ops, options.add_f, locate));
  SetFindings findings;
  for (const KeyAnalysis& analysis : analyses) gather(history, analysis, findings);
  Json evidence{{"add_f", options.add_f},
                {"linearizable", options.linearizable},
                {"counts", findings.counts.to_json()},
                {"keys", std::move(findings.keys)},
                {"lost", findings.lost.to_json()},
                {"unexpected", findings.unexpected.to_json()},
                {"stale", worst_stale_json(std::move(findings.stale))},
                {"latency", latency_json(std::move(findings.latencies_ns))}};
  return judge(findings.counts, std::move(evidence), options);
}

std::string render_set_full(const CheckResult& result) {
  std::string text = std::string(to_string(result.verdict)) + ": " + result.summary + "\n";
  const Json& evidence = result.evidence;
  if (!evidence.is_object() || !evidence.contains("counts")) return text;
  render_counts(evidence, text);
  render_lost(evidence, text);
  render_unexpected(evidence["unexpected"], text);
  render_stale(evidence["stale"], text);
  render_latency(evidence["latency"], text);
  return text;
}

CheckerSpec set_full_checker() {
  return CheckerSpec{
      .name = "set-full",
      .description =
          "per key, no element known to be in the set (acknowledged or read) disappears from later reads, "
          "and no read shows an element that no add could have put there",
      .options = {{.name = "add_f",
                   .type = OptionType::string,
                   .default_value = SetFullOptions{}.add_f,
                   .description = "the op name of an add (e.g. broadcast for Maelstrom)"},
                  {.name = "linearizable",
                   .type = OptionType::boolean,
                   .default_value = SetFullOptions{}.linearizable,
                   .description = "stale elements (missed by a read after they were known) are violations too"}},
      .check = [](const History& history, const Json& options, const OpLocator& locate) -> Result<CheckResult> {
        return check_set_full(history,
                              SetFullOptions{.add_f = options.at("add_f").get<std::string>(),
                                             .linearizable = options.at("linearizable").get<bool>()},
                              locate);
      },
      .render = render_set_full,
  };
}

}  // namespace faultline
