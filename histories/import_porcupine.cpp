#include "histories/import_porcupine.h"

#include <charconv>
#include <sstream>
#include <unordered_map>

#include "histories/edn.h"
#include "histories/import_common.h"
#include "histories/input_limits.h"

namespace faultline {
namespace {

constexpr std::string_view kMarker = "jepsen.util - ";

struct EtcdLine {
  std::string process;  // a number, or "nemesis" / ":nemesis" (as Jepsen logs print it)
  std::string type;     // without the colon
  std::string f;
  std::string value;    // EDN text
};

Result<EtcdLine> split_line(std::string_view rest, const std::string& where) {
  if (size_t bad = first_invalid_utf8(rest); bad != std::string_view::npos)
    return fail(where + ": invalid UTF-8 (byte " + std::to_string(bad + 1) + " after \"jepsen.util - \")");
  std::istringstream fields{std::string(rest)};
  EtcdLine line;
  fields >> line.process >> line.type >> line.f;
  std::getline(fields, line.value);
  if (line.f.empty() || line.type[0] != ':' || line.f[0] != ':')
    return fail(where + ": expected \"<process> :<type> :<f> <value>\" after \"jepsen.util - \"");
  line.type.erase(0, 1);
  line.f.erase(0, 1);
  return line;
}

// A value nests one level less deep than the limit: in our JSONL it sits inside the op.
Result<Json> parse_value(const std::string& text, const std::string& source, int line_number) {
  BOOST_OUTCOME_TRY(forms, parse_edn_forms(text, source, EdnOptions{.first_line = line_number,
                                                                    .max_depth = kMaxNestingDepth - 1}));
  if (forms.size() != 1)
    return fail(source + ":" + std::to_string(line_number) + ": expected one EDN value, got \"" + excerpt(text) + "\"");
  return std::move(forms[0].value);
}

// A nemesis value only describes the fault (Jepsen prints e.g. "Cut off {:n1 #{:n2}}"), so
// one that is not a single EDN value is kept as its text rather than refused.
Json nemesis_value(const std::string& text, const std::string& source, int line_number) {
  auto value = parse_value(text, source, line_number);
  if (value) return std::move(value).value();
  const size_t start = text.find_first_not_of(" \t");
  const size_t end = text.find_last_not_of(" \t\r");
  return start == std::string::npos ? Json(nullptr) : Json(text.substr(start, end - start + 1));
}

bool is_nemesis_process(const std::string& process) { return process == "nemesis" || process == ":nemesis"; }

Result<int64_t> client_process(const std::string& text, const std::string& where) {
  int64_t process = -1;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), process);
  if (ec != std::errc() || end != text.data() + text.size() || process < 0)
    return fail(where + ": bad process \"" + excerpt(text) + "\" (a non-negative 64-bit integer or :nemesis)");
  return process;
}

// Applies Porcupine's reading of one completion line (see the header).
void apply_etcd_semantics(Op& op, const Op* invoke) {
  const bool timed_out = op.value == Json("timed-out");
  if (timed_out && invoke != nullptr) op.value = invoke->value;
  if (op.type == OpType::fail && op.f == "read" && timed_out) {
    op.type = OpType::info;
    op.value = nullptr;
  }
  if (timed_out) op.error = "timed-out";
  if (op.type == OpType::fail && op.f == "cas") op.error = "mismatch";
}

}  // namespace

Result<History> import_porcupine_etcd(std::string_view text, const std::string& source) {
  History history;
  std::unordered_map<int64_t, size_t> open_invoke;  // process -> position in history.ops
  std::istringstream lines{std::string(text)};
  std::string raw;
  for (int line_number = 1; std::getline(lines, raw); ++line_number) {
    size_t marker = raw.find(kMarker);
    if (marker == std::string::npos) continue;
    std::string where = source + ":" + std::to_string(line_number);
    BOOST_OUTCOME_TRY(line, split_line(std::string_view(raw).substr(marker + kMarker.size()), where));
    Op op;
    op.index = static_cast<int64_t>(history.ops.size());
    op.time_ns = op.index;  // the logs have no timestamps; line order is the time
    auto type = op_type_from_string(line.type);
    if (!type) return fail(where + ": unknown type :" + excerpt(line.type));
    op.type = *type;
    op.f = line.f;
    if (is_nemesis_process(line.process)) {
      op.process = kNemesisProcess;
      op.value = nemesis_value(line.value, source, line_number);
      history.ops.push_back(std::move(op));
      history.op_lines.push_back(line_number);
      continue;
    }
    BOOST_OUTCOME_TRY(value, parse_value(line.value, source, line_number));
    op.value = std::move(value);
    BOOST_OUTCOME_TRY(process, client_process(line.process, where));
    op.process = process;
    if (op.type == OpType::invoke) {
      open_invoke[op.process] = history.ops.size();
    } else {
      auto it = open_invoke.find(op.process);
      apply_etcd_semantics(op, it == open_invoke.end() ? nullptr : &history.ops[it->second]);
      if (it != open_invoke.end()) open_invoke.erase(it);
    }
    history.ops.push_back(std::move(op));
    history.op_lines.push_back(line_number);
  }
  if (auto retired = retire_processes_after_info(history.ops); !retired)
    return fail(source + ": " + retired.error().message);
  return history;
}

}  // namespace faultline
