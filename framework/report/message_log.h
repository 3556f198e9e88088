#pragma once
// The messages a run's simulator recorded (MessageRecord), cut to what a report draws and
// written as DIR/messages.jsonl: a header line, then one line per message copy in send order.
// Bounded: the whole run when it sent few messages, else the ones around the witness.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "framework/report/witness_focus.h"
#include "framework/simulator.h"

namespace faultline::report {

inline constexpr size_t kMaxMessagesWritten = 3000;

struct MessageSelection {
  std::vector<size_t> chosen;  // positions in the log, ascending
  int64_t start_ns = 0;        // the time range they were chosen from
  int64_t end_ns = 0;
  bool whole_run = false;
  bool near_witness = false;  // chosen by the focus's window (else the whole run or the first `limit`)
};

// Every message when there are at most `limit`; else those sent or ended within the focus
// (widened by half its length and at least 50 ms each side), nearest the op at fault first
// when even those are too many; with no focus, the first `limit`.
MessageSelection select_messages(const std::vector<MessageRecord>& log, const std::optional<WitnessFocus>& focus,
                                 int64_t focus_primary_ns, size_t limit = kMaxMessagesWritten);

// The JSONL text: {"faultline_messages":1,"node_count":n,"recorded":N,"written":M,"whole_run":b,
// "near_witness":b,"window_ns":[a,b]} then {"id","from","to","sent_ns","ended_ns","fate","type","duplicate","body"}
// per message (from/to: node ids below node_count, client endpoints above, -2 the operator).
std::string messages_jsonl(const std::vector<MessageRecord>& log, const MessageSelection& selection, int node_count);

std::string_view fate_name(MessageRecord::Fate fate);

}  // namespace faultline::report
