#include "histories/import_porcupine.h"

#include <sstream>
#include <unordered_map>

#include "histories/edn.h"
#include "histories/import_common.h"

namespace faultline {
namespace {

constexpr std::string_view kMarker = "jepsen.util - ";

struct EtcdLine {
  std::string process;  // a number or "nemesis"
  std::string type;     // without the colon
  std::string f;
  std::string value;    // EDN text
};

Result<EtcdLine> split_line(std::string_view rest, const std::string& where) {
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

Result<Json> parse_value(const std::string& text, const std::string& where) {
  auto forms = parse_edn_forms(text, where);
  if (!forms || forms.value().size() != 1)
    return fail(where + ": expected one EDN value, got \"" + text + "\"");
  return std::move(forms.value()[0].value);
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
    if (!type) return fail(where + ": unknown type :" + line.type);
    op.type = *type;
    op.f = line.f;
    BOOST_OUTCOME_TRY(value, parse_value(line.value, where));
    op.value = std::move(value);
    if (line.process == "nemesis") {
      op.process = kNemesisProcess;
      history.ops.push_back(std::move(op));
      continue;
    }
    char* end = nullptr;
    op.process = std::strtoll(line.process.c_str(), &end, 10);
    if (*end != '\0' || op.process < 0) return fail(where + ": bad process \"" + line.process + "\"");
    if (op.type == OpType::invoke) {
      open_invoke[op.process] = history.ops.size();
    } else {
      auto it = open_invoke.find(op.process);
      apply_etcd_semantics(op, it == open_invoke.end() ? nullptr : &history.ops[it->second]);
      if (it != open_invoke.end()) open_invoke.erase(it);
    }
    history.ops.push_back(std::move(op));
  }
  retire_processes_after_info(history.ops);
  return history;
}

}  // namespace faultline
