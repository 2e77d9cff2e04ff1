#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>

namespace salespipe::io::csv {

/// Whether a field is quoted per RFC 4180 when written: when it holds the delimiter, a quote, CR
/// or LF, starts or ends with a space or tab (so a reader that trims cannot change it), or starts
/// with a UTF-8 BOM (which a reader strips at the start of a file).
bool needs_quotes(std::string_view value, char delimiter = ',') noexcept;

/// Appends one field to out, quoted only when it needs_quotes; quotes inside are doubled.
void append_field(std::string& out, std::string_view value, char delimiter = ',');

/// The most bytes write_field writes for a value of `size` bytes (every byte a doubled quote,
/// plus the two around).
constexpr std::size_t max_field_bytes(std::size_t size) noexcept { return 2 * size + 2; }

/// append_field into raw memory with room for max_field_bytes(value.size()) bytes; returns the
/// end of what it wrote. For formatters of millions of rows that make room once per row.
char* write_field(char* out, std::string_view value, char delimiter = ',') noexcept;

/// Appends fields separated by delimiter, then "\n". A row of one empty field is written `""`,
/// since an empty line would read back as a blank line rather than a record. fields must not be
/// empty.
void append_row(std::string& out, std::span<const std::string_view> fields, char delimiter = ',');

/// How to write a CSV file.
struct WriterOptions {
  char delimiter = ',';
  /// The buffer is written out once it holds this many bytes.
  std::size_t buffer_bytes = 1u << 20;
  /// close() calls fsync so that a file renamed into place afterwards survives a crash.
  bool sync_on_close = true;
};

/// Buffered CSV file writer: rows are formatted into a large buffer that is written out in big
/// chunks. Write errors throw Error{Output} with the file name. Destroying a Writer that was not
/// closed closes the file without writing what is still buffered: only close() completes a file.
class Writer {
 public:
  /// Creates or truncates the file. Throws Error{Output} ("cannot write: ...") when it cannot.
  static Writer open(const std::filesystem::path& path, const WriterOptions& options = {});

  Writer(Writer&& other) noexcept;
  Writer& operator=(Writer&& other) noexcept;
  Writer(const Writer&) = delete;
  Writer& operator=(const Writer&) = delete;
  ~Writer();

  /// Formats one row (see append_row). Throws Error{Output} when writing the buffer out fails.
  void write_row(std::span<const std::string_view> fields);
  void write_row(std::initializer_list<std::string_view> fields) {
    write_row(std::span<const std::string_view>(fields.begin(), fields.size()));
  }

  /// Raw access for speed: append whole rows (append_field, fmt::format_to, std::to_chars, each
  /// ending in "\n"), then call maybe_flush().
  std::string& buffer() noexcept { return buffer_; }
  /// Writes the buffer out when it holds buffer_bytes or more. Throws Error{Output}.
  void maybe_flush() {
    if (buffer_.size() >= options_.buffer_bytes) {
      flush();
    }
  }
  /// Writes everything buffered to the file. Throws Error{Output}.
  void flush();
  /// Flushes, fsyncs (unless sync_on_close is off) and closes. Throws Error{Output}; the file is
  /// closed either way. Calling it again does nothing.
  void close();

  /// Bytes handed to the file so far (buffered bytes not included).
  std::uint64_t bytes_written() const noexcept { return written_; }
  /// The path as given, used in messages.
  const std::string& file_name() const noexcept { return file_name_; }

 private:
  Writer(int fd, std::string file_name, const WriterOptions& options);
  [[noreturn]] void fail(const char* what, int error);

  int fd_ = -1;
  std::string file_name_;
  WriterOptions options_;
  std::string buffer_;
  std::uint64_t written_ = 0;
};

}  // namespace salespipe::io::csv
