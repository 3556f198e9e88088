// framework/runtime/frame.h: the bytes a node reads off a socket. Any stream, split anywhere,
// gives frames or one error (never a crash), the same frames however it is split, and every
// frame it gives encodes again to a frame that reads back the same; and the reader never
// holds more than twice what it has not read yet.
#include <optional>
#include <string>
#include <vector>

#include "framework/runtime/frame.h"
#include "fuzz/fuzz_check.h"

namespace {

using faultline::runtime::Frame;
using faultline::runtime::FrameReader;

// The frames of `stream` fed in pieces of `piece` bytes, and whether it ended in an error.
std::pair<std::vector<Frame>, bool> read_all(std::string_view stream, size_t piece) {
  FrameReader reader;
  std::vector<Frame> frames;
  for (size_t at = 0; at < stream.size(); at += piece) {
    reader.feed(stream.substr(at, piece));
    faultline::fuzz::require(reader.held_bytes() <= 2 * reader.buffered_bytes(), "the reader holds at most twice what is unread");
    while (true) {
      auto next = reader.next();
      if (!next) return {frames, true};
      if (!next.value()) break;
      frames.push_back(*next.value());
    }
  }
  return {frames, false};
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::string_view stream = faultline::fuzz::as_text(data + 1, size - 1);
  const auto whole = read_all(stream, stream.size() + 1);
  const auto pieces = read_all(stream, 1 + data[0] % 7);
  faultline::fuzz::require(whole == pieces, "the frames do not depend on how the stream is split");
  for (const Frame& frame : whole.first) {
    auto again = faultline::runtime::encode_frame(frame);
    faultline::fuzz::require(again.has_value(), "a frame read can be encoded");
    const auto reread = read_all(again.value(), again.value().size());
    faultline::fuzz::require(!reread.second && reread.first == std::vector<Frame>{frame}, "an encoded frame reads back");
  }
  return 0;
}
