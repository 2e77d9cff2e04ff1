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

// The scanner reads a few zero bytes past the data.
constexpr std::size_t kPadding = detail::kScanPadding;

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

/// Bytes of a key that canonical_name may change: space, tab, hyphen, upper-case letters and
/// underscore (only when leading, trailing or doubled).
constexpr std::array<bool, 256> kKeySpecial = [] {
  std::array<bool, 256> special{};
  for (const char c : std::string_view(" \t-_")) {
    special[static_cast<unsigned char>(c)] = true;
  }
  for (char c = 'A'; c <= 'Z'; ++c) {
    special[static_cast<unsigned char>(c)] = true;
  }
  return special;
}();

/// Whether canonical_name(key) == key, so the common key needs no copy: no space, tab, hyphen
/// or upper-case letter, and no leading, trailing or doubled underscore.
bool is_canonical(std::string_view key) noexcept {
  for (std::size_t i = 0; i < key.size(); ++i) {
    const char c = key[i];
    if (kKeySpecial[static_cast<unsigned char>(c)] &&
        (c != '_' || i == 0 || key[i - 1] == '_' || i + 1 == key.size())) {
      return false;
    }
  }
  return true;
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

/// What a key as written stands for: its canonical name, that name's fingerprint, and the
/// wanted field it is (or kNotWanted).
struct KeyMeaning {
  std::string_view canonical;
  std::uint64_t print = 0;
  std::size_t field = 0;
};

constexpr std::size_t kNotWanted = SIZE_MAX;

/// The meanings of the keys seen so far, by their raw bytes. A feedback file spells the same few
/// keys millions of times; this spares each one the canonical-name scan and the search of the
/// wanted fields. Direct-mapped and never overwritten, so its memory is bounded and a meaning
/// stays valid for the reader's life; a key whose slot is taken is worked out each time.
class KnownKeys {
 public:
  const KeyMeaning* find(std::string_view raw, std::uint64_t raw_print) const noexcept {
    const Entry& entry = entries_[slot_of(raw_print)];
    if (entry.used && entry.raw_print == raw_print && equal_bytes(entry.raw, raw)) {
      return &entry.meaning;
    }
    return nullptr;
  }

  /// Remembers raw's meaning when its slot is free; the meaning's canonical name is copied.
  const KeyMeaning* remember(std::string_view raw, std::uint64_t raw_print,
                             const KeyMeaning& meaning) {
    Entry& entry = entries_[slot_of(raw_print)];
    if (entry.used) {
      return nullptr;
    }
    entry.used = true;
    entry.raw = raw;
    entry.raw_print = raw_print;
    entry.canonical = meaning.canonical;
    entry.meaning = meaning;
    entry.meaning.canonical = entry.canonical;
    return &entry.meaning;
  }

 private:
  static constexpr std::size_t kSlots = 256;
  struct Entry {
    bool used = false;
    std::string raw;
    std::uint64_t raw_print = 0;
    std::string canonical;
    KeyMeaning meaning;
  };
  static std::size_t slot_of(std::uint64_t print) noexcept {
    return static_cast<std::size_t>((print * 0x9E3779B97F4A7C15ull) >> 56) % kSlots;
  }
  // Entries never move, so the views into their strings stay valid.
  std::unique_ptr<Entry[]> entries_ = std::make_unique<Entry[]>(kSlots);
};

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

  std::string_view text_of(std::size_t begin, std::size_t end) const noexcept {
    return {buffer.get() + begin, end - begin};
  }

  /// A string that lives until the current object's keys are checked.
  std::string& next_key_storage(std::size_t& stored) {
    if (stored == key_storage.size()) {
      key_storage.emplace_back();
    }
    std::string& storage = key_storage[stored++];
    storage.clear();
    return storage;
  }

  Value read_value(const detail::ScannedMember& member) {
    const std::string_view token = text_of(member.value_begin, member.value_end);
    switch (token.front()) {
      case '"': {
        const std::string_view content = token.substr(1, token.size() - 2);
        if (!member.value_escaped) {
          return Value{ValueKind::String, content};
        }
        unescaped.clear();
        detail::append_unescaped(content, unescaped);
        return Value{ValueKind::String, arena.copy(unescaped)};
      }
      case '{':
        return Value{ValueKind::Object, token};
      case '[':
        return Value{ValueKind::Array, token};
      case 't':
        return Value{ValueKind::True, token};
      case 'f':
        return Value{ValueKind::False, token};
      case 'n':
        return Value{ValueKind::Null, token};
      default:
        return Value{ValueKind::Number, token};
    }
  }

  /// The meaning of a key as written (escapes not yet decoded when escaped is true).
  KeyMeaning meaning_of(std::string_view raw, bool escaped, std::size_t& stored) {
    const std::uint64_t raw_print = fingerprint(raw);
    if (!escaped) {
      if (const KeyMeaning* known = known_keys.find(raw, raw_print)) {
        return *known;
      }
    }
    std::string_view key = raw;
    if (escaped) {
      std::string& storage = next_key_storage(stored);
      detail::append_unescaped(raw, storage);
      key = storage;
    }
    KeyMeaning meaning{key, 0, kNotWanted};
    if (!is_canonical(key)) {
      std::string& storage = next_key_storage(stored);
      storage = canonical_name(key);
      meaning.canonical = storage;
    }
    meaning.print = fingerprint(meaning.canonical);
    for (std::size_t f = 0; f < fields.size(); ++f) {
      if (field_prints[f] == meaning.print && fields[f] == meaning.canonical) {
        meaning.field = f;
        break;
      }
    }
    if (!escaped) {
      if (const KeyMeaning* known = known_keys.remember(raw, raw_print, meaning)) {
        return *known;
      }
    }
    return meaning;
  }

  /// Reads the wanted keys of an object element, from the members the scanner found, into out
  /// and checks its keys for duplicates.
  RecordStatus read_object(const std::vector<detail::ScannedMember>& members, Value* out,
                           std::string& detail) {
    keys.clear();
    key_prints.clear();
    key_set.clear();
    std::size_t stored = 0;
    for (const detail::ScannedMember& member : members) {
      const KeyMeaning key =
          meaning_of(text_of(member.key_begin, member.key_end), member.key_escaped, stored);
      if (seen_before(key.canonical, key.print)) {
        // An empty canonical name (keys "" and "_") is shown as JSON writes it, so the detail
        // of a rejected record is never empty.
        detail = key.canonical.empty() ? std::string("\"\"") : std::string(key.canonical);
        return RecordStatus::DuplicateKey;
      }
      keys.push_back(key.canonical);
      key_prints.push_back(key.print);
      if (key.field != kNotWanted) {
        out[key.field] = read_value(member);
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
    } else if (!simdjson::validate_utf8(raw.data(), raw.size())) {
      status = RecordStatus::BadEncoding;
      detail = invalid_utf8_detail(raw, element);
    } else if (raw.front() != '{') {
      status = RecordStatus::NotAnObject;
      detail = kind_of_non_object(raw.front());
    } else {
      status = read_object(scanner.members(), batch.values.data() + first, detail);
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
  StringArena arena;
  std::string unescaped;                    // a string value while its escapes are decoded
  std::vector<std::uint64_t> field_prints;  // fingerprint() of each wanted field
  KnownKeys known_keys;
  std::vector<std::string_view> keys;     // canonical keys of the object being parsed
  std::vector<std::uint64_t> key_prints;  // their fingerprints
  std::deque<std::string> key_storage;    // keys unescaped or made canonical: stable addresses
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
