#include "framework/report/message_log.h"

#include <algorithm>
#include <cstdlib>

#include "base/assert.h"

namespace faultline::report {

namespace {

constexpr int64_t kMinimumMarginNs = 50'000'000;
constexpr size_t kMaxBodyChars = 600;

int64_t end_of(const MessageRecord& record, int64_t last_ns) { return record.ended_ns < 0 ? last_ns : record.ended_ns; }

// The message's JSON and its type ({"type": ...} for variant messages, framework/message.h).
Json body_of(const MessageRecord& record, std::string& type) {
  Json body = record.message ? record.message->to_json() : Json();
  type = body.is_object() && body.contains("type") && body["type"].is_string() ? body["type"].get<std::string>()
                                                                                 : "message";
  std::string text = body.dump();
  if (text.size() <= kMaxBodyChars) return body;
  return {{"type", type}, {"truncated", text.substr(0, kMaxBodyChars) + "..."}};
}

}  // namespace

std::string_view fate_name(MessageRecord::Fate fate) {
  switch (fate) {
    case MessageRecord::Fate::in_flight: return "in_flight";
    case MessageRecord::Fate::delivered: return "delivered";
    case MessageRecord::Fate::dropped_cut: return "dropped_cut";
    case MessageRecord::Fate::dropped_loss: return "dropped_loss";
    case MessageRecord::Fate::dropped_down: return "dropped_down";
  }
  return "?";
}

MessageSelection select_messages(const std::vector<MessageRecord>& log, const std::optional<WitnessFocus>& focus,
                                 int64_t focus_primary_ns, size_t limit) {
  MessageSelection selection;
  int64_t last_ns = 0;
  for (const MessageRecord& record : log) last_ns = std::max({last_ns, record.sent_ns, record.ended_ns});
  if (log.size() <= limit || !focus || focus->empty()) {
    selection.whole_run = log.size() <= limit;
    for (size_t i = 0; i < log.size() && i < limit; ++i) selection.chosen.push_back(i);
    selection.end_ns = selection.chosen.empty() ? 0 : last_ns;
    return selection;
  }
  selection.near_witness = true;
  const int64_t margin = std::max(kMinimumMarginNs, (focus->end_ns - focus->start_ns) / 2);
  selection.start_ns = focus->start_ns - margin;
  selection.end_ns = focus->end_ns + margin;
  std::vector<size_t> inside;
  for (size_t i = 0; i < log.size(); ++i)
    if (log[i].sent_ns <= selection.end_ns && end_of(log[i], last_ns) >= selection.start_ns) inside.push_back(i);
  if (inside.size() > limit) {
    // Nearest the op at fault first; ties by send order, so the choice is deterministic.
    auto distance = [&](size_t i) { return std::llabs(log[i].sent_ns - focus_primary_ns); };
    std::stable_sort(inside.begin(), inside.end(), [&](size_t a, size_t b) { return distance(a) < distance(b); });
    inside.resize(limit);
    std::sort(inside.begin(), inside.end());
    selection.start_ns = log[inside.front()].sent_ns;
    selection.end_ns = 0;
    for (size_t i : inside) {
      selection.start_ns = std::min(selection.start_ns, log[i].sent_ns);
      selection.end_ns = std::max(selection.end_ns, end_of(log[i], last_ns));
    }
  }
  selection.chosen = std::move(inside);
  return selection;
}

std::string messages_jsonl(const std::vector<MessageRecord>& log, const MessageSelection& selection, int node_count) {
  Json header = {{"faultline_messages", 1},
                 {"node_count", node_count},
                 {"recorded", log.size()},
                 {"written", selection.chosen.size()},
                 {"whole_run", selection.whole_run},
                 {"near_witness", selection.near_witness},
                 {"window_ns", {selection.start_ns, selection.end_ns}}};
  std::string text = header.dump() + "\n";
  for (size_t position : selection.chosen) {
    FAULTLINE_ASSERT(position < log.size(), "a chosen message is in the log");
    const MessageRecord& record = log[position];
    std::string type;
    Json body = body_of(record, type);
    Json line = {{"id", position},
                 {"from", record.from},
                 {"to", record.to},
                 {"sent_ns", record.sent_ns},
                 {"ended_ns", record.ended_ns < 0 ? Json() : Json(record.ended_ns)},
                 {"fate", fate_name(record.fate)},
                 {"type", type},
                 {"duplicate", record.duplicate},
                 {"body", std::move(body)}};
    text += line.dump() + "\n";
  }
  return text;
}

}  // namespace faultline::report
