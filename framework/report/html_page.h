#pragma once
// One self-contained HTML file: the report's data as inline JSON, the stylesheet and the
// script inline (framework/report/assets/, embedded at build time). No network: the page's
// Content-Security-Policy forbids every fetch, font and frame, so it opens from disk anywhere.
#include <string>

#include "base/json.h"

namespace faultline::report {

// data: run_report_data() or campaign_report_data(); fallback_text: shown without script.
std::string html_page(const Json& data, const std::string& fallback_text);

// The JSON as it can sit inside <script>: every '<' escaped, so no "</script>" can end it.
std::string inline_json(const Json& data);

std::string escape_html(const std::string& text);

}  // namespace faultline::report
