#pragma once
// One TCP connection that carries frames (framework/runtime/frame.h) both ways: a read loop
// hands each whole frame to its owner, and sends queue without ever blocking the caller. A
// frame the reader cannot take (over the limit, not a frame) closes the connection, since the
// stream has lost its framing. Shared by the node host and the runner's client gateway.
#include <array>
#include <deque>
#include <functional>
#include <memory>
#include <string>

#include "framework/runtime/asio.h"
#include "framework/runtime/frame.h"

namespace faultline::runtime {

class FramedConnection : public std::enable_shared_from_this<FramedConnection> {
 public:
  // What may wait to be written: a reader that stopped reading (a paused node) makes its
  // sender drop frames past this, as a full network queue would, instead of holding memory.
  static constexpr size_t kMaxQueuedBytes = 2 * kMaxFrameBytes;  // a frame at the limit always fits

  using OnFrame = std::function<void(Frame&& frame)>;
  // Called once when the connection ends: why it ended ("" when the peer closed it).
  using OnClosed = std::function<void(const std::string& why)>;

  explicit FramedConnection(tcp::socket socket);
  void start(OnFrame on_frame, OnClosed on_closed);
  // Queues an encoded frame; false when it was dropped (closed, or the queue is full).
  bool send(std::string bytes);
  void close();
  bool is_open() const { return open_; }
  const std::string& peer() const { return peer_; }  // "127.0.0.1:40312"

 private:
  void read_some();
  void write_next();
  void end(const std::string& why);

  tcp::socket socket_;
  std::string peer_;
  FrameReader reader_;
  std::array<char, 65536> read_buffer_{};
  std::deque<std::string> queue_;
  size_t queued_bytes_ = 0;
  bool writing_ = false;
  bool open_ = true;
  OnFrame on_frame_;
  OnClosed on_closed_;
};

}  // namespace faultline::runtime
