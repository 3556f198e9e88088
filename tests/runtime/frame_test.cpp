// The real runtime's framing (framework/runtime/frame.h): frames survive any split of the
// byte stream, and a stream that lost its framing (a length over the limit, text that is not
// a frame) is refused once and for good, with a line that says what was wrong.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <vector>

#include "framework/runtime/frame.h"
#include "histories/json_input.h"

namespace faultline::runtime {
namespace {

std::string bytes_of(const Frame& frame) {
  auto encoded = encode_frame(frame);
  EXPECT_TRUE(encoded) << (encoded ? "" : encoded.error().message);
  return encoded ? encoded.value() : std::string();
}

// Every frame the reader gives until it needs more bytes; an error fails the test.
std::vector<Frame> drain(FrameReader& reader) {
  std::vector<Frame> frames;
  while (true) {
    auto next = reader.next();
    EXPECT_TRUE(next) << (next ? "" : next.error().message);
    if (!next || !next.value()) return frames;
    frames.push_back(*next.value());
  }
}

std::string header_claiming(size_t length) {
  return {static_cast<char>(length >> 24), static_cast<char>((length >> 16) & 0xff),
          static_cast<char>((length >> 8) & 0xff), static_cast<char>(length & 0xff)};
}

const Frame kVote{.from = 1, .to = 2, .msg = {{"type", "vote"}, {"term", 3}, {"last_index", 10}}};
const Frame kReply{.from = 0, .to = 17, .msg = {{"type", "reply"}, {"seq", 4}, {"value", nullptr}}};

TEST(Frame, TwoFramesInOneReadComeOutInOrder) {
  FrameReader reader;
  reader.feed(bytes_of(kVote) + bytes_of(kReply));
  EXPECT_EQ(drain(reader), (std::vector<Frame>{kVote, kReply}));
  EXPECT_EQ(reader.buffered_bytes(), 0u);
}

TEST(Frame, AFrameFedOneByteAtATimeComesOutOnceWhole) {
  FrameReader reader;
  const std::string bytes = bytes_of(kVote);
  for (size_t i = 0; i + 1 < bytes.size(); ++i) {
    reader.feed(bytes.substr(i, 1));
    EXPECT_TRUE(drain(reader).empty()) << "a frame came out after " << i + 1 << " of " << bytes.size() << " bytes";
  }
  reader.feed(bytes.substr(bytes.size() - 1));
  EXPECT_EQ(drain(reader), std::vector<Frame>{kVote});
}

// Reads that end mid-frame, as under load, so the reader is never empty: what it holds stays
// within a few frames, not everything the connection ever carried.
TEST(Frame, TheReaderHoldsAboutWhatItHasNotReadYet) {
  const std::string bytes = bytes_of(kVote);
  std::string stream;
  for (int i = 0; i < 2000; ++i) stream += bytes;
  const size_t piece = bytes.size() + bytes.size() / 2;
  FrameReader reader;
  size_t frames = 0;
  size_t most_held = 0;
  for (size_t at = 0; at < stream.size(); at += piece) {
    reader.feed(std::string_view(stream).substr(at, piece));
    frames += drain(reader).size();
    most_held = std::max(most_held, reader.held_bytes());
  }
  EXPECT_EQ(frames, 2000u);
  EXPECT_LE(most_held, 4 * bytes.size());
}

TEST(Frame, ALengthOverTheLimitIsRefusedBeforeItsBytesArriveAndForGood) {
  FrameReader reader;
  reader.feed(header_claiming(kMaxFrameBytes + 1));
  auto next = reader.next();
  ASSERT_FALSE(next);
  EXPECT_EQ(next.error().message, "a frame of 16777217 bytes exceeds the limit of 16777216");
  reader.feed(bytes_of(kVote));
  EXPECT_FALSE(reader.next()) << "after an error the stream has no framing left";
}

TEST(Frame, TextThatIsNotAFrameIsRefusedWithWhatIsWrong) {
  auto refusal = [](const std::string& text) {
    FrameReader reader;
    reader.feed(header_claiming(text.size()) + text);
    auto next = reader.next();
    return next ? std::string("accepted") : next.error().message;
  };
  EXPECT_EQ(refusal("{\"from\":1,"), "a frame that is not JSON: " + parse_json_input("{\"from\":1,").error().message);
  EXPECT_EQ(refusal("[1,2]"), "a frame without \"msg\": [1,2]");
  EXPECT_EQ(refusal(R"({"from":-1,"to":2,"msg":{}})"),
            R"(a frame whose "from" or "to" is not an endpoint id: {"from":-1,"msg":{},"to":2})");
  EXPECT_EQ(refusal(R"({"from":1.5,"to":2,"msg":{}})"),
            R"(a frame whose "from" or "to" is not an endpoint id: {"from":1.5,"msg":{},"to":2})");
  EXPECT_EQ(refusal(R"({"from":1,"to":2,"msg":{}})"), "accepted");
}

TEST(Frame, AMessageTheWireCannotCarryIsAnErrorAtTheSender) {
  const auto invalid_utf8 = encode_frame(Frame{.from = 0, .to = 1, .msg = {{"key", "\xff"}}});
  ASSERT_FALSE(invalid_utf8);
  EXPECT_NE(invalid_utf8.error().message.find("a message the wire cannot carry"), std::string::npos);
  const auto too_big = encode_frame(Frame{.from = 0, .to = 1, .msg = std::string(kMaxFrameBytes, 'x')});
  ASSERT_FALSE(too_big);
  EXPECT_NE(too_big.error().message.find("exceeds the limit of 16777216"), std::string::npos);
}

// Whatever the frames and wherever the stream is cut, the frames come out as they went in.
RC_GTEST_PROP(Frame, AnySplitOfAnyFramesGivesThemBack, ()) {
  const auto count = *rc::gen::inRange(1, 6);
  std::vector<Frame> frames;
  std::string stream;
  for (int i = 0; i < count; ++i) {
    Frame frame{.from = *rc::gen::inRange(0, 64), .to = *rc::gen::inRange(0, 64),
                .msg = {{"type", "m"}, {"n", *rc::gen::arbitrary<int64_t>()},
                        {"s", *rc::gen::container<std::string>(rc::gen::inRange<char>('a', 'z'))}}};
    stream += bytes_of(frame);
    frames.push_back(std::move(frame));
  }
  FrameReader reader;
  std::vector<Frame> out;
  size_t at = 0;
  while (at < stream.size()) {
    const auto piece = static_cast<size_t>(*rc::gen::inRange<int>(1, static_cast<int>(stream.size() - at) + 1));
    reader.feed(std::string_view(stream).substr(at, piece));
    at += piece;
    for (Frame& frame : drain(reader)) out.push_back(std::move(frame));
  }
  RC_ASSERT(out == frames);
}

}  // namespace
}  // namespace faultline::runtime
