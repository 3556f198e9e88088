// The JSONL reader under hostile input (issue 9): every bound of histories/input_limits.h
// gives one error naming file:line, never a crash, a silent truncation or a wrong value.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "histories/input_file.h"
#include "histories/json_input.h"
#include "histories/jsonl.h"

namespace faultline {
namespace {

std::string op_line(int64_t index, const std::string& type, const std::string& value = "1") {
  return R"({"index":)" + std::to_string(index) + R"(,"time":)" + std::to_string(index) +
         R"(,"process":0,"type":")" + type + R"(","f":"write","key":"a","value":)" + value + "}";
}

Result<History> read_text(const std::string& text) {
  std::istringstream in(text);
  return read_history(in, "h.jsonl");
}

std::string error_of(const std::string& text) {
  auto history = read_text(text);
  return history ? std::string("(no error)") : history.error().message;
}

std::string nested(int depth) { return std::string(depth, '[') + std::string(depth, ']'); }

std::string temp_path(const std::string& name) {
  return (std::filesystem::path(::testing::TempDir()) / (name + "-" + std::to_string(getpid()))).string();
}

TEST(InputLimits, DeepNestingIsAnErrorNotAStackOverflow) {
  // Issue 9, defect 1: 100,000 levels crashed `check` (nlohmann copies values recursively).
  EXPECT_EQ(error_of(op_line(0, "invoke", nested(100000)) + "\n"), "h.jsonl:1: nested deeper than 256 levels");
  EXPECT_EQ(error_of(R"({"faultline":1,"x":)" + nested(100000) + "}\n"), "h.jsonl:1: nested deeper than 256 levels");
  // The op object is one level: a value may nest 255 more.
  EXPECT_TRUE(read_text(op_line(0, "invoke", nested(255)) + "\n"));
  EXPECT_FALSE(read_text(op_line(0, "invoke", nested(256)) + "\n"));
}

TEST(InputLimits, IntegersBeyond64BitsAreRefusedNotRounded) {
  // Issue 9, defect 3: nlohmann reads them as doubles, so 2^64 and 2^64+1 compare equal.
  EXPECT_EQ(error_of(op_line(0, "invoke", "18446744073709551617") + "\n"),
            "h.jsonl:1: the integer 18446744073709551617 is beyond the 64-bit range (-2^63 .. 2^64-1)");
  EXPECT_NE(error_of(op_line(0, "invoke", "-9223372036854775809") + "\n").find("beyond the 64-bit range"),
            std::string::npos);
  auto exact = read_text(op_line(0, "invoke", "18446744073709551615") + "\n" +
                         op_line(1, "invoke", "18446744073709551614") + "\n");
  ASSERT_TRUE(exact) << exact.error().message;
  EXPECT_NE(exact.value().ops[0].value, exact.value().ops[1].value);
  EXPECT_EQ(exact.value().ops[0].value.get<uint64_t>(), 18446744073709551615u);
}

TEST(InputLimits, IndexOrTimeBeyondInt64IsAnError) {
  const std::string line = R"({"index":18446744073709551615,"time":0,"process":0,"type":"invoke","f":"read"})";
  EXPECT_EQ(error_of(line + "\n"), "h.jsonl:1: \"index\" is beyond the 64-bit signed range");
}

TEST(InputLimits, NulByteInALineIsAnError) {
  // Issue 9, defect 16: nlohmann stops at a NUL, so the rest of the line was ignored.
  const std::string line = op_line(0, "invoke") + std::string(1, '\0') + "garbage";
  EXPECT_EQ(error_of(line + "\n"),
            "h.jsonl:1: not valid JSON (a NUL byte at byte " + std::to_string(op_line(0, "invoke").size() + 1) + ")");
}

TEST(InputLimits, DuplicateIndexNamesBothLines) {
  // Issue 9, defect 16: a witness naming "#5..#5" for every op is ambiguous.
  const std::string text = op_line(0, "invoke") + "\n" + op_line(1, "ok") + "\n\n" + op_line(0, "invoke") + "\n";
  EXPECT_EQ(error_of(text), "h.jsonl:4: op index 0 is already used at h.jsonl:1");
}

TEST(InputLimits, HeaderWithANestedTypeKeyKeepsLineNumbers) {
  // Issue 9, defect 15: the CLI found the header by looking for the text "type".
  auto history = read_text("{\"faultline\":1,\"meta\":{\"type\":\"etcd\"}}\n" + op_line(0, "invoke") + "\n\n" +
                           op_line(1, "ok") + "\n");
  ASSERT_TRUE(history) << history.error().message;
  ASSERT_TRUE(history.value().header.has_value());
  EXPECT_EQ(history.value().op_lines, (std::vector<int64_t>{2, 4}));
  EXPECT_EQ(op_location(history.value(), "h.jsonl", 1), "h.jsonl:4");
  EXPECT_EQ(op_location(history.value(), "h.jsonl", 7), "h.jsonl:?");
}

TEST(InputLimits, QuotedInputInAnErrorIsCapped) {
  // Issue 9, defect 15: an error line once echoed 200 KB of input.
  const std::string type(300000, 'x');
  const std::string message = error_of(R"({"index":0,"time":0,"process":0,"type":")" + type + R"(","f":"w"})" + "\n");
  EXPECT_LT(message.size(), 300u) << message.substr(0, 300);
  EXPECT_NE(message.find("unknown type \"xxx"), std::string::npos);
  EXPECT_NE(message.find("...\""), std::string::npos);
}

TEST(InputLimits, ExcerptCutsAtACharacterBoundary) {
  std::string text(199, 'a');
  text += "\xc3\xa9\xc3\xa9";  // é at bytes 199-200: cutting at 200 would split it
  EXPECT_EQ(excerpt(text), std::string(199, 'a') + "...");
  EXPECT_EQ(excerpt("short"), "short");
}

TEST(InputLimits, Utf8Validation) {
  EXPECT_EQ(first_invalid_utf8("plain \xc3\xa9 \xf0\x9f\x98\x80"), std::string::npos);
  EXPECT_EQ(first_invalid_utf8("ab\xff"), 2u);
  EXPECT_EQ(first_invalid_utf8("\xc0\xaf"), 0u);      // overlong '/'
  EXPECT_EQ(first_invalid_utf8("\xed\xa0\x80"), 0u);  // a surrogate
  EXPECT_EQ(first_invalid_utf8("x\xe2\x82"), 1u);     // cut short
}

TEST(InputLimits, DirectoryAndDeviceAreRefusedNotReadAsEmpty) {
  // Issue 9, defect 5: a directory read as a history passed as "valid: 0 client ops".
  const std::string dir = temp_path("history-dir");
  std::filesystem::create_directories(dir);
  auto from_dir = read_history_file(dir);
  ASSERT_FALSE(from_dir);
  EXPECT_EQ(from_dir.error().message, dir + ": is a directory, not a file");
  auto from_device = read_history_file("/dev/zero");
  ASSERT_FALSE(from_device);
  EXPECT_NE(from_device.error().message.find("/dev/zero: is a device"), std::string::npos);
  EXPECT_FALSE(read_text_file(dir));
}

TEST(InputLimits, FifoIsReadLikeAFile) {
  const std::string fifo = temp_path("history.fifo");
  std::filesystem::remove(fifo);
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  std::thread writer([&] { std::ofstream(fifo) << op_line(0, "invoke") << "\n" << op_line(1, "ok") << "\n"; });
  auto history = read_history_file(fifo);
  writer.join();
  ASSERT_TRUE(history) << history.error().message;
  EXPECT_EQ(history.value().ops.size(), 2u);
}

// A stream whose underlying read fails (EIO, EISDIR): istream sets badbit.
class FailingBuffer : public std::streambuf {
 protected:
  int_type underflow() override { throw std::ios_base::failure("read(2) failed"); }
};

TEST(InputLimits, ReadErrorIsAnErrorNotEndOfFile) {
  FailingBuffer buffer;
  std::istream in(&buffer);
  auto history = read_history(in, "h.jsonl");
  ASSERT_FALSE(history);
  EXPECT_EQ(history.error().message, "h.jsonl:1: read error");
}

TEST(InputLimits, LineLongerThanTheLimitIsAnError) {
  std::istringstream in("short\n" + std::string(3 << 20, 'x') + "\n");
  LineReader lines(in, "h.jsonl", size_t{1} << 20);
  std::string line;
  auto first = lines.next(line);
  ASSERT_TRUE(first && first.value());
  EXPECT_EQ(line, "short");
  auto second = lines.next(line);
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().message, "h.jsonl:2: a line longer than 1 MiB");
}

TEST(InputLimits, LastLineWithoutNewlineIsRead) {
  std::istringstream in("a\r\nb");
  LineReader lines(in, "h");
  std::string line;
  ASSERT_TRUE(lines.next(line).value());
  EXPECT_EQ(line, "a\r");
  ASSERT_TRUE(lines.next(line).value());
  EXPECT_EQ(line, "b");
  EXPECT_FALSE(lines.next(line).value());
  EXPECT_EQ(lines.line_number(), 2);
}

std::string many_ops(int count) {
  std::string text;
  for (int i = 0; i < count; ++i) text += op_line(i, i % 2 == 0 ? "invoke" : "ok") + "\n";
  return text;
}

TEST(InputLimits, MemoryBudgetStopsReadingAndSaysWhere) {
  // Issue 9, defect 14: the memory cap counts the parsed history.
  std::istringstream in(many_ops(4000));
  auto read = read_history_within(in, "h.jsonl", ReadBudget{.memory_limit_bytes = 100 << 10});
  ASSERT_TRUE(read) << read.error().message;
  EXPECT_EQ(read.value().stopped_by, BudgetedRead::Stop::memory_limit);
  EXPECT_GT(read.value().stopped_at_line, 100);
  EXPECT_LT(read.value().stopped_at_line, 4000);
  EXPECT_LE(approximate_memory_bytes(read.value().history), size_t{100} << 10);
}

TEST(InputLimits, DeadlineStopsReading) {
  std::istringstream in(many_ops(3000));
  auto read = read_history_within(in, "h.jsonl",
                                  ReadBudget{.deadline = std::chrono::steady_clock::now() - std::chrono::seconds(1)});
  ASSERT_TRUE(read) << read.error().message;
  EXPECT_EQ(read.value().stopped_by, BudgetedRead::Stop::time_limit);
  EXPECT_EQ(read.value().history.ops.size(), 0u);  // the clock is read at op 0, 1024, 2048, ...
  EXPECT_EQ(read.value().stopped_at_line, 1);
}

TEST(InputLimits, NoBudgetReadsEverything) {
  std::istringstream in(many_ops(3000));
  auto read = read_history_within(in, "h.jsonl", ReadBudget{});
  ASSERT_TRUE(read);
  EXPECT_EQ(read.value().stopped_by, BudgetedRead::Stop::none);
  EXPECT_EQ(read.value().history.ops.size(), 3000u);
}

TEST(WriteHistoryFile, WritesWholeAndLeavesNoTemporaryFile) {
  const std::string dir = temp_path("write-history");
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  auto history = read_text(many_ops(4));
  ASSERT_TRUE(history);
  ASSERT_TRUE(write_history_file(dir + "/out.jsonl", history.value()));
  auto back = read_history_file(dir + "/out.jsonl");
  ASSERT_TRUE(back);
  EXPECT_EQ(back.value().ops, history.value().ops);
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir), std::filesystem::directory_iterator()), 1);
}

TEST(WriteHistoryFile, FailedWriteIsAnErrorAndLeavesNothing) {
  auto history = read_text(many_ops(4));
  ASSERT_TRUE(history);
  auto full = write_history_file("/dev/full", history.value());
  ASSERT_FALSE(full);
  EXPECT_EQ(full.error().message, "/dev/full: cannot write: No space left on device");
  struct stat status {};
  ASSERT_EQ(::stat("/dev/full", &status), 0);
  EXPECT_TRUE(S_ISCHR(status.st_mode));  // written in place, never renamed over
  const std::string missing = temp_path("no-such-dir") + "/out.jsonl";
  EXPECT_FALSE(write_history_file(missing, history.value()));
  EXPECT_FALSE(std::filesystem::exists(missing));
}

TEST(JsonInput, BoundsAndErrors) {
  EXPECT_EQ(parse_json_input("{\"a\":").error().message, "not valid JSON (syntax error at byte 6)");  // at the end
  EXPECT_EQ(parse_json_input("\"\xff\"").error().message, "not valid JSON (invalid UTF-8 at byte 2)");
  EXPECT_EQ(parse_json_input("1 2").error().message, "not valid JSON (syntax error at byte 3)");
  EXPECT_EQ(parse_json_input("[1.5e3, -0, 9223372036854775807]").value(), Json::parse("[1500.0, 0, 9223372036854775807]"));
  EXPECT_EQ(json_int64(Json(uint64_t{1} << 63)), std::nullopt);
  EXPECT_EQ(json_int64(Json(-5)), -5);
  EXPECT_EQ(json_int64(Json(1.0)), std::nullopt);
}

}  // namespace
}  // namespace faultline
