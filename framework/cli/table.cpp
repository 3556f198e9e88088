#include "framework/cli/table.h"

#include <algorithm>

namespace faultline::cli {

namespace {

void append_row(std::string& out, const TableRow& row, const std::vector<size_t>& widths) {
  for (size_t i = 0; i < widths.size(); ++i) {
    std::string cell = i < row.size() ? row[i] : "";
    out += cell;
    if (i + 1 < widths.size()) out += std::string(widths[i] - cell.size() + 2, ' ');
  }
  out += '\n';
}

}  // namespace

std::string render_table(const TableRow& header, const std::vector<TableRow>& rows) {
  std::vector<size_t> widths(header.size(), 0);
  for (size_t i = 0; i < header.size(); ++i) widths[i] = header[i].size();
  for (const auto& row : rows)
    for (size_t i = 0; i < row.size() && i < widths.size(); ++i)
      widths[i] = std::max(widths[i], row[i].size());
  std::string out;
  append_row(out, header, widths);
  size_t total = 0;
  for (size_t width : widths) total += width + 2;
  out += std::string(total - 2, '-') + '\n';
  for (const auto& row : rows) append_row(out, row, widths);
  return out;
}

}  // namespace faultline::cli
