#include "io/json/reader.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <simdjson.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <deque>
#include <optional>
#include <system_error>
#include <unordered_set>
#include <utility>

#include "core/error.hpp"
#include "core/text.hpp"
#include "io/json/scanner.hpp"

namespace salespipe::io::json {
namespace {

// simdjson reads up to SIMDJSON_PADDING bytes past a document; the scanner needs fewer.
constexpr std::size_t kPadding = simdjson::SIMDJSON_PADDING;
static_assert(kPadding >= detail::kScanPadding);

// Beyond this, a depth limit is a configuration mistake rather than a wish for deep records.
constexpr std::size_t kDepthLimit = 1024;

// Objects with more keys than this are checked for duplicates with a hash set.
constexpr std::size_t kLinearKeyCheck = 32;

std::string system_message(int error) { return std::system_category().message(error); }

/// The file (or bytes in memory) the reader pulls from, in pieces.
class Source {
 public:
  static Source file(const std::filesystem::path& path, const std::string& name) {
    Source source;
    source.fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (source.fd_ < 0) {
      throw Error(ErrorKind::Input, Location{name}, "cannot open: " + system_message(errno));
    }
    struct stat info {};
    if (::fstat(source.fd_, &info) != 0) {
      throw Error(ErrorKind::Input, Location{name}, "cannot open: " + system_message(errno));
    }
    if (S_ISDIR(info.st_mode)) {
      throw Error(ErrorKind::Input, Location{name}, "cannot read: it is a directory");
    }
    if (S_ISREG(info.st_mode)) {
      source.size_ = static_cast<std::uint64_t>(info.st_size);
      source.size_known_ = true;
    }
    return source;
  }

  static Source memory(std::string bytes) {
    Source source;
    source.size_ = bytes.size();
    source.size_known_ = true;
    source.bytes_ = std::move(bytes);
    return source;
  }

  Source() = default;
  Source(Source&& other) noexcept
      : fd_(std::exchange(other.fd_, -1)),
        bytes_(std::move(other.bytes_)),
        offset_(other.offset_),
        size_(other.size_),
        size_known_(other.size_known_) {}
  Source& operator=(Source&& other) noexcept {
    if (this != &other) {
      close();
      fd_ = std::exchange(other.fd_, -1);
      bytes_ = std::move(other.bytes_);
      offset_ = other.offset_;
      size_ = other.size_;
      size_known_ = other.size_known_;
    }
    return *this;
  }
  Source(const Source&) = delete;
  Source& operator=(const Source&) = delete;
  ~Source() { close(); }

  /// Reads up to count bytes into out; 0 at the end. Throws Error{Input} for a read failure.
  std::size_t read(char* out, std::size_t count, const std::string& name) {
    if (fd_ < 0) {
      const std::size_t n = std::min(count, bytes_.size() - offset_);
      std::memcpy(out, bytes_.data() + offset_, n);
      offset_ += n;
      return n;
    }
    for (;;) {
      const ssize_t n = ::read(fd_, out, count);
      if (n >= 0) {
        return static_cast<std::size_t>(n);
      }
      if (errno != EINTR) {
        throw Error(ErrorKind::Input, Location{name}, "cannot read: " + system_message(errno));
      }
    }
  }

  /// The size at open; known for regular files and bytes in memory.
  std::uint64_t size() const noexcept { return size_; }
  bool size_known() const noexcept { return size_known_; }

 private:
  void close() noexcept {
    if (fd_ >= 0) {
      ::close(fd_);
      fd_ = -1;
    }
  }

  int fd_ = -1;
  std::string bytes_;
  std::size_t offset_ = 0;
  std::uint64_t size_ = 0;
  bool size_known_ = false;
};

/// Storage for the few strings that need unescaping; reused from batch to batch.
class StringArena {
 public:
  std::string_view copy(std::string_view text) {
    while (current_ < blocks_.size() && used_ + text.size() > blocks_[current_].size) {
      ++current_;
      used_ = 0;
    }
    if (current_ == blocks_.size()) {
      const std::size_t size = std::max(kBlockSize, text.size());
      blocks_.push_back(Block{std::make_unique<char[]>(size), size});
      used_ = 0;
    }
    char* out = blocks_[current_].data.get() + used_;
    std::memcpy(out, text.data(), text.size());
    used_ += text.size();
    return {out, text.size()};
  }

  void reset() noexcept {
    current_ = 0;
    used_ = 0;
  }

 private:
  static constexpr std::size_t kBlockSize = 64u << 10;
  struct Block {
    std::unique_ptr<char[]> data;
    std::size_t size = 0;
  };
  std::vector<Block> blocks_;
  std::size_t current_ = 0;
  std::size_t used_ = 0;
};

/// Bytes of a key that canonical_name may change or that end a raw key: space, tab, hyphen,
/// upper-case letters, underscore (only when leading, trailing or doubled) and the quote.
constexpr std::array<bool, 256> kKeySpecial = [] {
  std::array<bool, 256> special{};
  for (const char c : std::string_view(" \t-_\"")) {
    special[static_cast<unsigned char>(c)] = true;
  }
  for (char c = 'A'; c <= 'Z'; ++c) {
    special[static_cast<unsigned char>(c)] = true;
  }
  return special;
}();

/// A key and whether canonical_name(key) == key, so the common key needs no copy: no space, tab,
/// hyphen or upper-case letter, and no leading, trailing or doubled underscore.
struct KeyScan {
  std::string_view key;
  bool canonical = true;
};

/// Scans key text that ends at end, or at a quote when end is null (a raw key without escapes).
KeyScan scan_key(const char* first, const char* end) noexcept {
  const char* at = first;
  bool canonical = true;
  for (;;) {
    if (at == end) {
      break;
    }
    const char c = *at;
    if (!kKeySpecial[static_cast<unsigned char>(c)]) {
      ++at;
      continue;
    }
    if (c == '"' && end == nullptr) {
      break;
    }
    if (c == '_') {
      const bool last = end == nullptr ? at[1] == '"' : at + 1 == end;
      canonical = canonical && at != first && at[-1] != '_' && !last;
    } else if (c != '"') {
      canonical = false;
    }
    ++at;
  }
  return {std::string_view(first, static_cast<std::size_t>(at - first)), canonical};
}

/// A cheap summary of a key: equal keys have equal fingerprints, so most different keys are told
/// apart without comparing their bytes (record keys are few and short, and this is per key).
std::uint64_t fingerprint(std::string_view key) noexcept {
  if (key.empty()) {
    return 0;
  }
  const auto byte = [&](std::size_t i) {
    return std::uint64_t{static_cast<unsigned char>(key[i])};
  };
  return std::uint64_t{key.size() & 0xFFFFFFFFu} | byte(0) << 32 | byte(key.size() - 1) << 40 |
         byte(key.size() / 2) << 48;
}

std::string_view trim_json_whitespace(std::string_view text) noexcept {
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\n' ||
                           text.back() == '\r')) {
    text.remove_suffix(1);
  }
  return text;
}

std::string_view kind_of_non_object(char first) noexcept {
  switch (first) {
    case '[':
      return "an array";
    case '"':
      return "a string";
    case 't':
    case 'f':
      return "a boolean";
    case 'n':
      return "null";
    default:
      return "a number";
  }
}

/// Where the first invalid UTF-8 byte of an element sits, as text for the record's detail.
std::string invalid_utf8_detail(std::string_view raw, const detail::ScannedElement& element) {
  const std::size_t offset = first_invalid_utf8(raw);
  if (offset == raw.size()) {
    return "invalid UTF-8";
  }
  std::uint64_t line = element.line;
  std::uint64_t column = element.column;
  for (std::size_t i = 0; i < offset; ++i) {
    if (raw[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return fmt::format("invalid UTF-8 at line {}, column {}", line, column);
}

std::string encoding_fault_detail(const detail::ScannedElement& element) {
  if (element.fault == detail::EncodingFault::ControlByte) {
    return fmt::format("control byte 0x{:02X} in a string at line {}, column {}",
                       element.fault_byte, element.fault_line, element.fault_column);
  }
  return fmt::format("unpaired surrogate escape in a string at line {}, column {}",
                     element.fault_line, element.fault_column);
}

}  // namespace

void Batch::clear() {
  values.clear();
  line.clear();
  status.clear();
  raw.clear();
  detail.clear();
}

struct Reader::Impl {
  Impl(std::string name, std::vector<std::string> wanted, const ReaderOptions& options,
       Source input)
      : file(std::move(name)),
        fields(std::move(wanted)),
        window_bytes(options.window_bytes),
        source(std::move(input)),
        scanner(file, options.max_depth),
        capacity(initial_capacity(options.window_bytes, source)),
        buffer(std::make_unique_for_overwrite<char[]>(capacity + kPadding)) {
    for (const auto& field : fields) {
      field_prints.push_back(fingerprint(field));
    }
    if (parser.allocate(std::min<std::size_t>(capacity, 1u << 20), options.max_depth + 2) !=
        simdjson::SUCCESS) {
      throw Error(ErrorKind::Internal, Location{file}, "cannot allocate the JSON parser");
    }
  }

  /// The window, or less for a smaller file of known size: one byte more than the file, so the
  /// first fill also sees the end.
  static std::size_t initial_capacity(std::size_t window, const Source& input) noexcept {
    if (input.size_known() && input.size() < window) {
      return static_cast<std::size_t>(input.size()) + 1;
    }
    return window;
  }

  /// Reads until the buffer is full or the file ends, then zeroes the padding after the data.
  void fill() {
    while (size < capacity && !eof) {
      const std::size_t n = source.read(buffer.get() + size, capacity - size, file);
      if (n == 0) {
        eof = true;
      } else {
        size += n;
        bytes_read += n;
      }
    }
    std::memset(buffer.get() + size, 0, kPadding);
  }

  /// Drops the bytes the scanner has consumed, keeping the unconsumed rest at the front.
  void compact() {
    const std::size_t consumed = scanner.position();
    if (consumed == 0) {
      return;
    }
    std::memmove(buffer.get(), buffer.get() + consumed, size - consumed);
    size -= consumed;
    scanner.discard(consumed);
  }

  /// Doubles the buffer, for an element larger than it.
  void grow() {
    const std::size_t bigger = capacity * 2;
    auto replacement = std::make_unique_for_overwrite<char[]>(bigger + kPadding);
    std::memcpy(replacement.get(), buffer.get(), size);
    buffer = std::move(replacement);
    capacity = bigger;
  }

  void detect() {
    for (;;) {
      fill();
      if (const auto detected = scanner.detect(buffer.get(), size, eof)) {
        format = *detected;
        return;
      }
      compact();
      if (size == capacity) {
        grow();
      }
    }
  }

  [[noreturn]] void disagree(simdjson::error_code error,
                             const detail::ScannedElement& element) const {
    throw Error(ErrorKind::Input, Location{file, element.line, element.column},
                fmt::format("cannot read the record: {}", simdjson::error_message(error)));
  }

  /// Whether a key with this canonical name came before in the current object.
  bool seen_before(std::string_view canonical, std::uint64_t print) {
    if (keys.size() < kLinearKeyCheck) {
      for (std::size_t i = 0; i < keys.size(); ++i) {
        if (key_prints[i] == print && keys[i] == canonical) {
          return true;
        }
      }
      return false;
    }
    if (key_set.empty()) {
      key_set.insert(keys.begin(), keys.end());
    }
    return !key_set.insert(canonical).second;
  }

  void read_value(simdjson::ondemand::value& value, Value& out,
                  const detail::ScannedElement& element) {
    simdjson::ondemand::json_type type{};
    if (const auto error = value.type().get(type)) {
      disagree(error, element);
    }
    switch (type) {
      case simdjson::ondemand::json_type::string: {
        const std::string_view token = trim_json_whitespace(value.raw_json_token());
        const std::string_view content = token.substr(1, token.size() - 2);
        if (!element.has_escape || content.find('\\') == std::string_view::npos) {
          out = Value{ValueKind::String, content};
          return;
        }
        std::string_view text;
        if (const auto error = value.get_string().get(text)) {
          disagree(error, element);
        }
        out = Value{ValueKind::String, arena.copy(text)};
        return;
      }
      case simdjson::ondemand::json_type::number:
        out = Value{ValueKind::Number, trim_json_whitespace(value.raw_json_token())};
        return;
      case simdjson::ondemand::json_type::boolean: {
        const std::string_view token = trim_json_whitespace(value.raw_json_token());
        out = Value{token == "true" ? ValueKind::True : ValueKind::False, token};
        return;
      }
      case simdjson::ondemand::json_type::null:
        out = Value{ValueKind::Null, trim_json_whitespace(value.raw_json_token())};
        return;
      case simdjson::ondemand::json_type::array: {
        simdjson::ondemand::array array;
        std::string_view text;
        if (const auto error = value.get_array().get(array)) {
          disagree(error, element);
        }
        if (const auto error = array.raw_json().get(text)) {
          disagree(error, element);
        }
        out = Value{ValueKind::Array, trim_json_whitespace(text)};
        return;
      }
      case simdjson::ondemand::json_type::object: {
        simdjson::ondemand::object object;
        std::string_view text;
        if (const auto error = value.get_object().get(object)) {
          disagree(error, element);
        }
        if (const auto error = object.raw_json().get(text)) {
          disagree(error, element);
        }
        out = Value{ValueKind::Object, trim_json_whitespace(text)};
        return;
      }
    }
  }

  /// Reads the wanted keys of an object element into out and checks its keys for duplicates.
  RecordStatus parse_object(const detail::ScannedElement& element, Value* out,
                            std::string& detail) {
    const char* text = buffer.get() + element.begin;
    const std::size_t length = element.end - element.begin;
    const std::size_t allocated = capacity + kPadding - element.begin;
    simdjson::ondemand::document document;
    if (const auto error = parser.iterate(text, length, allocated).get(document)) {
      if (error == simdjson::UTF8_ERROR) {
        detail = invalid_utf8_detail({text, length}, element);
        return RecordStatus::BadEncoding;
      }
      disagree(error, element);
    }
    simdjson::ondemand::object object;
    if (const auto error = document.get_object().get(object)) {
      disagree(error, element);
    }
    keys.clear();
    key_prints.clear();
    key_set.clear();
    std::size_t stored = 0;
    for (auto member : object) {
      simdjson::ondemand::field field;
      if (const auto error = std::move(member).get(field)) {
        disagree(error, element);
      }
      KeyScan scanned;
      if (element.has_escape) {
        std::string_view key;
        if (const auto error = field.unescaped_key().get(key)) {
          disagree(error, element);
        }
        scanned = scan_key(key.data(), key.data() + key.size());
      } else {
        // Without escapes the key is its raw bytes, up to the closing quote.
        scanned = scan_key(field.key().raw(), nullptr);
      }
      std::string_view canonical = scanned.key;
      if (!scanned.canonical) {
        if (stored == key_storage.size()) {
          key_storage.emplace_back();
        }
        key_storage[stored] = canonical_name(scanned.key);
        canonical = key_storage[stored++];
      }
      const std::uint64_t print = fingerprint(canonical);
      if (seen_before(canonical, print)) {
        // An empty canonical name (keys "" and "_") is shown as JSON writes it, so the detail
        // of a rejected record is never empty.
        detail = canonical.empty() ? std::string("\"\"") : std::string(canonical);
        return RecordStatus::DuplicateKey;
      }
      keys.push_back(canonical);
      key_prints.push_back(print);
      for (std::size_t f = 0; f < fields.size(); ++f) {
        if (field_prints[f] == print && fields[f] == canonical) {
          read_value(field.value(), out[f], element);
          break;
        }
      }
    }
    return RecordStatus::Ok;
  }

  void add_record(Batch& batch, const detail::ScannedElement& element) {
    const std::string_view raw(buffer.get() + element.begin, element.end - element.begin);
    const std::size_t first = batch.values.size();
    batch.values.resize(first + fields.size());
    std::string detail;
    RecordStatus status = RecordStatus::Ok;
    if (element.fault != detail::EncodingFault::None) {
      status = RecordStatus::BadEncoding;
      detail = encoding_fault_detail(element);
    } else if (raw.front() != '{') {
      if (!simdjson::validate_utf8(raw.data(), raw.size())) {
        status = RecordStatus::BadEncoding;
        detail = invalid_utf8_detail(raw, element);
      } else {
        status = RecordStatus::NotAnObject;
        detail = kind_of_non_object(raw.front());
      }
    } else {
      status = parse_object(element, batch.values.data() + first, detail);
    }
    if (status != RecordStatus::Ok) {
      std::fill(batch.values.begin() + static_cast<std::ptrdiff_t>(first), batch.values.end(),
                Value{});
    }
    batch.line.push_back(element.line);
    batch.status.push_back(status);
    batch.raw.push_back(raw);
    batch.detail.push_back(std::move(detail));
  }

  std::string file;
  std::vector<std::string> fields;
  std::size_t window_bytes;
  Source source;
  detail::Scanner scanner;
  Format format = Format::Array;
  std::size_t capacity;
  std::unique_ptr<char[]> buffer;
  std::size_t size = 0;
  bool eof = false;
  bool done = false;
  std::uint64_t bytes_read = 0;
  std::optional<Error> failure;
  simdjson::ondemand::parser parser;
  StringArena arena;
  std::vector<std::uint64_t> field_prints;  // fingerprint() of each wanted field
  std::vector<std::string_view> keys;       // canonical keys of the object being parsed
  std::vector<std::uint64_t> key_prints;    // their fingerprints
  std::deque<std::string> key_storage;      // canonical forms that differ from the key as written
  std::unordered_set<std::string_view> key_set;  // duplicate check for objects with many keys
};

namespace {

/// The wanted fields in canonical form; throws Error{Usage} for bad options.
std::vector<std::string> checked_fields(const ReaderOptions& options) {
  if (options.window_bytes == 0) {
    throw Error(ErrorKind::Usage, "JSON reader: window_bytes must be at least 1");
  }
  if (options.max_depth == 0 || options.max_depth > kDepthLimit) {
    throw Error(ErrorKind::Usage,
                fmt::format("JSON reader: max_depth must be between 1 and {}", kDepthLimit));
  }
  std::vector<std::string> fields;
  fields.reserve(options.fields.size());
  for (const auto& field : options.fields) {
    std::string canonical = canonical_name(field);
    if (std::find(fields.begin(), fields.end(), canonical) != fields.end()) {
      throw Error(ErrorKind::Usage,
                  fmt::format("JSON reader: the field \"{}\" is wanted twice", canonical));
    }
    fields.push_back(std::move(canonical));
  }
  return fields;
}

}  // namespace

Reader::Reader(std::unique_ptr<Impl> impl) noexcept : impl_(std::move(impl)) {}
Reader::Reader(Reader&&) noexcept = default;
Reader& Reader::operator=(Reader&&) noexcept = default;
Reader::~Reader() = default;

Reader Reader::open(const std::filesystem::path& path, const ReaderOptions& options) {
  std::string name = path.string();
  std::vector<std::string> fields = checked_fields(options);
  Source source = Source::file(path, name);
  auto impl =
      std::make_unique<Impl>(std::move(name), std::move(fields), options, std::move(source));
  impl->detect();
  return Reader(std::move(impl));
}

Reader Reader::open_bytes(std::string bytes, std::string name, const ReaderOptions& options) {
  std::vector<std::string> fields = checked_fields(options);
  auto impl = std::make_unique<Impl>(std::move(name), std::move(fields), options,
                                     Source::memory(std::move(bytes)));
  impl->detect();
  return Reader(std::move(impl));
}

Format Reader::format() const noexcept { return impl_->format; }
std::uint64_t Reader::bytes_read() const noexcept { return impl_->bytes_read; }
std::uint64_t Reader::file_size() const noexcept { return impl_->source.size(); }
const std::string& Reader::file_name() const noexcept { return impl_->file; }

bool Reader::next_batch(Batch& batch) {
  Impl& m = *impl_;
  batch.clear();
  batch.fields = m.fields.size();
  m.arena.reset();
  if (m.failure) {
    throw *m.failure;
  }
  if (m.done) {
    return false;
  }
  try {
    m.compact();
    m.fill();
    std::size_t start = m.scanner.position();
    detail::ScannedElement element;
    for (;;) {
      const detail::ScanStep step = m.scanner.next(m.buffer.get(), m.size, m.eof, element);
      if (step == detail::ScanStep::Element) {
        m.add_record(batch, element);
        if (element.end - start >= m.window_bytes) {
          break;
        }
        continue;
      }
      if (step == detail::ScanStep::End) {
        m.done = true;
        break;
      }
      if (batch.size() > 0) {
        break;  // the rest of a cut element waits for the next window
      }
      m.compact();
      if (m.size == m.capacity) {
        m.grow();
      }
      m.fill();
      start = m.scanner.position();
    }
  } catch (const Error& error) {
    m.failure = error;
    batch.clear();
    throw;
  }
  return batch.size() > 0;
}

}  // namespace salespipe::io::json
