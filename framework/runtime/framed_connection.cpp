#include "framework/runtime/framed_connection.h"

#include "base/assert.h"

namespace faultline::runtime {

namespace {

std::string endpoint_text(const tcp::socket& socket) {
  boost::system::error_code error;
  const auto remote = socket.remote_endpoint(error);
  if (error) return "(unknown peer)";
  return remote.address().to_string() + ":" + std::to_string(remote.port());
}

}  // namespace

FramedConnection::FramedConnection(tcp::socket socket) : socket_(std::move(socket)), peer_(endpoint_text(socket_)) {
  boost::system::error_code ignored;
  socket_.set_option(tcp::no_delay(true), ignored);  // a protocol's small messages must not wait for Nagle
}

void FramedConnection::start(OnFrame on_frame, OnClosed on_closed) {
  FAULTLINE_ASSERT(!on_frame_, "a connection starts once");
  on_frame_ = std::move(on_frame);
  on_closed_ = std::move(on_closed);
  read_some();
}

void FramedConnection::read_some() {
  socket_.async_read_some(asio::buffer(read_buffer_), [self = shared_from_this()](const boost::system::error_code& error,
                                                                                  size_t bytes) {
    if (!self->open_) return;
    if (error) return self->end(error == asio::error::eof ? "" : error.message());
    self->reader_.feed(std::string_view(self->read_buffer_.data(), bytes));
    while (self->open_) {
      auto next = self->reader_.next();
      if (!next) return self->end("bad frame: " + next.error().message);
      if (!next.value()) break;
      self->on_frame_(std::move(*next.value()));
    }
    if (self->open_) self->read_some();
  });
}

bool FramedConnection::send(std::string bytes) {
  if (!open_ || queued_bytes_ + bytes.size() > kMaxQueuedBytes) return false;
  queued_bytes_ += bytes.size();
  queue_.push_back(std::move(bytes));
  if (!writing_) write_next();
  return true;
}

void FramedConnection::write_next() {
  if (queue_.empty() || !open_) {
    writing_ = false;
    return;
  }
  writing_ = true;
  asio::async_write(socket_, asio::buffer(queue_.front()),
                    [self = shared_from_this()](const boost::system::error_code& error, size_t) {
                      if (!self->open_) return;
                      if (error) return self->end(error.message());
                      self->queued_bytes_ -= self->queue_.front().size();
                      self->queue_.pop_front();
                      self->write_next();
                    });
}

void FramedConnection::close() {
  if (!open_) return;
  open_ = false;
  boost::system::error_code ignored;
  socket_.close(ignored);  // the pending read and write end with operation_aborted and let go of this
}

void FramedConnection::end(const std::string& why) {
  OnClosed on_closed = std::move(on_closed_);
  close();
  if (on_closed) on_closed(why);
}

}  // namespace faultline::runtime
