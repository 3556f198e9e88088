// The terminal text of a convergence result: the summary, then one line per key that
// diverged, lost acknowledged updates, read a value never attempted or has no ok final read.
#include <string>

#include "checkers/convergence.h"
#include "checkers/wording.h"

namespace faultline {

namespace {

constexpr size_t kRenderedKeys = 8;
constexpr size_t kRenderedOps = 5;

std::string key_name(const Json& key) { return key["key"].is_null() ? "(no key)" : key["key"].get<std::string>(); }

std::string nodes_text(const Json& nodes) {
  std::string text = nodes.size() == 1 ? "node " : "nodes ";
  for (size_t i = 0; i < nodes.size(); ++i) text += std::string(i ? "," : "") + (nodes[i].is_string() ? std::string("?") : nodes[i].dump());
  return text;
}

std::string diverged_line(const Json& key) {
  std::string line = key_name(key) + " diverged: ";
  const Json& groups = key["values_by_node"];
  for (size_t i = 0; i < groups.size(); ++i)
    line += std::string(i ? ", " : "") + nodes_text(groups[i]["nodes"]) + " read " + brief_value(groups[i]["value"]) + " (#" +
            groups[i]["read"].dump() + ")";
  return line;
}

std::string lost_line(const Json& key, bool allowed) {
  const Json& lost = key["lost"];
  const size_t count = lost["count"].get<size_t>();
  const std::string f = lost["ops"][0]["f"].get<std::string>();
  std::string line = key_name(key) + " lost " + std::to_string(count) + " acknowledged " + (f == "cas" ? "write" : f) +
                     (count == 1 ? "" : "s") + ": ";
  for (size_t i = 0; i < lost["ops"].size() && i < kRenderedOps; ++i)
    line += std::string(i ? ", " : "") + lost["ops"][i]["value"].dump() + " (#" + lost["ops"][i]["index"].dump() + ")";
  if (count > kRenderedOps) line += ", ...";
  line += "; agreed value " + brief_value(key["agreed"]);
  return line + (allowed ? " (allowed)" : "");
}

std::string counter_line(const Json& key, bool allowed) {
  const Json& counter = key["counter"];
  std::string line = key_name(key) + " agreed on " + key["agreed"].dump() + ", but the acknowledged updates sum to " +
                     counter["acknowledged_sum"].dump();
  const size_t uncertain = counter["uncertain_updates"].get<size_t>();
  if (uncertain == 0)
    line += " and no update has an unknown outcome";
  else
    line += " and no subset of the " + std::to_string(uncertain) + " updates of unknown outcome (together within " +
            counter["uncertain_range"].dump() + ") makes up the difference";
  return line + (allowed ? " (allowed)" : "");
}

std::string unexplained_line(const Json& key) {
  const Json& unexplained = key["unexplained"];
  std::string line = key_name(key) + " read values no attempted update explains: ";
  for (size_t i = 0; i < unexplained["values"].size() && i < kRenderedOps; ++i)
    line += std::string(i ? ", " : "") + unexplained["values"][i]["value"].dump() + " (read #" +
            unexplained["values"][i]["read"].dump() + ")";
  if (unexplained["count"].get<size_t>() > kRenderedOps) line += ", ...";
  return line;
}

std::vector<std::string> key_lines(const Json& key, bool require_acknowledged) {
  std::vector<std::string> lines;
  if (key["ok_final_reads"].get<size_t>() == 0)
    lines.push_back(key_name(key) + " has no ok final read (" + key["final_reads"].dump() + " final reads)");
  if (key.contains("values_by_node")) lines.push_back(diverged_line(key));
  if (key["unexplained"]["count"].get<size_t>() > 0) lines.push_back(unexplained_line(key));
  if (key.contains("lost") && key["lost"]["count"].get<size_t>() > 0) lines.push_back(lost_line(key, !require_acknowledged));
  if (key.contains("counter") && !key["counter"]["survived"].get<bool>())
    lines.push_back(counter_line(key, !require_acknowledged));
  return lines;
}

}  // namespace

std::string render_convergence_text(const CheckResult& result) {
  std::string text = std::string(to_string(result.verdict)) + ": " + result.summary + "\n";
  const Json& evidence = result.evidence;
  if (!evidence.contains("keys")) return text;
  size_t shown = 0, with_lines = 0;
  for (const Json& key : evidence["keys"]) {
    auto lines = key_lines(key, evidence["require_acknowledged"].get<bool>());
    if (lines.empty()) continue;
    ++with_lines;
    if (shown == kRenderedKeys) continue;
    ++shown;
    for (const auto& line : lines) text += "  " + line + "\n";
  }
  if (with_lines > shown) text += "  ... and " + std::to_string(with_lines - shown) + " more keys\n";
  const Json& times = evidence["time_to_agreement_ms"];
  if (!times.is_null()) {
    char line[160];
    std::snprintf(line, sizeof line, "  time to agreement (from the %s): max %.1f ms, p50 %.1f ms over %zu key%s\n",
                  evidence["time_base"].get<std::string>().c_str(), times["max"].get<double>(),
                  times["p50"].get<double>(), times["keys"].get<size_t>(),
                  times["keys"].get<size_t>() == 1 ? "" : "s");
    text += line;
  }
  return text;
}

}  // namespace faultline
