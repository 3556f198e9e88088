// The terminal text of an availability result: the summary, then a table of window x side
// rows (window, time, faults, side, ops, ok%, judged fraction), capped to the most telling
// rows: those below the minimum, then the lowest judged fractions, shown in time order.
#include <algorithm>
#include <cstdio>
#include <string>

#include "checkers/availability.h"

namespace faultline {

namespace {

constexpr size_t kRenderedRows = 12;

struct Row {
  size_t order = 0;  // chronological position
  const Json* window = nullptr;
  const Json* side = nullptr;
  bool below = false;
  double judged_fraction = 2;  // 2: not judged (sorts after every fraction)
};

std::string faults_text(const Json& window) {
  std::string kinds;
  for (const Json& fault : window["faults"]) kinds += std::string(kinds.empty() ? "" : "+") + fault["kind"].get<std::string>();
  return kinds.empty() ? "none" : kinds;
}

std::string side_text(const Json& side) {
  if (side["side"].is_string()) return "?";
  std::string text = "{";
  for (size_t i = 0; i < side["nodes"].size(); ++i) text += std::string(i ? "," : "") + side["nodes"][i].dump();
  return text + "}";
}

std::vector<Row> rows_of(const Json& evidence) {
  std::vector<Row> rows;
  const Json& min = evidence["min_ok_fraction"];
  for (const Json& window : evidence["windows"])
    for (const Json& side : window["side_totals"]) {
      Row row{.order = rows.size(), .window = &window, .side = &side};
      const bool judged = side["judged_ops"].get<size_t>() >= std::max<size_t>(evidence["min_ops"].get<size_t>(), 1);
      if (judged) row.judged_fraction = side["judged_fraction"].get<double>();
      row.below = judged && min.is_number() && row.judged_fraction < min.get<double>();
      rows.push_back(row);
    }
  return rows;
}

std::string row_text(const Row& row) {
  const Json& window = *row.window;
  const Json& side = *row.side;
  char line[200];
  char judged[16] = "-";
  if (row.judged_fraction <= 1) std::snprintf(judged, sizeof judged, "%.1f%%", 100 * row.judged_fraction);
  std::snprintf(line, sizeof line, "  %3zu  %9.3f-%-9.3f  %-18s  %-12s  %6zu  %5.1f%%  %7s%s\n",
                window["window"].get<size_t>(), window["start_ns"].get<double>() / 1e9,
                window["end_ns"].get<double>() / 1e9, faults_text(window).c_str(), side_text(side).c_str(),
                side["ops"].get<size_t>(), 100 * side["ok_fraction"].get<double>(), judged, row.below ? "  below" : "");
  return line;
}

}  // namespace

std::string render_availability_text(const CheckResult& result) {
  std::string text = std::string(to_string(result.verdict)) + ": " + result.summary + "\n";
  if (!result.evidence.contains("windows")) return text;
  std::vector<Row> rows = rows_of(result.evidence);
  if (rows.empty()) return text;
  std::stable_sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) {
    return a.below != b.below ? a.below : a.judged_fraction < b.judged_fraction;
  });
  const size_t shown = std::min(rows.size(), kRenderedRows);
  std::sort(rows.begin(), rows.begin() + static_cast<std::ptrdiff_t>(shown),
            [](const Row& a, const Row& b) { return a.order < b.order; });
  char header[200];
  std::snprintf(header, sizeof header, "  %3s  %-19s  %-18s  %-12s  %6s  %6s  %7s\n", "win", "time (s)", "faults", "side",
                "ops", "ok%", result.evidence["measure"].get<std::string>() == "ok" ? "judged" : "answered");
  text += header;
  for (size_t i = 0; i < shown; ++i) text += row_text(rows[i]);
  if (rows.size() > shown) text += "  ... " + std::to_string(rows.size() - shown) + " more rows in the evidence\n";
  return text;
}

}  // namespace faultline
