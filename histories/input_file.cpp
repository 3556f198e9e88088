#include "histories/input_file.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <istream>

namespace faultline {

Result<void> require_readable_input(const std::string& path) {
  struct stat status {};
  if (::stat(path.c_str(), &status) != 0) return fail(path + ": cannot open (" + std::strerror(errno) + ")");
  if (S_ISDIR(status.st_mode)) return fail(path + ": is a directory, not a file");
  if (S_ISCHR(status.st_mode) || S_ISBLK(status.st_mode))
    return fail(path + ": is a device, not a file (to read a stream, pipe it in)");
  return outcome::success();
}

LineReader::LineReader(std::istream& in, std::string source, size_t max_line_bytes)
    : in_(in), source_(std::move(source)), max_line_bytes_(max_line_bytes), buffer_(size_t{1} << 16) {}

bool LineReader::refill() {
  if (!in_.good()) return false;
  in_.read(buffer_.data(), static_cast<std::streamsize>(buffer_.size()));
  position_ = 0;
  filled_ = static_cast<size_t>(in_.gcount());
  return filled_ > 0;
}

Result<bool> LineReader::next(std::string& line) {
  line.clear();
  while (true) {
    if (position_ == filled_ && !refill()) {
      // istream reports a failed read(2) (EISDIR, EIO) as badbit, not as the end of the file.
      if (in_.bad()) return fail(source_ + ":" + std::to_string(line_number_ + 1) + ": read error");
      if (line.empty()) return false;
      ++line_number_;  // a last line without '\n'
      return true;
    }
    const char* start = buffer_.data() + position_;
    const auto* newline = static_cast<const char*>(std::memchr(start, '\n', filled_ - position_));
    const size_t length = newline != nullptr ? static_cast<size_t>(newline - start) : filled_ - position_;
    if (line.size() + length > max_line_bytes_)
      return fail(source_ + ":" + std::to_string(line_number_ + 1) + ": a line longer than " +
                  std::to_string(max_line_bytes_ >> 20) + " MiB");
    line.append(start, length);
    position_ += length;
    if (newline != nullptr) {
      ++position_;
      ++line_number_;
      return true;
    }
  }
}

Result<std::string> read_text_file(const std::string& path, size_t max_bytes) {
  BOOST_OUTCOME_TRYV(require_readable_input(path));
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail(path + ": cannot open");
  std::string text;
  std::vector<char> block(size_t{1} << 16);
  while (in.good()) {
    in.read(block.data(), static_cast<std::streamsize>(block.size()));
    text.append(block.data(), static_cast<size_t>(in.gcount()));
    if (text.size() > max_bytes)
      return fail(path + ": larger than " + std::to_string(max_bytes >> 20) + " MiB, the most an import reads");
  }
  if (in.bad()) return fail(path + ": read error");
  return text;
}

}  // namespace faultline
