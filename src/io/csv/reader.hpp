#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace salespipe::io::csv {

/// How to read a CSV file. Plain data with defaults; Reader::open() calls validate().
struct ReaderOptions {
  char delimiter = ',';
  /// Bytes read from the file at a time. Memory stays bounded by about two blocks, the batch
  /// (batch_records records) and the longest record the reader keeps whole: an Ok record, so at
  /// most columns fields of max_field_bytes (twice that in raw bytes if every byte is a doubled
  /// quote). Records with a longer field or too many fields are skipped, not kept.
  std::size_t block_bytes = 1u << 20;
  /// A longer field makes its record FieldTooLong; the reader then skips to the next record
  /// without buffering the rest. Measured on the value (quotes removed, doubled quotes counted
  /// once).
  std::size_t max_field_bytes = 1u << 20;
  /// Most records one batch holds. A batch small enough to stay in cache is faster to fill and
  /// to consume than one that holds a whole block.
  std::size_t batch_records = 16384;

  /// Throws Error{Usage} for a delimiter that cannot separate fields (a quote, CR, LF or a byte
  /// >= 0x80) and for a zero block_bytes, max_field_bytes or batch_records.
  void validate() const;
};

/// What the reader made of one record.
enum class RecordStatus : std::uint8_t { Ok, BadRowShape, BadEncoding, FieldTooLong };

/// Why a record is not Ok, finer than RecordStatus, for reject messages.
enum class Fault : std::uint8_t {
  None,
  TooFewFields,    ///< BadRowShape: fewer fields than the header
  TooManyFields,   ///< BadRowShape: more fields than the header
  TextAfterQuote,  ///< BadRowShape: something other than a delimiter or line end after `"..."`
  ControlByte,     ///< BadEncoding: a byte below 0x20 (tab excepted; CR only before LF) or 0x7F
  InvalidUtf8,     ///< BadEncoding: bytes that are not well-formed UTF-8
  FieldTooLong,    ///< FieldTooLong: a value over ReaderOptions::max_field_bytes
};

/// The status a fault gives its record.
RecordStatus status_of(Fault fault) noexcept;

/// The snake_case reason code of a status as rejects.csv spells it ("bad_row_shape", ...; "ok").
std::string_view status_name(RecordStatus status) noexcept;

/// Bump storage for bytes a Batch owns. Views into it stay valid until clear(); chunks are kept
/// for reuse, so a reader in steady state allocates nothing here.
class ByteArena {
 public:
  /// A view of a copy of bytes, valid until clear().
  std::string_view copy(std::string_view bytes);
  /// Uninitialised room for size bytes, valid until clear().
  char* allocate(std::size_t size);
  /// Forgets every copy; keeps the memory.
  void clear() noexcept;

 private:
  struct Chunk {
    std::unique_ptr<char[]> bytes;
    std::size_t size = 0;
  };
  std::vector<Chunk> chunks_;
  std::size_t current_ = 0;  ///< chunk being filled
  std::size_t used_ = 0;     ///< bytes used in chunks_[current_]
};

/// A batch of consecutive records. Views point into buffers owned by the Reader (or the Batch)
/// and stay valid until the next call to next_batch().
struct Batch {
  std::size_t columns = 0;               ///< number of header fields
  std::vector<std::string_view> fields;  ///< size() * columns, row-major; empty views unless Ok
  std::vector<std::uint64_t> line;       ///< 1-based physical line where each record starts
  std::vector<RecordStatus> status;
  std::vector<Fault> fault;                ///< Fault::None for an Ok record
  std::vector<std::uint32_t> field_count;  ///< fields the record really had
  /// The record's raw bytes without its line ending (for rejects). For a record the reader had
  /// to skip rather than keep (FieldTooLong, TooManyFields) only its first 64 KiB are kept.
  std::vector<std::string_view> raw;
  /// For a non-Ok record: the 1-based byte offset of the fault within raw (the byte column when
  /// the fault lies on the record's first line); 0 for an Ok record. TooFewFields points just past
  /// the record, TooManyFields at the delimiter that starts the extra field, FieldTooLong at the
  /// first byte of the field (its opening quote when quoted).
  std::vector<std::uint32_t> fault_column;
  /// Owns values the reader had to rewrite (quoted fields with doubled quotes) and the raw bytes of
  /// skipped records.
  ByteArena storage;

  /// Number of records.
  std::size_t size() const noexcept { return line.size(); }
  /// Field `column` of record `record` (empty unless the record is Ok).
  std::string_view field(std::size_t record, std::size_t column) const noexcept {
    return fields[record * columns + column];
  }
  /// Drops every record; keeps the memory for the next batch.
  void clear();
};

/// A short English description of what is wrong with record `record` of batch, for reject
/// messages, e.g. "expected 6 fields, found 7"; empty for an Ok record.
std::string describe_fault(const Batch& batch, std::size_t record);

/// Streaming RFC 4180 reader.
///
/// Choices where RFC 4180 leaves room (each tested):
/// - A quote inside an unquoted field (`ab"c`) is kept literally, as lenient readers do; only a
///   quote as the first byte of a field opens a quoted field.
/// - Anything but a delimiter or a line end after a closing quote (`"ab"c`, `"ab" ,`) makes the
///   record BadRowShape (Fault::TextAfterQuote); the record ends where it would have unquoted.
/// - Line ends are LF or CRLF, inside quotes too (kept in the value as written). A CR elsewhere in
///   an unquoted field is a control byte (BadEncoding); a lone CR at the end of the file is a line
///   end.
/// - A blank line (empty, or only CR) is not a record, wherever it is; it is counted. In a file
///   with one column an empty unquoted value is therefore a blank line; write `""` to keep it.
/// - A UTF-8 BOM at the start is skipped and does not count in byte columns.
/// - When a record has several faults, the one that starts first in the record is reported.
/// - Column numbers in error messages are 1-based byte columns within the physical line.
/// - Leading blank lines before the header are skipped too; a header with a CR that is not
///   followed by LF (old Mac line ends) is fatal.
class Reader {
 public:
  /// Opens the file and reads the header. Throws Error{Input} with file:line:col for: an
  /// unreadable path or a directory ("cannot read: ..."), an empty file or one with only blank
  /// lines ("empty file"), a header that is not text (NUL or other control bytes, invalid UTF-8:
  /// "not a text CSV file (...)"), an unterminated quote in the header, a header field over
  /// max_field_bytes, text after a closing quote in the header, more than 65536 columns.
  /// Throws Error{Usage} when options.validate() does.
  static Reader open(const std::filesystem::path& path, const ReaderOptions& options = {});

  /// The same reader over bytes in memory (tests, fuzzing); file_name is used in messages.
  static Reader from_bytes(std::string bytes, std::string file_name,
                           const ReaderOptions& options = {});

  Reader(Reader&&) noexcept;
  Reader& operator=(Reader&&) noexcept;
  ~Reader();

  /// Header fields as written (UTF-8 BOM stripped, quotes removed, NOT canonicalised).
  const std::vector<std::string>& header() const noexcept;
  /// 1-based physical line of the header (1 unless blank lines come first).
  std::uint64_t header_line() const noexcept;

  /// Fills batch with the next records (clearing it first, at most batch_records of them); false
  /// at end of input. Views in the batch stay valid until the next call. Throws Error{Input,
  /// file:line:col} for an unterminated quote at end of file (the position of the opening quote)
  /// and Error{Input} for a read error; the batch is then empty and the reader is done.
  bool next_batch(Batch& batch);

  /// Bytes read from the file so far (for progress bars).
  std::uint64_t bytes_read() const noexcept;
  /// Size of the file at open (0 when unknown, e.g. a pipe).
  std::uint64_t file_size() const noexcept;
  /// Blank lines seen so far (they are not records).
  std::uint64_t blank_lines() const noexcept;
  /// The path as given, used in messages.
  const std::string& file_name() const noexcept;

 private:
  struct State;
  explicit Reader(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

}  // namespace salespipe::io::csv
