#include "framework/runtime/line_channel.h"

#include <istream>

#include "base/assert.h"
#include "histories/json_input.h"

namespace faultline::runtime {

LineChannel::LineChannel(tcp::socket socket) : socket_(std::move(socket)), input_(kMaxLineBytes) {
  boost::system::error_code ignored;
  socket_.set_option(tcp::no_delay(true), ignored);
}

void LineChannel::start(OnMessage on_message, OnClosed on_closed) {
  FAULTLINE_ASSERT(!on_message_, "a channel starts once");
  on_message_ = std::move(on_message);
  on_closed_ = std::move(on_closed);
  read_line();
}

void LineChannel::read_line() {
  asio::async_read_until(socket_, input_, '\n',
                         [self = shared_from_this()](const boost::system::error_code& error, size_t) {
                           if (!self->open_) return;
                           if (error) return self->end(error == asio::error::eof ? "" : error.message());
                           std::istream stream(&self->input_);
                           std::string line;
                           std::getline(stream, line);
                           auto message = parse_json_input(line);
                           if (!message || !message.value().is_object())
                             return self->end("a control line that is not a JSON object: " + line.substr(0, 80));
                           self->on_message_(std::move(message.value()));
                           if (self->open_) self->read_line();
                         });
}

void LineChannel::send(const Json& message) {
  if (!open_) return;
  try {
    pending_ += message.dump() + "\n";
  } catch (const Json::type_error& error) {  // invalid UTF-8 in a moment's name or an operator message
    return end(std::string("a control message that is not valid JSON text: ") + error.what());
  }
  if (writing_.empty()) write_next();
}

void LineChannel::write_next() {
  if (pending_.empty() || !open_) return;
  writing_ = std::move(pending_);
  pending_.clear();
  asio::async_write(socket_, asio::buffer(writing_), [self = shared_from_this()](const boost::system::error_code& error, size_t) {
    if (!self->open_) return;
    if (error) return self->end(error.message());
    self->writing_.clear();
    self->write_next();
  });
}

void LineChannel::close() {
  if (!open_) return;
  open_ = false;
  boost::system::error_code ignored;
  socket_.close(ignored);
}

void LineChannel::end(const std::string& why) {
  OnClosed on_closed = std::move(on_closed_);
  close();
  if (on_closed) on_closed(why);
}

}  // namespace faultline::runtime
