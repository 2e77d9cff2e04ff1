#include "io/csv/writer.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cassert>
#include <cerrno>
#include <cstring>
#include <system_error>
#include <utility>

#include "core/error.hpp"

namespace salespipe::io::csv {
bool needs_quotes(std::string_view value, char delimiter) noexcept {
  if (value.empty()) {
    return false;
  }
  const char first = value.front();
  const char last = value.back();
  if (first == ' ' || first == '\t' || last == ' ' || last == '\t') {
    return true;
  }
  // A reader strips a BOM at the start of a file; quoted, the value keeps it.
  if (value.starts_with("\xEF\xBB\xBF")) {
    return true;
  }
  for (const char c : value) {
    if (c == delimiter || c == '"' || c == '\n' || c == '\r') {
      return true;
    }
  }
  return false;
}

char* write_field(char* out, std::string_view value, char delimiter) noexcept {
  if (!needs_quotes(value, delimiter)) {
    std::memcpy(out, value.data(), value.size());
    return out + value.size();
  }
  *out++ = '"';
  for (const char c : value) {
    *out++ = c;
    if (c == '"') {
      *out++ = '"';
    }
  }
  *out++ = '"';
  return out;
}

void append_field(std::string& out, std::string_view value, char delimiter) {
  if (!needs_quotes(value, delimiter)) {
    out.append(value);
    return;
  }
  const std::size_t start = out.size();
  out.resize(start + max_field_bytes(value.size()));
  char* const end = write_field(out.data() + start, value, delimiter);
  out.resize(static_cast<std::size_t>(end - out.data()));
}

void append_row(std::string& out, std::span<const std::string_view> fields, char delimiter) {
  assert(!fields.empty() && "a CSV row has at least one field");
  if (fields.size() == 1 && fields[0].empty()) {
    out.append("\"\"\n");
    return;
  }
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) {
      out.push_back(delimiter);
    }
    append_field(out, fields[i], delimiter);
  }
  out.push_back('\n');
}

Writer::Writer(int fd, std::string file_name, const WriterOptions& options)
    : fd_(fd), file_name_(std::move(file_name)), options_(options) {
  buffer_.reserve(options_.buffer_bytes + (options_.buffer_bytes >> 3));
}

Writer Writer::open(const std::filesystem::path& path, const WriterOptions& options) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) {
    const int error = errno;
    throw Error(ErrorKind::Output, Location{path.string()},
                "cannot write: " + std::generic_category().message(error));
  }
  return Writer(fd, path.string(), options);
}

Writer::Writer(Writer&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)),
      file_name_(std::move(other.file_name_)),
      options_(other.options_),
      buffer_(std::move(other.buffer_)),
      written_(other.written_) {}

Writer& Writer::operator=(Writer&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) {
      ::close(fd_);
    }
    fd_ = std::exchange(other.fd_, -1);
    file_name_ = std::move(other.file_name_);
    options_ = other.options_;
    buffer_ = std::move(other.buffer_);
    written_ = other.written_;
  }
  return *this;
}

Writer::~Writer() {
  if (fd_ >= 0) {
    ::close(fd_);
  }
}

void Writer::write_row(std::span<const std::string_view> fields) {
  append_row(buffer_, fields, options_.delimiter);
  maybe_flush();
}

void Writer::fail(const char* what, int error) {
  throw Error(ErrorKind::Output, Location{file_name_},
              std::string(what) + std::generic_category().message(error));
}

void Writer::flush() {
  if (fd_ < 0) {
    fail("cannot write: ", EBADF);
  }
  std::size_t done = 0;
  while (done < buffer_.size()) {
    const ssize_t count = ::write(fd_, buffer_.data() + done, buffer_.size() - done);
    if (count < 0) {
      if (errno == EINTR) {
        continue;
      }
      const int error = errno;
      buffer_.erase(0, done);
      written_ += done;
      fail("cannot write: ", error);
    }
    done += static_cast<std::size_t>(count);
  }
  written_ += done;
  buffer_.clear();
}

void Writer::close() {
  if (fd_ < 0) {
    return;
  }
  try {
    flush();
    if (options_.sync_on_close && ::fsync(fd_) != 0) {
      fail("cannot write (fsync): ", errno);
    }
  } catch (...) {
    ::close(std::exchange(fd_, -1));
    throw;
  }
  if (::close(std::exchange(fd_, -1)) != 0) {
    fail("cannot write (close): ", errno);
  }
}

}  // namespace salespipe::io::csv
