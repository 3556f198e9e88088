#include "framework/report/html_page.h"

namespace faultline::report {

// Generated from assets/report.css and assets/report.js (embed_assets.cmake).
extern const char* const kReportCss;
extern const char* const kReportJs;

std::string inline_json(const Json& data) {
  const std::string text = data.dump(-1, ' ', false, Json::error_handler_t::replace);
  std::string out;
  out.reserve(text.size() + text.size() / 50);
  for (char c : text) {
    if (c == '<') out += "\\u003c";  // '<' occurs only inside JSON strings, where \u003c is the same text
    else out += c;
  }
  return out;
}

std::string escape_html(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string html_page(const Json& data, const std::string& fallback_text) {
  const std::string title = data.value("title", std::string("faultline report"));
  std::string page;
  page += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  page += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  // Nothing may be fetched: the report is one file that needs no network.
  page += "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
          "script-src 'unsafe-inline'; img-src data:\">\n";
  page += "<title>" + escape_html(title) + "</title>\n<style>\n";
  page += kReportCss;
  page += "</style>\n</head>\n<body>\n";
  page += "<noscript><h1>" + escape_html(title) + "</h1><pre>" + escape_html(fallback_text) + "</pre></noscript>\n";
  page += "<div id=\"app\"></div>\n<script type=\"application/json\" id=\"report-data\">";
  page += inline_json(data);
  page += "</script>\n<script>\n";
  page += kReportJs;
  page += "</script>\n</body>\n</html>\n";
  return page;
}

}  // namespace faultline::report
