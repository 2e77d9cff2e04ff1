#include "io/csv/reader.hpp"

// How the reader is fast (DESIGN.md section 10):
// - It reads blocks of block_bytes into one buffer and hands out views into it; the only copies
//   are values with doubled quotes and the first bytes of skipped records (into the batch's
//   arena). A record cut by the end of the buffer is moved to its front before the next read.
// - The scanner (scanner.hpp) classifies 64 bytes at a time with SSE2 into a bit mask of the
//   bytes that matter (delimiter, quote, CR, LF, other control bytes); the parser jumps from set
//   bit to set bit, so plain text costs nothing per byte. Bytes >= 0x80 only set a flag, and the
//   record is validated as UTF-8 when it ends.
// - The quote state machine runs only from a quote that opens a field to its closing quote;
//   quote-free records never enter it.
// - Records are written into the batch by index, and a plain Ok record is finished inline; the
//   rare cases (faults, doubled quotes, UTF-8 to check) go through commit().
// - A record that turns bad in a way that could make it huge (a field over max_field_bytes, more
//   fields than the header) is skipped in place without buffering, keeping its first 64 KiB.

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <limits>
#include <system_error>
#include <utility>

#include "core/error.hpp"
#include "core/text.hpp"
#include "io/csv/scanner.hpp"

namespace salespipe::io::csv {
namespace {

// The hot loop's helpers are lambdas over its locals; inlining them keeps those locals in
// registers (a call would force them into memory, and every hit through a store and a load).
#if defined(__GNUC__)
#  define SALESPIPE_CSV_INLINE __attribute__((always_inline))
#else
#  define SALESPIPE_CSV_INLINE
#endif

using detail::kScanPadding;
using detail::Scanner;

/// Raw bytes kept for a record the reader skips instead of buffering (the rejects file shows
/// 1024 bytes of it at most).
constexpr std::size_t kRawKeep = 64 * 1024;
/// Header fields beyond this are an error rather than a reason to buffer without bound.
constexpr std::size_t kMaxColumns = 65536;
/// A buffer offset that no longer exists (the bytes were dropped while skipping a record).
constexpr std::size_t kGone = std::numeric_limits<std::size_t>::max();
constexpr std::uint64_t kNoFault = std::numeric_limits<std::uint64_t>::max();

std::string errno_text(int error) { return std::generic_category().message(error); }

/// Where the bytes come from: a file descriptor, or a string in memory.
class Source {
 public:
  Source() = default;
  Source(const Source&) = delete;
  Source& operator=(const Source&) = delete;
  ~Source() {
    if (fd_ >= 0) {
      ::close(fd_);
    }
  }

  void attach(int fd) noexcept { fd_ = fd; }
  void attach(std::string bytes) noexcept { memory_ = std::move(bytes); }
  int fd() const noexcept { return fd_; }

  /// Reads up to size bytes; fewer only at the end of the input. Throws Error{Input}.
  std::size_t read(char* into, std::size_t size, const std::string& name) {
    if (fd_ < 0) {
      const std::size_t count = std::min(size, memory_.size() - memory_pos_);
      std::memcpy(into, memory_.data() + memory_pos_, count);
      memory_pos_ += count;
      return count;
    }
    std::size_t got = 0;
    while (got < size) {
      const ssize_t count = ::read(fd_, into + got, size - got);
      if (count == 0) {
        break;
      }
      if (count < 0) {
        if (errno == EINTR) {
          continue;
        }
        throw Error(ErrorKind::Input, Location{name}, "cannot read: " + errno_text(errno));
      }
      got += static_cast<std::size_t>(count);
    }
    return got;
  }

 private:
  int fd_ = -1;
  std::string memory_;
  std::size_t memory_pos_ = 0;
};

enum class Phase : std::uint8_t { RecordStart, Unquoted, Quoted };

/// A field of the record in progress as buffer offsets, kept while the buffer is refilled.
struct Span {
  std::size_t begin = 0;
  std::size_t end = 0;
};

/// The value of a quoted field with each doubled quote made single.
std::string_view unescape(ByteArena& arena, const char* begin, const char* end) {
  char* const out = arena.allocate(static_cast<std::size_t>(end - begin));
  std::size_t size = 0;
  for (const char* p = begin; p < end; ++p) {
    out[size++] = *p;
    if (*p == '"') {
      ++p;  // inside a closed quoted field every quote is the first of a pair
    }
  }
  return {out, size};
}

void append_capped(std::string& out, const char* bytes, std::size_t size) {
  if (out.size() < kRawKeep) {
    out.append(bytes, std::min(size, kRawKeep - out.size()));
  }
}

}  // namespace

void ReaderOptions::validate() const {
  const auto byte = static_cast<unsigned char>(delimiter);
  if (delimiter == '"' || delimiter == '\r' || delimiter == '\n' || byte >= 0x80) {
    throw Error(ErrorKind::Usage,
                fmt::format("the CSV delimiter cannot be byte 0x{:02X} (a quote, CR, LF or a "
                            "non-ASCII byte)",
                            byte));
  }
  if (block_bytes == 0) {
    throw Error(ErrorKind::Usage, "the CSV read block size must be at least 1 byte");
  }
  if (max_field_bytes == 0) {
    throw Error(ErrorKind::Usage, "the CSV field size limit must be at least 1 byte");
  }
  if (batch_records == 0) {
    throw Error(ErrorKind::Usage, "a CSV batch must hold at least 1 record");
  }
}

RecordStatus status_of(Fault fault) noexcept {
  switch (fault) {
    case Fault::None:
      return RecordStatus::Ok;
    case Fault::TooFewFields:
    case Fault::TooManyFields:
    case Fault::TextAfterQuote:
      return RecordStatus::BadRowShape;
    case Fault::ControlByte:
    case Fault::InvalidUtf8:
      return RecordStatus::BadEncoding;
    case Fault::FieldTooLong:
      return RecordStatus::FieldTooLong;
  }
  return RecordStatus::BadRowShape;
}

std::string_view status_name(RecordStatus status) noexcept {
  switch (status) {
    case RecordStatus::Ok:
      return "ok";
    case RecordStatus::BadRowShape:
      return "bad_row_shape";
    case RecordStatus::BadEncoding:
      return "bad_encoding";
    case RecordStatus::FieldTooLong:
      return "field_too_long";
  }
  return "bad_row_shape";
}

std::string_view ByteArena::copy(std::string_view bytes) {
  if (bytes.empty()) {
    return {};
  }
  char* const out = allocate(bytes.size());
  std::memcpy(out, bytes.data(), bytes.size());
  return {out, bytes.size()};
}

char* ByteArena::allocate(std::size_t size) {
  while (current_ < chunks_.size()) {
    Chunk& chunk = chunks_[current_];
    if (chunk.size - used_ >= size) {
      char* const out = chunk.bytes.get() + used_;
      used_ += size;
      return out;
    }
    ++current_;
    used_ = 0;
  }
  const std::size_t chunk_size = std::max<std::size_t>(std::size_t{64} << 10, size);
  chunks_.push_back(Chunk{std::unique_ptr<char[]>(new char[chunk_size]), chunk_size});
  current_ = chunks_.size() - 1;
  used_ = size;
  return chunks_.back().bytes.get();
}

void ByteArena::clear() noexcept {
  current_ = 0;
  used_ = 0;
}

void Batch::clear() {
  fields.clear();
  line.clear();
  status.clear();
  fault.clear();
  field_count.clear();
  raw.clear();
  fault_column.clear();
  storage.clear();
}

std::string describe_fault(const Batch& batch, std::size_t record) {
  const std::uint32_t at = batch.fault_column[record];
  switch (batch.fault[record]) {
    case Fault::None:
      return {};
    case Fault::TooFewFields:
    case Fault::TooManyFields:
      return fmt::format("expected {} fields, found {}", batch.columns, batch.field_count[record]);
    case Fault::TextAfterQuote:
      return fmt::format("text after a closing quote at byte {}", at);
    case Fault::ControlByte: {
      const std::string_view raw = batch.raw[record];
      if (at >= 1 && at <= raw.size()) {
        return fmt::format("control byte 0x{:02X} at byte {}",
                           static_cast<unsigned char>(raw[at - 1]), at);
      }
      return fmt::format("control byte at byte {}", at);
    }
    case Fault::InvalidUtf8:
      return fmt::format("invalid UTF-8 at byte {}", at);
    case Fault::FieldTooLong:
      return fmt::format("the field starting at byte {} is longer than the field size limit", at);
  }
  return {};
}

struct Reader::State {
  State(std::string name, const ReaderOptions& reader_options)
      : file_name(std::move(name)), options(reader_options) {}

  void start();
  void parse(Batch& batch, std::size_t& count);
  void refill();
  std::size_t room_in(const Batch& batch) const noexcept;
  void grow(Batch& batch, std::size_t rows) const;
  void trim(Batch& batch, std::size_t count) const;
  void commit(Batch& batch, std::size_t& count, std::string_view* out, std::size_t raw_end,
              std::uint32_t field_count, bool seen_high);
  void fault_at(Fault kind, std::size_t at, std::uint64_t at_line, std::uint64_t at_column);
  void fault_here(Fault kind, std::size_t at) {
    fault_at(kind, at, line, base + at - line_start + 1);
  }
  void fault_too_long(std::size_t field);
  void enter_discard(bool seen_high);
  void check_utf8(std::size_t limit);
  [[noreturn]] void throw_unterminated_quote();
  [[noreturn]] void throw_header_error(const Batch& batch);

  std::string file_name;
  ReaderOptions options;
  Source source;
  std::uint64_t file_size = 0;
  std::uint64_t bytes_read = 0;
  std::uint64_t blank_lines = 0;
  std::vector<std::string> header;
  std::uint64_t header_line = 1;
  /// Parsing the header: its width is not known yet, so fields have room for kMaxColumns, the
  /// field count is not checked and parsing stops after one record.
  bool header_mode = false;
  std::size_t columns = 0;

  std::unique_ptr<char[]> buffer;
  std::size_t capacity = 0;  ///< data bytes the buffer can hold (padding not counted)
  std::size_t end = 0;       ///< data is buffer[0, end)
  std::uint64_t base = 0;    ///< file offset of buffer[0]
  bool eof = false;          ///< the source has nothing more
  bool finished = false;     ///< every record has been returned

  // Where parsing resumes, and the record in progress when phase is not RecordStart.
  Phase phase = Phase::RecordStart;
  std::size_t pos = 0;
  std::uint64_t line = 1;        ///< physical line at pos
  std::uint64_t line_start = 0;  ///< file offset where that line starts (for byte columns)
  std::size_t record_begin = 0;  ///< buffer offset (not kept while discarding)
  std::uint64_t record_offset = 0;
  std::uint64_t record_line = 0;
  std::size_t field_begin = 0;  ///< buffer offset of the current field's first byte, or kGone
  std::uint32_t fields = 0;     ///< fields completed so far
  std::vector<Span> spans;      ///< those fields while parse() is not running
  std::vector<std::uint32_t> escaped;  ///< which of them hold doubled quotes to undo
  std::size_t escapes = 0;             ///< doubled quotes so far in the current quoted field
  std::uint64_t quote_line = 0;
  std::uint64_t quote_column = 0;
  bool high = false;  ///< bytes >= 0x80 may have gone by in this record
  Fault fault = Fault::None;
  std::uint64_t fault_offset = kNoFault;  ///< from the record start
  std::uint64_t fault_line = 0;
  std::uint64_t fault_column = 0;
  unsigned char fault_byte = 0;
  /// The record is bad and may be long: its bytes are dropped as parsing goes on, except the
  /// first kRawKeep which are copied into discard_raw.
  bool discard = false;
  bool discard_spilled = false;  ///< some of the record's bytes left the buffer
  std::size_t copy_from = 0;     ///< first buffer byte of the record not yet in discard_raw
  std::string discard_raw;
};

void Reader::State::fault_at(Fault kind, std::size_t at, std::uint64_t at_line,
                             std::uint64_t at_column) {
  const std::uint64_t offset = base + at - record_offset;
  if (offset >= fault_offset) {
    return;  // the fault that starts first in the record is the one reported
  }
  fault = kind;
  fault_offset = offset;
  fault_line = at_line;
  fault_column = at_column;
  fault_byte = at < end ? static_cast<unsigned char>(buffer[at]) : 0;
}

void Reader::State::fault_too_long(std::size_t field) {
  // A quoted field may have started on an earlier line: its opening quote was located then.
  if (buffer[field] == '"') {
    fault_at(Fault::FieldTooLong, field, quote_line, quote_column);
  } else {
    fault_here(Fault::FieldTooLong, field);
  }
}

// Validates the record's bytes before `limit` (a buffer offset): a fault there would come
// before any fault found so far.
void Reader::State::check_utf8(std::size_t limit) {
  const std::string_view bytes(buffer.get() + record_begin, limit - record_begin);
  const std::size_t bad = first_invalid_utf8(bytes);
  if (bad == bytes.size()) {
    return;
  }
  // Errors name the physical line of the fault (only the header's are shown that way).
  const std::string_view before = bytes.substr(0, bad);
  const auto newlines = static_cast<std::uint64_t>(std::count(before.begin(), before.end(), '\n'));
  const std::size_t last_newline = before.rfind('\n');
  // A record starts its line (after a skipped BOM too, which columns do not count).
  const std::uint64_t column =
      last_newline == std::string_view::npos ? bad + 1 : bad - last_newline;
  fault_at(Fault::InvalidUtf8, record_begin + bad, record_line + newlines, column);
}

void Reader::State::enter_discard(bool seen_high) {
  if (discard) {
    return;
  }
  // Only bytes before the fault can hold a fault that wins over it, and they are about to leave
  // the buffer: check their UTF-8 now.
  if (seen_high && fault_offset > 0) {
    check_utf8(record_begin + static_cast<std::size_t>(fault_offset));
  }
  discard = true;
  discard_spilled = false;
  copy_from = record_begin;
}

std::size_t Reader::State::room_in(const Batch& batch) const noexcept {
  if (header_mode) {
    return std::min({batch.line.size(), batch.status.size(), batch.fault.size(),
                     batch.field_count.size(), batch.raw.size(), batch.fault_column.size(),
                     batch.fields.empty() ? std::size_t{0} : std::size_t{1}});
  }
  return std::min({batch.line.size(), batch.status.size(), batch.fault.size(),
                   batch.field_count.size(), batch.raw.size(), batch.fault_column.size(),
                   batch.fields.size() / columns});
}

// Records are written into the batch by index: its vectors are made longer than needed while
// parsing and cut to the record count by trim(), so that a batch reused for the next call is
// not cleared and refilled element by element.
void Reader::State::grow(Batch& batch, std::size_t rows) const {
  if (header_mode) {
    rows = 1;
  } else {
    rows = std::min(std::max({rows, 2 * room_in(batch), std::size_t{1024}}),
                    std::max(rows, options.batch_records));
  }
  batch.line.resize(rows);
  batch.status.resize(rows);
  batch.fault.resize(rows);
  batch.field_count.resize(rows);
  batch.raw.resize(rows);
  batch.fault_column.resize(rows);
  // The header's fields grow as they come (see make_room in parse()).
  batch.fields.resize(header_mode ? std::max<std::size_t>(batch.fields.size(), 64)
                                  : rows * columns);
}

void Reader::State::trim(Batch& batch, std::size_t count) const {
  batch.line.resize(count);
  batch.status.resize(count);
  batch.fault.resize(count);
  batch.field_count.resize(count);
  batch.raw.resize(count);
  batch.fault_column.resize(count);
  batch.fields.resize(count * columns);
}

// Writes record `count` of batch when it is not a plain Ok record (those parse() writes itself).
void Reader::State::commit(Batch& batch, std::size_t& count, std::string_view* out,
                           std::size_t raw_end, std::uint32_t field_count, bool seen_high) {
  const char* const data = buffer.get();
  std::string_view raw;
  if (discard) {
    if (discard_spilled) {
      append_capped(discard_raw, data + copy_from, raw_end - copy_from);
      raw = batch.storage.copy(discard_raw);
    } else {
      raw = std::string_view(data + record_begin, std::min(raw_end - record_begin, kRawKeep));
    }
  } else {
    raw = std::string_view(data + record_begin, raw_end - record_begin);
    if (field_count < columns && !header_mode) {
      fault_here(Fault::TooFewFields, raw_end);
    }
    if (seen_high && fault_offset > 0) {
      check_utf8(record_begin +
                 static_cast<std::size_t>(std::min<std::uint64_t>(fault_offset, raw.size())));
    }
  }
  const RecordStatus status = status_of(fault);
  batch.line[count] = record_line;
  batch.status[count] = status;
  batch.fault[count] = fault;
  batch.field_count[count] = field_count;
  batch.raw[count] = raw;
  batch.fault_column[count] =
      fault == Fault::None ? 0
                           : static_cast<std::uint32_t>(std::min<std::uint64_t>(
                                 fault_offset + 1, std::numeric_limits<std::uint32_t>::max()));
  if (status == RecordStatus::Ok) {
    for (const std::uint32_t i : escaped) {
      out[i] = unescape(batch.storage, out[i].data(), out[i].data() + out[i].size());
    }
  } else {
    std::fill(
        out,
        out + (header_mode ? std::min<std::size_t>(field_count, batch.fields.size()) : columns),
        std::string_view());
  }
  ++count;
  // fault_line, fault_column and fault_byte stay for a header error message.
  fault = Fault::None;
  fault_offset = kNoFault;
  discard = false;
  discard_spilled = false;
  discard_raw.clear();
}

void Reader::State::parse(Batch& batch, std::size_t& count) {
  const char* const data = buffer.get();
  const std::size_t n = end;
  const char delim = options.delimiter;
  const std::size_t max_field = options.max_field_bytes;
  Scanner scan(data, n, delim);
  scan.seek(pos);
  // The record in progress lives in locals here and in members between calls.
  std::size_t p = pos;
  std::size_t fs = field_begin;
  std::uint32_t nf = fields;
  std::size_t room = room_in(batch);
  const std::size_t record_limit = header_mode ? 1 : options.batch_records;
  std::string_view* out = nullptr;  // the fields of record `count`
  // Fields the record's slot has room for: columns, or while reading the header, what it has
  // grown to so far.
  std::size_t field_room = columns;
  // Below this many stored fields a delimiter takes the fast branch. At columns - 1 a delimiter
  // means one field too many; 0 while discarding sends every delimiter to the slow branch.
  const auto limit_for = [&]() SALESPIPE_CSV_INLINE -> std::size_t {
    return discard ? 0 : std::min(columns, field_room) - 1;
  };
  std::size_t store_limit = 0;
  const auto open_slot = [&]() SALESPIPE_CSV_INLINE {
    if (count >= room) {
      grow(batch, count + 1);
      room = room_in(batch);
    }
    if (header_mode) {
      field_room = batch.fields.size();
      out = batch.fields.data();
    } else {
      out = batch.fields.data() + count * columns;
    }
    store_limit = limit_for();
  };
  const auto make_room = [&]() SALESPIPE_CSV_INLINE {
    if (nf >= field_room) {  // only while reading the header
      batch.fields.resize(std::min(2 * batch.fields.size(), kMaxColumns));
      field_room = batch.fields.size();
      out = batch.fields.data();
      store_limit = limit_for();
    }
  };
  if (phase != Phase::RecordStart) {
    scan.set_seen_high(high);
    open_slot();
    if (!discard) {
      while (nf > field_room) {
        make_room();
      }
      for (std::size_t i = 0; i < nf; ++i) {
        out[i] = std::string_view(data + spans[i].begin, spans[i].end - spans[i].begin);
      }
    }
  }

  const auto suspend = [&](std::size_t at) SALESPIPE_CSV_INLINE {
    pos = at;
    field_begin = fs;
    fields = nf;
    high = scan.seen_high();
    if (!discard) {
      if (spans.size() < nf) {
        spans.resize(nf);
      }
      for (std::size_t i = 0; i < nf; ++i) {
        const auto begin = static_cast<std::size_t>(out[i].data() - data);
        spans[i] = Span{begin, begin + out[i].size()};
      }
    }
  };
  const auto skip_rest = [&]() SALESPIPE_CSV_INLINE {
    enter_discard(scan.seen_high());
    store_limit = 0;
  };
  // The last field of a record, unquoted, ending at fe.
  const auto last_field = [&](std::size_t fe) SALESPIPE_CSV_INLINE {
    if (!discard) {
      if (fe - fs > max_field) {
        fault_too_long(fs);
        skip_rest();
      } else {
        make_room();
        out[nf] = std::string_view(data + fs, fe - fs);
      }
    }
    ++nf;
  };
  // A quoted field whose closing quote is at q.
  const auto quoted_field = [&](std::size_t q) SALESPIPE_CSV_INLINE {
    if (!discard) {
      if (q - fs - 1 - escapes > max_field) {
        fault_too_long(fs);
        skip_rest();
      } else {
        make_room();
        out[nf] = std::string_view(data + fs + 1, q - fs - 1);
        if (escapes > 0) {
          escaped.push_back(nf);
        }
      }
    }
    ++nf;
  };
  const auto end_record = [&](std::size_t raw_end, std::size_t next) SALESPIPE_CSV_INLINE {
    // Discarding implies a fault, and the header has room for more than `columns` fields.
    if (nf == columns && fault == Fault::None && !scan.seen_high() && escaped.empty()) [[likely]] {
      batch.line[count] = record_line;
      batch.status[count] = RecordStatus::Ok;
      batch.fault[count] = Fault::None;
      batch.field_count[count] = nf;
      batch.raw[count] = std::string_view(data + record_begin, raw_end - record_begin);
      batch.fault_column[count] = 0;
      ++count;
    } else {
      commit(batch, count, out, raw_end, nf, scan.seen_high());
    }
    if (next > raw_end && data[next - 1] == '\n') {
      ++line;
      line_start = base + next;
    }
    p = next;
    phase = Phase::RecordStart;
  };

  for (;;) {
    switch (phase) {
      case Phase::RecordStart: {
        if (p == n) {
          finished = eof;
          pos = p;
          return;
        }
        if (count >= record_limit) {
          pos = p;
          return;
        }
        const char first = data[p];
        if (first == '\n') {
          scan.next();
          ++blank_lines;
          ++line;
          line_start = base + p + 1;
          ++p;
          continue;
        }
        if (first == '\r') {
          if (p + 1 == n) {
            if (!eof) {
              pos = p;
              return;
            }
            scan.next();
            ++blank_lines;
            ++p;
            continue;
          }
          if (data[p + 1] == '\n') {
            scan.next();
            scan.next();
            ++blank_lines;
            ++line;
            line_start = base + p + 2;
            p += 2;
            continue;
          }
        }
        record_begin = p;
        record_offset = base + p;
        record_line = line;
        fs = p;
        nf = 0;
        escapes = 0;
        escaped.clear();
        open_slot();
        scan.start_record(p);
        phase = Phase::Unquoted;
        continue;
      }

      case Phase::Unquoted: {
        for (;;) {
          const std::size_t q = scan.next();
          if (q == n) {
            if (!eof) {
              // The field may still lose a CR that turns out to end the line.
              if (!discard && n - fs > max_field + 1) {
                fault_too_long(fs);
                skip_rest();
              }
              suspend(n);
              return;
            }
            // The last record of a file without a final line end; a CR there is one.
            const std::size_t fe = n > 0 && data[n - 1] == '\r' ? n - 1 : n;
            last_field(fe);
            end_record(fe, n);
            break;
          }
          const char ch = data[q];
          if (ch == delim) {
            if (nf < store_limit && q - fs <= max_field) [[likely]] {
              out[nf++] = std::string_view(data + fs, q - fs);
              fs = q + 1;
              continue;
            }
            if (!discard) {
              if (q - fs > max_field) {
                fault_too_long(fs);
                skip_rest();
              } else {
                make_room();
                out[nf] = std::string_view(data + fs, q - fs);
                if (nf + 1 == columns) {
                  fault_here(Fault::TooManyFields, q);
                  skip_rest();
                }
              }
            }
            ++nf;
            fs = q + 1;
            continue;
          }
          if (ch == '\n') {
            // A CR before the LF is always the line end's (a lone CR stops the scan at it).
            const std::size_t fe = q > 0 && data[q - 1] == '\r' ? q - 1 : q;
            last_field(fe);
            end_record(fe, q + 1);
            break;
          }
          if (ch == '\r') {
            if (q + 1 < n) {
              if (data[q + 1] != '\n') {
                fault_here(Fault::ControlByte, q);
              }
              continue;
            }
            if (eof) {
              continue;
            }
            suspend(q);  // is it a line end? The next byte will say.
            return;
          }
          if (ch == '"') {
            if (q == fs) {
              phase = Phase::Quoted;
              escapes = 0;
              quote_line = line;
              quote_column = base + q - line_start + 1;
              break;
            }
            continue;  // a quote inside an unquoted field is data
          }
          fault_here(Fault::ControlByte, q);
        }
        continue;
      }

      case Phase::Quoted: {
        for (;;) {
          const std::size_t q = scan.next();
          if (q == n) {
            if (eof) {
              throw_unterminated_quote();
            }
            if (!discard && n - fs - 1 - escapes > max_field) {
              fault_too_long(fs);
              skip_rest();
            }
            suspend(n);
            return;
          }
          const char ch = data[q];
          if (ch == '\n') {
            ++line;
            line_start = base + q + 1;
            continue;
          }
          if (ch != '"') {
            if (ch != delim && ch != '\r') {
              fault_here(Fault::ControlByte, q);
            }
            continue;
          }
          if (q + 1 < n && data[q + 1] == '"') {
            ++escapes;
            scan.next();
            continue;
          }
          // A closing quote; what follows decides, so keep the quote until it is in the buffer.
          const std::size_t a = q + 1;
          const bool need_more = !eof && (a == n || (data[a] == '\r' && a + 1 == n));
          if (need_more) {
            suspend(q);
            return;
          }
          if (a == n) {
            quoted_field(q);
            end_record(a, n);
            break;
          }
          const char next = data[a];
          if (next == delim) {
            scan.next();
            quoted_field(q);
            if (!discard && nf == columns) {
              fault_here(Fault::TooManyFields, a);
              skip_rest();
            }
            fs = a + 1;
            phase = Phase::Unquoted;
            break;
          }
          if (next == '\n') {
            scan.next();
            quoted_field(q);
            end_record(a, a + 1);
            break;
          }
          if (next == '\r' && (a + 1 == n || data[a + 1] == '\n')) {
            scan.next();
            if (a + 1 < n) {
              scan.next();
            }
            quoted_field(q);
            end_record(a, std::min(a + 2, n));
            break;
          }
          // The rest of the field is read as unquoted text so that the record ends where a
          // lenient reader would end it.
          fault_here(Fault::TextAfterQuote, a);
          phase = Phase::Unquoted;
          break;
        }
        continue;
      }
    }
  }
}

void Reader::State::refill() {
  std::size_t keep = pos;
  if (phase != Phase::RecordStart) {
    if (discard) {
      append_capped(discard_raw, buffer.get() + copy_from, pos - copy_from);
      discard_spilled = true;
      copy_from = pos;
    } else {
      keep = record_begin;
    }
  }
  const std::size_t carried = end - keep;
  if (carried > 0 && keep > 0) {
    std::memmove(buffer.get(), buffer.get() + keep, carried);
  }
  base += keep;
  end = carried;
  pos -= keep;
  if (phase != Phase::RecordStart) {
    if (discard) {
      copy_from -= keep;
    } else {
      record_begin -= keep;
      for (std::size_t i = 0; i < fields; ++i) {
        spans[i].begin -= keep;
        spans[i].end -= keep;
      }
    }
    field_begin = field_begin == kGone || field_begin < keep ? kGone : field_begin - keep;
  }
  // Reading at least as much as is carried keeps a long record linear to assemble. A small file
  // of known size gets a small buffer.
  std::size_t want = std::max(options.block_bytes, carried);
  if (file_size > 0 && bytes_read <= file_size) {
    want = std::min(want, file_size - bytes_read + 1);
  }
  if (capacity - carried < want) {
    const std::size_t grown = carried + want;
    // Bytes past the data are read by the block scanner but never used: no need to clear them.
    std::unique_ptr<char[]> bigger(new char[grown + kScanPadding]);
    if (carried > 0) {
      std::memcpy(bigger.get(), buffer.get(), carried);
    }
    buffer = std::move(bigger);
    capacity = grown;
  }
  const std::size_t got = source.read(buffer.get() + end, want, file_name);
  end += got;
  bytes_read += got;
  eof = got < want;
}

void Reader::State::throw_unterminated_quote() {
  finished = true;
  throw Error(ErrorKind::Input, Location{file_name, quote_line, quote_column},
              "unterminated quote");
}

void Reader::State::throw_header_error(const Batch& batch) {
  std::string message;
  switch (batch.fault[0]) {
    case Fault::ControlByte:
      if (fault_byte == 0) {
        message = "not a text CSV file (NUL byte in the header)";
      } else if (fault_byte == '\r') {
        message =
            "carriage return without a line feed in the header (line ends must be LF or CRLF)";
      } else {
        message =
            fmt::format("not a text CSV file (control byte 0x{:02X} in the header)", fault_byte);
      }
      break;
    case Fault::InvalidUtf8:
      message = "not a text CSV file (invalid UTF-8 in the header)";
      break;
    case Fault::TextAfterQuote:
      message = "text after the closing quote of a header field";
      break;
    case Fault::TooManyFields:
      message = fmt::format("more than {} columns in the header", kMaxColumns);
      break;
    case Fault::FieldTooLong:
      message = fmt::format("header field longer than {} bytes", options.max_field_bytes);
      break;
    case Fault::None:
    case Fault::TooFewFields:
      message = "malformed header";
      break;
  }
  throw Error(ErrorKind::Input, Location{file_name, fault_line, fault_column}, message);
}

void Reader::State::start() {
  refill();
  while (end < 3 && !eof) {
    refill();
  }
  if (end == 0) {
    throw Error(ErrorKind::Input, Location{file_name, 1, 1}, "empty file");
  }
  if (end >= 3 && std::memcmp(buffer.get(), "\xEF\xBB\xBF", 3) == 0) {
    pos = 3;
    line_start = 3;  // byte columns do not count the BOM
  }
  header_mode = true;
  columns = kMaxColumns;
  Batch batch;
  std::size_t count = 0;
  for (;;) {
    parse(batch, count);
    if (count > 0) {
      break;
    }
    if (finished) {
      throw Error(ErrorKind::Input, Location{file_name, 1, 1}, "empty file");
    }
    refill();
  }
  if (batch.status[0] != RecordStatus::Ok) {
    throw_header_error(batch);
  }
  header.assign(batch.fields.begin(), batch.fields.begin() + batch.field_count[0]);
  header_line = batch.line[0];
  columns = header.size();
  header_mode = false;
}

Reader::Reader(std::unique_ptr<State> state) : state_(std::move(state)) {}
Reader::Reader(Reader&&) noexcept = default;
Reader& Reader::operator=(Reader&&) noexcept = default;
Reader::~Reader() = default;

Reader Reader::open(const std::filesystem::path& path, const ReaderOptions& options) {
  options.validate();
  auto state = std::make_unique<State>(path.string(), options);
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    const int error = errno;
    throw Error(ErrorKind::Input, Location{path.string()}, "cannot read: " + errno_text(error));
  }
  state->source.attach(fd);
  struct stat info {};
  if (::fstat(fd, &info) != 0) {
    const int error = errno;
    throw Error(ErrorKind::Input, Location{path.string()}, "cannot read: " + errno_text(error));
  }
  if (S_ISDIR(info.st_mode)) {
    throw Error(ErrorKind::Input, Location{path.string()}, "cannot read: " + errno_text(EISDIR));
  }
  if (S_ISREG(info.st_mode)) {
    state->file_size = static_cast<std::uint64_t>(info.st_size);
    ::posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
  }
  state->start();
  return Reader(std::move(state));
}

Reader Reader::from_bytes(std::string bytes, std::string file_name, const ReaderOptions& options) {
  options.validate();
  auto state = std::make_unique<State>(std::move(file_name), options);
  state->file_size = bytes.size();
  state->source.attach(std::move(bytes));
  state->start();
  return Reader(std::move(state));
}

const std::vector<std::string>& Reader::header() const noexcept { return state_->header; }
std::uint64_t Reader::header_line() const noexcept { return state_->header_line; }

bool Reader::next_batch(Batch& batch) {
  State& state = *state_;
  batch.storage.clear();
  batch.columns = state.columns;
  std::size_t count = 0;
  try {
    for (;;) {
      if (!state.finished) {
        state.parse(batch, count);
      }
      if (count > 0 || state.finished) {
        break;
      }
      state.refill();
    }
  } catch (...) {
    state.finished = true;
    state.trim(batch, 0);
    throw;
  }
  state.trim(batch, count);
  return count > 0;
}

std::uint64_t Reader::bytes_read() const noexcept { return state_->bytes_read; }
std::uint64_t Reader::file_size() const noexcept { return state_->file_size; }
std::uint64_t Reader::blank_lines() const noexcept { return state_->blank_lines; }
const std::string& Reader::file_name() const noexcept { return state_->file_name; }

}  // namespace salespipe::io::csv
