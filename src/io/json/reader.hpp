#pragma once

// The feedback reader: a JSON array of objects, or NDJSON, read in bounded windows.
//
// Format detection is exact and looks only at the first byte after an optional UTF-8 byte order
// mark and JSON whitespace:
//   '['  an array: the whole file is one array; every element is a record. Anything but
//        whitespace after its closing ']' is fatal (so NDJSON whose first line is an array is
//        refused, with the position of the second value).
//   '{'  NDJSON: a sequence of JSON values, each a record, separated by at least one newline.
//        A value may span several lines (a single pretty-printed object is NDJSON with one
//        record); two values on one line are fatal. Blank lines are not records.
//   anything else is fatal: a string, number, true, false or null is "top level is a number"
//   (and so on), any other byte is "not JSON".
// So `[{"a":1}]` is an array of one record and `{"a":1}` is NDJSON with one record. `[]` is an
// array of no records (whether that is an error is the caller's call). A byte order mark is
// skipped but, like every byte, counts in the byte columns of messages.
//
// Every element is validated in full by the reader's own scanner (RFC 8259 grammar), so a
// structural fault anywhere, even inside a value nobody asked for, stops the read with its
// position. Faults that leave the structure intact become records with a status instead:
//   NotAnObject   the element is a string, number, true, false, null or an array;
//   DuplicateKey  two keys of the element's object have the same canonical name (nested objects
//                 are values, kept as raw text, and are not checked);
//   BadEncoding   invalid UTF-8 anywhere in the element, a raw control byte (U+0000 to U+001F,
//                 which JSON requires escaped) in a string, or a \u escape of an unpaired
//                 surrogate. Checked first, so a badly encoded non-object is BadEncoding.
// Nesting depth counts from the element: the element's own object or array is level 1; the
// top-level array of the Array format does not count, so both formats accept the same records.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace salespipe::io::json {

/// How the file holds its records; see the detection rule above.
enum class Format : std::uint8_t { Array, Ndjson };

/// What a wanted key held in one record.
enum class ValueKind : std::uint8_t { Missing, Null, String, Number, True, False, Array, Object };

/// One wanted key of one record. text is: String, the unescaped UTF-8 value; Number, the raw number
/// token exactly as written (never converted); True/False/Null, the literal; Array/Object, the
/// raw JSON text of the value; Missing, empty.
struct Value {
  ValueKind kind = ValueKind::Missing;
  std::string_view text;
};

/// Whether a record can be used, or why it goes to the rejects (reasons of DESIGN.md 11.2).
enum class RecordStatus : std::uint8_t { Ok, NotAnObject, DuplicateKey, BadEncoding };

struct ReaderOptions {
  /// Wanted keys, as canonical names (salespipe::canonical_name; they are canonicalised again
  /// here). Object keys are compared after canonical_name too, so "Sentiment Score" matches
  /// sentiment_score.
  std::vector<std::string> fields;
  /// Bounded memory: elements are parsed in windows of about this many bytes. The buffer grows
  /// past it only to hold one element larger than the window.
  std::size_t window_bytes = 16u << 20;
  /// Nesting deeper than this many levels (counted from the element) is fatal.
  std::size_t max_depth = 64;
};

/// The records of one window. Views are valid until the next next_batch() of the reader.
struct Batch {
  std::size_t fields = 0;
  /// size() * fields values, row-major, in options.fields order; Missing when the key is absent.
  /// Every value of a record whose status is not Ok is Missing.
  std::vector<Value> values;
  /// 1-based line of the element's first byte (its opening brace for an object).
  std::vector<std::uint64_t> line;
  std::vector<RecordStatus> status;
  /// The element's raw text, exactly as in the file (for rejects).
  std::vector<std::string_view> raw;
  /// Empty for Ok. NotAnObject: the element's kind ("a number", "a string", "an array",
  /// "a boolean", "null"). DuplicateKey: the canonical name of the repeated key
  /// ("\"\"" when it is empty). BadEncoding:
  /// what and where, e.g. "invalid UTF-8 at line 3, column 17".
  std::vector<std::string> detail;

  /// The number of records.
  std::size_t size() const noexcept { return line.size(); }
  /// Removes every record (keeps the capacity).
  void clear();
  /// The value of field f (index into options.fields) of record r.
  const Value& value(std::size_t r, std::size_t f) const noexcept { return values[r * fields + f]; }
};

class Reader {
 public:
  /// Opens the file and detects its format from the first bytes.
  /// Throws Error{Usage} for bad options (window_bytes 0, max_depth 0 or over 1024, a field
  /// named twice) and
  /// Error{Input} located `file:line:col` (1-based byte column) for: an unreadable path or a
  /// directory, an empty file (or only whitespace), a first byte that is not JSON, a top level
  /// that is neither an array nor NDJSON objects.
  static Reader open(const std::filesystem::path& path, const ReaderOptions& options);

  /// The same reader over bytes in memory; name stands for the file name in messages.
  /// Throws as open() does.
  static Reader open_bytes(std::string bytes, std::string name, const ReaderOptions& options);

  Reader(Reader&&) noexcept;
  Reader& operator=(Reader&&) noexcept;
  ~Reader();

  /// The detected format.
  Format format() const noexcept;

  /// Fills batch with the next window of records (clearing it first); false at the end of the
  /// file, with the batch empty. Throws Error{Input} located `file:line:col` for invalid or
  /// truncated JSON (at the fault, or at the end of the file when it is cut short), nesting past
  /// max_depth, trailing content after the array, two NDJSON records on one line, and
  /// Error{Input} for a read failure. After a throw every later call throws the same error.
  bool next_batch(Batch& batch);

  /// Bytes read from the file so far (for progress).
  std::uint64_t bytes_read() const noexcept;
  /// The file's size when it was opened (0 when unknown, e.g. a pipe).
  std::uint64_t file_size() const noexcept;
  /// The file name used in messages (the path as given).
  const std::string& file_name() const noexcept;

 private:
  struct Impl;
  explicit Reader(std::unique_ptr<Impl> impl) noexcept;
  std::unique_ptr<Impl> impl_;
};

}  // namespace salespipe::io::json
