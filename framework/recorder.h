#pragma once
// Records a run's history: numbers each op, keeps it in memory for the checkers and writes
// it to the sink at once (a crash of the harness keeps every line written so far).
#include "histories/history.h"
#include "histories/jsonl.h"

namespace faultline {

class Recorder {
 public:
  Recorder(LineSink& sink, Json header) : sink_(sink) {
    sink_.write_line(format_header_line(header));
    history_.header = std::move(header);
  }
  int64_t record(Op op) {
    op.index = static_cast<int64_t>(history_.ops.size());
    sink_.write_line(format_op_line(op));
    history_.ops.push_back(std::move(op));
    return history_.ops.back().index;
  }
  const History& history() const { return history_; }
  History take_history() { return std::move(history_); }

 private:
  LineSink& sink_;
  History history_;
};

}  // namespace faultline
