#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "histories/jsonl.h"

namespace faultline {
namespace {

Op sample_op() {
  Op op;
  op.index = 3;
  op.time_ns = 1200;
  op.process = 4;
  op.type = OpType::ok;
  op.f = "cas";
  op.key = "k1";
  op.value = Json::array({1, 2});
  op.node = 2;
  return op;
}

TEST(Jsonl, OpLineRoundTrips) {
  Op op = sample_op();
  std::string line = format_op_line(op);
  EXPECT_EQ(line,
            R"({"index":3,"time":1200,"process":4,"type":"ok","f":"cas","key":"k1","value":[1,2],"node":2})");
  auto parsed = parse_op_line(line, "x:1");
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_EQ(parsed.value(), op);
}

TEST(Jsonl, NemesisProcessIsWrittenByName) {
  Op op;
  op.process = kNemesisProcess;
  op.type = OpType::info;
  op.f = "start-partition";
  std::string line = format_op_line(op);
  EXPECT_NE(line.find(R"("process":"nemesis")"), std::string::npos);
  auto parsed = parse_op_line(line, "x:1");
  ASSERT_TRUE(parsed);
  EXPECT_TRUE(parsed.value().is_nemesis());
}

TEST(Jsonl, ReadsHeaderAndOps) {
  std::istringstream in(
      "{\"faultline\":1,\"system\":\"single\"}\n"
      "{\"index\":0,\"time\":1,\"process\":0,\"type\":\"invoke\",\"f\":\"read\",\"key\":\"a\",\"value\":null}\n"
      "\n"
      "{\"index\":1,\"time\":2,\"process\":0,\"type\":\"ok\",\"f\":\"read\",\"key\":\"a\",\"value\":3}\n");
  auto history = read_history(in, "h.jsonl");
  ASSERT_TRUE(history) << history.error().message;
  ASSERT_TRUE(history.value().header.has_value());
  EXPECT_EQ((*history.value().header)["system"], "single");
  ASSERT_EQ(history.value().ops.size(), 2u);
  EXPECT_EQ(history.value().ops[1].value, 3);
}

TEST(Jsonl, HeaderIsOptional) {
  std::istringstream in("{\"index\":0,\"time\":1,\"process\":0,\"type\":\"invoke\",\"f\":\"read\",\"value\":null}\n");
  auto history = read_history(in, "h.jsonl");
  ASSERT_TRUE(history);
  EXPECT_FALSE(history.value().header.has_value());
  EXPECT_EQ(history.value().ops.size(), 1u);
}

// Each malformed line is reported as file:line with what is wrong.
struct BadLine {
  std::string text;
  std::string expected_error;
};

class JsonlErrors : public ::testing::TestWithParam<BadLine> {};

TEST_P(JsonlErrors, NameFileAndLine) {
  std::string good = "{\"index\":0,\"time\":1,\"process\":0,\"type\":\"invoke\",\"f\":\"read\",\"value\":null}\n";
  std::istringstream in(good + good + GetParam().text + "\n" + good);
  auto history = read_history(in, "bad.jsonl");
  ASSERT_FALSE(history);
  EXPECT_EQ(history.error().message, GetParam().expected_error);
}

INSTANTIATE_TEST_SUITE_P(
    Malformed, JsonlErrors,
    ::testing::Values(
        BadLine{"{\"index\":2,", "bad.jsonl:3: not valid JSON (syntax error at byte 12)"},
        BadLine{"[1,2]", "bad.jsonl:3: not a JSON object"},
        BadLine{"{\"index\":2,\"time\":1,\"process\":0,\"f\":\"read\"}",
                "bad.jsonl:3: missing \"type\" (a header is only allowed on the first line)"},
        BadLine{"{\"index\":2,\"time\":1,\"process\":0,\"type\":\"done\",\"f\":\"read\"}",
                "bad.jsonl:3: unknown type \"done\""},
        BadLine{"{\"index\":2,\"time\":1,\"process\":-4,\"type\":\"ok\",\"f\":\"read\"}",
                "bad.jsonl:3: \"process\" must be a non-negative 64-bit integer or \"nemesis\""},
        BadLine{"{\"index\":2,\"time\":\"x\",\"process\":0,\"type\":\"ok\",\"f\":\"read\"}",
                "bad.jsonl:3: \"time\" is not an integer"},
        BadLine{"{\"index\":2,\"time\":1,\"process\":0,\"type\":\"ok\",\"f\":\"read\",\"key\":5}",
                "bad.jsonl:3: \"key\" is not a string"},
        BadLine{"{\"faultline\":1,\"system\":\"single\"}",
                "bad.jsonl:3: missing \"type\" (a header is only allowed on the first line)"}));

TEST(Jsonl, MissingFileIsAnError) {
  auto history = read_history_file("/nonexistent/history.jsonl");
  ASSERT_FALSE(history);
  EXPECT_EQ(history.error().message, "/nonexistent/history.jsonl: cannot open (No such file or directory)");
}

TEST(Jsonl, FileSinkFlushesEachLine) {
  std::string path = ::testing::TempDir() + "/sink.jsonl";
  auto sink = FileSink::open(path);
  ASSERT_TRUE(sink);
  sink.value()->write_line("first");
  // Read while the sink is still open: the line must already be on disk.
  auto history_text = [&] {
    std::ifstream in(path);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  };
  EXPECT_EQ(history_text(), "first\n");
}

}  // namespace
}  // namespace faultline
