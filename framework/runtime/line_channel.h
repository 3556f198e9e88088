#pragma once
// The control channel between the runner and a node process (docs/runtime.md): one JSON
// object per line over a local TCP connection. Commands go to the node (start, links,
// clock, operator); events come back (leader claims). The runner is its only peer, so a line
// that is not a JSON object is a broken invariant of the runtime, reported by its owner.
#include <functional>
#include <memory>
#include <string>

#include "base/json.h"
#include "framework/runtime/asio.h"

namespace faultline::runtime {

class LineChannel : public std::enable_shared_from_this<LineChannel> {
 public:
  static constexpr size_t kMaxLineBytes = size_t{1} << 20;  // an operator message is a few hundred bytes

  using OnMessage = std::function<void(Json&& message)>;
  // Called once when the channel ends: why ("" when the peer closed it).
  using OnClosed = std::function<void(const std::string& why)>;

  explicit LineChannel(tcp::socket socket);
  void start(OnMessage on_message, OnClosed on_closed);
  void send(const Json& message);
  void close();
  bool is_open() const { return open_; }

 private:
  void read_line();
  void write_next();
  void end(const std::string& why);

  tcp::socket socket_;
  asio::streambuf input_;
  std::string pending_;  // what waits to be written
  std::string writing_;  // what is being written
  bool open_ = true;
  OnMessage on_message_;
  OnClosed on_closed_;
};

}  // namespace faultline::runtime
