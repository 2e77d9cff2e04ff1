#pragma once

// The reader's own JSON scanner: finds the top-level elements of an array (or the values of an
// NDJSON file) in a buffer, validates each one in full against the RFC 8259 grammar, counts
// lines, and throws a located Error for every structural fault. In the same pass it notes where
// each key and value of an element's own object lies, so the reader takes values from those
// spans without parsing the element again.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "io/json/reader.hpp"

namespace salespipe::io::json::detail {

/// Bytes the scanner may read past the end of the data it is given (all must be zero).
inline constexpr std::size_t kScanPadding = 16;

/// Why a structurally valid element is still a BadEncoding record.
enum class EncodingFault : std::uint8_t { None, ControlByte, UnpairedSurrogate };

/// One top-level element: its bytes in the caller's buffer and where it starts in the file.
struct ScannedElement {
  std::size_t begin = 0;                      ///< buffer offset of its first byte
  std::size_t end = 0;                        ///< buffer offset one past its last byte
  std::uint64_t line = 0;                     ///< 1-based line of its first byte
  std::uint64_t column = 0;                   ///< 1-based byte column of its first byte
  EncodingFault fault = EncodingFault::None;  ///< the first one found
  unsigned char fault_byte = 0;               ///< the control byte, for ControlByte
  std::uint64_t fault_line = 0;
  std::uint64_t fault_column = 0;
};

/// One member of an element's own object (nested objects are values): buffer offsets of its
/// key's text, inside the quotes, and of its value's whole token (quotes, brackets included).
struct ScannedMember {
  std::size_t key_begin = 0;
  std::size_t key_end = 0;
  std::size_t value_begin = 0;
  std::size_t value_end = 0;
  bool key_escaped = false;    ///< the key holds a backslash escape
  bool value_escaped = false;  ///< the value is a string holding a backslash escape
};

/// The text of a string the scanner accepted, inside its quotes, with its escapes decoded into
/// UTF-8 and appended to out. A \u escape of an unpaired surrogate (which makes the record
/// BadEncoding, so no value of it is used) becomes U+FFFD.
void append_unescaped(std::string_view content, std::string& out);

enum class ScanStep : std::uint8_t { Element, NeedMore, End };

/// Scans a file that arrives in pieces. The caller keeps a buffer holding the file's bytes from
/// some offset on; every call gets the whole buffer (data, size), with data[size] up to
/// data[size + kScanPadding - 1] readable and zero. The scanner never keeps pointers into it.
class Scanner {
 public:
  Scanner(std::string file, std::size_t max_depth);

  /// Skips an optional UTF-8 byte order mark and whitespace and detects the format from the
  /// first byte. nullopt: the buffer holds only whitespace so far, call again with more.
  /// Throws Error{Input}: empty file, only whitespace, a scalar top level, a byte that is not JSON.
  std::optional<Format> detect(const char* data, std::size_t size, bool eof);

  /// Finds the next element after position(). Element: element is filled and position() moves
  /// past it. NeedMore: the buffer ends inside an element or a separator (never when eof).
  /// End: eof and nothing but whitespace remains. Throws Error{Input} for invalid JSON.
  ScanStep next(const char* data, std::size_t size, bool eof, ScannedElement& element);

  /// The members of the last Element's object, in order; empty when it is not an object. Valid
  /// until the next call of next().
  const std::vector<ScannedMember>& members() const noexcept { return members_; }

  /// Buffer offset up to which the data is consumed; bytes before it are no longer needed.
  std::size_t position() const noexcept { return pos_; }

  /// The caller dropped the first count bytes of its buffer (count <= position()).
  void discard(std::size_t count) noexcept {
    base_ += count;
    pos_ -= count;
  }

 private:
  enum class Top : std::uint8_t {
    Start,
    ArrayFirst,         // after '[': an element or ']'
    ArrayAfterElement,  // ',' or ']'
    ArrayNext,          // after ',': an element
    AfterArray,         // only whitespace until the end
    NdjsonBetween,      // whitespace, then a record or the end
    NdjsonAfterRecord,  // spaces until a newline (or the end)
  };

  /// Validates one element starting at pos_. true: complete (pos_ moves past it); false: the
  /// buffer ends inside it and more data may come.
  bool scan_element(const char* data, std::size_t size, bool eof, ScannedElement& element);

  [[noreturn]] void fail(std::uint64_t line, std::uint64_t column, std::string message) const;

  std::string file_;
  std::size_t max_depth_;
  Top top_ = Top::Start;
  std::uint64_t base_ = 0;        // file offset of the caller's data[0]
  std::size_t pos_ = 0;           // buffer offset of the first unconsumed byte
  std::uint64_t line_ = 1;        // line of pos_
  std::uint64_t line_start_ = 0;  // file offset of the first byte of line_
  std::uint64_t array_line_ = 0;  // where the top-level array opened
  std::uint64_t array_column_ = 0;
  // Buffer offsets of the open containers of the element being scanned (their '{' or '[').
  std::vector<std::size_t> open_offset_;
  std::vector<ScannedMember> members_;
};

}  // namespace salespipe::io::json::detail
