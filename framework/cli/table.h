#pragma once
// A plain text table with aligned columns, for people reading a terminal.
#include <string>
#include <vector>

namespace faultline::cli {

using TableRow = std::vector<std::string>;

std::string render_table(const TableRow& header, const std::vector<TableRow>& rows);

}  // namespace faultline::cli
