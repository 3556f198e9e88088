#include "histories/jsonl.h"

#include <sys/stat.h>

#include <algorithm>
#include <fstream>
#include <istream>

#include "base/files.h"
#include "base/json_text.h"
#include "histories/input_file.h"
#include "histories/json_input.h"

namespace faultline {

std::string_view to_string(OpType type) {
  switch (type) {
    case OpType::invoke: return "invoke";
    case OpType::ok: return "ok";
    case OpType::fail: return "fail";
    case OpType::info: return "info";
  }
  return "?";
}

std::optional<OpType> op_type_from_string(std::string_view text) {
  if (text == "invoke") return OpType::invoke;
  if (text == "ok") return OpType::ok;
  if (text == "fail") return OpType::fail;
  if (text == "info") return OpType::info;
  return std::nullopt;
}

std::string format_op_line(const Op& op) {
  std::string line;
  line.reserve(128);
  line += "{\"index\":";
  append_integer(line, op.index);
  line += ",\"time\":";
  append_integer(line, op.time_ns);
  line += ",\"process\":";
  if (op.is_nemesis()) line += "\"nemesis\"";
  else append_integer(line, op.process);
  line += ",\"type\":\"";
  line += to_string(op.type);
  line += "\",\"f\":";
  append_json_string(line, op.f);
  if (op.key) {
    line += ",\"key\":";
    append_json_string(line, *op.key);
  }
  line += ",\"value\":";
  append_json(line, op.value);
  if (op.node) {
    line += ",\"node\":";
    append_integer(line, *op.node);
  }
  if (op.role) {
    line += ",\"role\":";
    append_json_string(line, *op.role);
  }
  if (op.error) {
    line += ",\"error\":";
    append_json_string(line, *op.error);
  }
  if (op.final) line += ",\"final\":true";
  line += '}';
  return line;
}

std::string format_header_line(const Json& header) { return header.dump(); }

namespace {

Result<int64_t> integer_field(const Json& object, const char* name, const std::string& where) {
  auto it = object.find(name);
  if (it == object.end()) return fail(where + ": missing \"" + name + "\"");
  if (!it->is_number_integer()) return fail(where + ": \"" + name + "\" is not an integer");
  auto value = json_int64(*it);
  if (!value) return fail(where + ": \"" + name + "\" is beyond the 64-bit signed range");
  return *value;
}

Result<int64_t> process_field(const Json& object, const std::string& where) {
  auto it = object.find("process");
  if (it == object.end()) return fail(where + ": missing \"process\"");
  if (it->is_string() && it->get<std::string>() == "nemesis") return kNemesisProcess;
  auto process = json_int64(*it);
  if (!process || *process < 0)
    return fail(where + ": \"process\" must be a non-negative 64-bit integer or \"nemesis\"");
  return *process;
}

Result<void> read_optional_fields(const Json& object, Op& op, const std::string& where) {
  if (auto it = object.find("key"); it != object.end() && !it->is_null()) {
    if (!it->is_string()) return fail(where + ": \"key\" is not a string");
    op.key = it->get<std::string>();
  }
  if (auto it = object.find("value"); it != object.end()) op.value = *it;
  if (auto it = object.find("node"); it != object.end() && !it->is_null()) {
    auto node = json_int64(*it);
    if (!node) return fail(where + ": \"node\" is not a 64-bit integer");
    op.node = *node;
  }
  if (auto it = object.find("role"); it != object.end() && !it->is_null()) {
    if (!it->is_string()) return fail(where + ": \"role\" is not a string");
    op.role = it->get<std::string>();
  }
  if (auto it = object.find("error"); it != object.end() && !it->is_null()) {
    op.error = it->is_string() ? it->get<std::string>() : it->dump();
  }
  if (auto it = object.find("final"); it != object.end() && !it->is_null()) {
    if (!it->is_boolean()) return fail(where + ": \"final\" is not true or false");
    op.final = it->get<bool>();
  }
  return outcome::success();
}

Result<Json> parse_line_json(std::string_view line, const std::string& where) {
  auto parsed = parse_json_input(line);
  if (!parsed) return fail(where + ": " + parsed.error().message);
  return std::move(parsed).value();
}

Result<Op> op_from_json(const Json& object, const std::string& where) {
  if (!object.is_object()) return fail(where + ": not a JSON object");
  Op op;
  auto type_it = object.find("type");
  if (type_it == object.end() || !type_it->is_string())
    return fail(where + ": missing \"type\" (a header is only allowed on the first line)");
  auto type = op_type_from_string(type_it->get<std::string>());
  if (!type) return fail(where + ": unknown type \"" + excerpt(type_it->get<std::string>()) + "\"");
  op.type = *type;
  auto f_it = object.find("f");
  if (f_it == object.end() || !f_it->is_string()) return fail(where + ": missing \"f\"");
  op.f = f_it->get<std::string>();
  BOOST_OUTCOME_TRY(index, integer_field(object, "index", where));
  BOOST_OUTCOME_TRY(time_ns, integer_field(object, "time", where));
  BOOST_OUTCOME_TRY(process, process_field(object, where));
  op.index = index;
  op.time_ns = time_ns;
  op.process = process;
  BOOST_OUTCOME_TRYV(read_optional_fields(object, op, where));
  return op;
}

bool is_blank(const std::string& line) {
  return line.find_first_not_of(" \t\r") == std::string::npos;
}

bool is_header(const Json& object) {
  return object.is_object() && !object.contains("type") && object.contains("faultline");
}

// Reading is checked against the clock every this many ops: cheap, and a fraction of a
// millisecond apart.
constexpr size_t kDeadlineCheckInterval = 1024;

// The bytes of the op vectors while one more op is added: when they must grow, the old and
// the new buffers are both held for a moment (libstdc++ doubles the capacity).
size_t vector_bytes_to_add_one(const History& history) {
  const size_t per_op = sizeof(Op) + sizeof(int64_t);
  const size_t capacity = std::max(history.ops.capacity(), history.op_lines.capacity());
  if (history.ops.size() < capacity) return capacity * per_op;
  return (capacity + std::max<size_t>(1, 2 * capacity)) * per_op;
}

BudgetedRead::Stop budget_reached(const ReadBudget& budget, size_t history_bytes, size_t ops) {
  if (history_bytes > budget.memory_limit_bytes) return BudgetedRead::Stop::memory_limit;
  if (budget.deadline && ops % kDeadlineCheckInterval == 0 && std::chrono::steady_clock::now() > *budget.deadline)
    return BudgetedRead::Stop::time_limit;
  return BudgetedRead::Stop::none;
}

}  // namespace

Result<Op> parse_op_line(const std::string& line, const std::string& where) {
  BOOST_OUTCOME_TRY(object, parse_line_json(line, where));
  return op_from_json(object, where);
}

Result<BudgetedRead> read_history_within(std::istream& in, const std::string& source_name,
                                         const ReadBudget& budget) {
  BudgetedRead read;
  History& history = read.history;
  LineReader lines(in, source_name);
  std::string line;
  bool seen_content = false;
  size_t heap_bytes = 0;  // of the ops' strings and values (the vectors are counted by capacity)
  while (true) {
    BOOST_OUTCOME_TRY(more, lines.next(line));
    if (!more) break;
    if (is_blank(line)) continue;
    const std::string where = source_name + ":" + std::to_string(lines.line_number());
    BOOST_OUTCOME_TRY(object, parse_line_json(line, where));
    if (!seen_content && is_header(object)) {
      heap_bytes += approximate_memory_bytes(object);
      history.header = std::move(object);
      seen_content = true;
      continue;
    }
    seen_content = true;
    BOOST_OUTCOME_TRY(op, op_from_json(object, where));
    heap_bytes += approximate_memory_bytes(op) - sizeof(Op);
    read.stopped_by = budget_reached(budget, heap_bytes + vector_bytes_to_add_one(history), history.ops.size());
    if (read.stopped_by != BudgetedRead::Stop::none) {
      read.stopped_at_line = lines.line_number();
      break;
    }
    history.ops.push_back(std::move(op));
    history.op_lines.push_back(lines.line_number());
  }
  BOOST_OUTCOME_TRYV(require_unique_op_indexes(history, source_name));
  return read;
}

Result<BudgetedRead> read_history_file_within(const std::string& path, const ReadBudget& budget) {
  BOOST_OUTCOME_TRYV(require_readable_input(path));
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail(path + ": cannot open");
  return read_history_within(in, path, budget);
}

Result<History> read_history(std::istream& in, const std::string& source_name) {
  BOOST_OUTCOME_TRY(read, read_history_within(in, source_name, ReadBudget{}));
  return std::move(read.history);
}

Result<History> read_history_file(const std::string& path) {
  BOOST_OUTCOME_TRY(read, read_history_file_within(path, ReadBudget{}));
  return std::move(read.history);
}

// One writer of whole files for the project (base/files.h): a temporary renamed into place,
// every write checked, so a full disk leaves no shorter history that would check as valid.
Result<void> write_history_file(const std::string& path, const History& history) {
  std::string text;
  if (history.header) text += format_header_line(*history.header) + "\n";
  for (const Op& op : history.ops) text += format_op_line(op) + "\n";
  return write_file_atomically(path, text);
}

void MemorySink::write_line(const std::string& line) {
  text_ += line;
  text_ += '\n';
}

Result<std::unique_ptr<FileSink>> FileSink::open(const std::string& path) {
  std::FILE* file = std::fopen(path.c_str(), "w");
  if (file == nullptr) return fail(io_error(path, "cannot open for writing"));
  return std::unique_ptr<FileSink>(new FileSink(file, path));
}

FileSink::~FileSink() {
  if (file_ != nullptr) std::fclose(file_);
}

void FileSink::note_error(const char* what) {
  if (!error_) error_ = io_error(path_, what);
}

void FileSink::write_line(const std::string& line) {
  if (error_ || file_ == nullptr) return;  // a torn line must not be followed by more lines
  if (std::fwrite(line.data(), 1, line.size(), file_) != line.size() || std::fputc('\n', file_) == EOF ||
      std::fflush(file_) != 0)  // flushed: a crashed run keeps every line it recorded
    note_error("cannot write");
}

Result<void> FileSink::close(Durability durability) {
  if (file_ != nullptr) {
    if (std::fflush(file_) != 0) note_error("cannot write");
    struct stat status {};
    bool regular = ::fstat(::fileno(file_), &status) == 0 && S_ISREG(status.st_mode);
    if (!error_ && regular && durability == Durability::survives_power_loss && ::fsync(::fileno(file_)) != 0)
      note_error("cannot sync");
    if (std::fclose(file_) != 0) note_error("cannot write");
    file_ = nullptr;
  }
  if (error_) return fail(*error_);
  return outcome::success();
}

void TeeSink::write_line(const std::string& line) {
  first_.write_line(line);
  second_.write_line(line);
}

}  // namespace faultline
