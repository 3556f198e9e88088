#include "histories/jsonl.h"

#include <sys/stat.h>

#include <fstream>
#include <istream>

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
  line.reserve(96);
  line += "{\"index\":" + std::to_string(op.index);
  line += ",\"time\":" + std::to_string(op.time_ns);
  line += op.is_nemesis() ? std::string(",\"process\":\"nemesis\"")
                          : ",\"process\":" + std::to_string(op.process);
  line += ",\"type\":\"";
  line += to_string(op.type);
  line += "\",\"f\":" + Json(op.f).dump();
  if (op.key) line += ",\"key\":" + Json(*op.key).dump();
  line += ",\"value\":" + op.value.dump();
  if (op.node) line += ",\"node\":" + std::to_string(*op.node);
  if (op.role) line += ",\"role\":" + Json(*op.role).dump();
  if (op.error) line += ",\"error\":" + Json(*op.error).dump();
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
  return it->get<int64_t>();
}

Result<int64_t> process_field(const Json& object, const std::string& where) {
  auto it = object.find("process");
  if (it == object.end()) return fail(where + ": missing \"process\"");
  if (it->is_string() && it->get<std::string>() == "nemesis") return kNemesisProcess;
  if (!it->is_number_integer() || it->get<int64_t>() < 0)
    return fail(where + ": \"process\" must be a non-negative integer or \"nemesis\"");
  return it->get<int64_t>();
}

Result<void> read_optional_fields(const Json& object, Op& op, const std::string& where) {
  if (auto it = object.find("key"); it != object.end() && !it->is_null()) {
    if (!it->is_string()) return fail(where + ": \"key\" is not a string");
    op.key = it->get<std::string>();
  }
  if (auto it = object.find("value"); it != object.end()) op.value = *it;
  if (auto it = object.find("node"); it != object.end() && !it->is_null()) {
    if (!it->is_number_integer()) return fail(where + ": \"node\" is not an integer");
    op.node = it->get<int64_t>();
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

}  // namespace

Result<Op> parse_op_line(const std::string& line, const std::string& where) {
  Json object = Json::parse(line, nullptr, /*allow_exceptions=*/false);
  if (object.is_discarded()) return fail(where + ": not valid JSON");
  if (!object.is_object()) return fail(where + ": not a JSON object");
  Op op;
  auto type_it = object.find("type");
  if (type_it == object.end() || !type_it->is_string())
    return fail(where + ": missing \"type\" (a header is only allowed on the first line)");
  auto type = op_type_from_string(type_it->get<std::string>());
  if (!type) return fail(where + ": unknown type \"" + type_it->get<std::string>() + "\"");
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

namespace {

bool is_blank(const std::string& line) {
  return line.find_first_not_of(" \t\r") == std::string::npos;
}

bool looks_like_header(const std::string& line) {
  Json object = Json::parse(line, nullptr, false);
  return object.is_object() && !object.contains("type") && object.contains("faultline");
}

}  // namespace

Result<History> read_history(std::istream& in, const std::string& source_name) {
  History history;
  std::string line;
  int64_t line_number = 0;
  bool seen_content = false;
  while (std::getline(in, line)) {
    ++line_number;
    if (is_blank(line)) continue;
    std::string where = source_name + ":" + std::to_string(line_number);
    if (!seen_content && looks_like_header(line)) {
      history.header = Json::parse(line);
      seen_content = true;
      continue;
    }
    seen_content = true;
    BOOST_OUTCOME_TRY(op, parse_op_line(line, where));
    history.ops.push_back(std::move(op));
  }
  return history;
}

Result<History> read_history_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) return fail(path + ": cannot open");
  return read_history(in, path);
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
