#pragma once
// The real runtime's wire (issue 15): every message between processes is one frame, a 4-byte
// big-endian length and that many bytes of JSON text {"from": F, "to": T, "msg": M}, M being
// what the system's codec makes of the message (Message::to_json). Pure: no sockets; a
// FrameReader takes bytes as they arrive, split anywhere, and hands back whole frames.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "base/json.h"
#include "base/result.h"
#include "framework/message.h"

namespace faultline::runtime {

// Far above any message the built-in systems send (a Raft snapshot of a few thousand keys is
// well under 1 MiB), low enough that a corrupt length cannot make a node allocate gigabytes.
inline constexpr size_t kMaxFrameBytes = size_t{16} << 20;
inline constexpr size_t kFrameHeaderBytes = 4;

struct Frame {
  EndpointId from = -1;
  EndpointId to = -1;
  Json msg;
  bool operator==(const Frame&) const = default;
};

// The bytes of one frame; an error when its text would exceed kMaxFrameBytes or is not
// valid UTF-8 (a message the wire cannot carry).
Result<std::string> encode_frame(const Frame& frame);

class FrameReader {
 public:
  void feed(std::string_view bytes);
  // The next whole frame, nullopt while more bytes are needed, or an error naming what is
  // wrong (a length over the limit, text that is not JSON, JSON that is not a frame). An
  // error is final: the stream has lost its framing, so the connection must be closed.
  Result<std::optional<Frame>> next();
  size_t buffered_bytes() const { return buffer_.size() - offset_; }  // received, not yet read
  size_t held_bytes() const { return buffer_.size(); }                // the memory that takes

 private:
  Result<std::optional<Frame>> failed(std::string why);

  std::string buffer_;
  size_t offset_ = 0;  // where the next frame starts in buffer_
  std::optional<std::string> error_;
};

}  // namespace faultline::runtime
