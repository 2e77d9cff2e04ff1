#include "io/json/scanner.hpp"

#include <fmt/format.h>

#include <array>
#include <bit>
#include <cstring>
#include <string_view>
#include <utility>

#include "core/error.hpp"

#if defined(__SSE2__)
#  include <emmintrin.h>
#endif

namespace salespipe::io::json::detail {
namespace {

constexpr std::array<bool, 256> kWhitespace = [] {
  std::array<bool, 256> whitespace{};
  for (const char c : std::string_view(" \t\r\n")) {
    whitespace[static_cast<unsigned char>(c)] = true;
  }
  return whitespace;
}();

bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }

int hex_value(char c) noexcept {
  if (c >= '0' && c <= '9') {
    return c - '0';
  }
  if (c >= 'a' && c <= 'f') {
    return c - 'a' + 10;
  }
  if (c >= 'A' && c <= 'F') {
    return c - 'A' + 10;
  }
  return -1;
}

/// The code unit of the four hex digits at text, or -1 when one of them is not a hex digit.
int hex4(const char* text) noexcept {
  int unit = 0;
  for (int i = 0; i < 4; ++i) {
    const int digit = hex_value(text[i]);
    if (digit < 0) {
      return -1;
    }
    unit = unit * 16 + digit;
  }
  return unit;
}

/// A byte as a message shows it: 'x' when printable, byte 0xNN otherwise.
std::string describe_byte(char c) {
  const auto byte = static_cast<unsigned char>(c);
  if (byte > 0x20 && byte < 0x7F) {
    return fmt::format("'{}'", c);
  }
  return fmt::format("byte 0x{:02X}", byte);
}

/// What the scanner found at `at`: the end of the file or the byte there.
std::string describe(const char* at, const char* end) {
  return at == end ? std::string("end of file") : describe_byte(*at);
}

std::string_view container_name(char open) noexcept { return open == '{' ? "object" : "array"; }

/// The first byte at or after text that ends a run of plain string bytes: '"', '\\' or a byte
/// below 0x20 (which includes the zero byte after the data). Many bytes at a time: strings are
/// most of a feedback file. Reads at most 15 bytes past the byte it returns.
const char* skip_plain_string_bytes(const char* text) noexcept {
#if defined(__SSE2__)
  // Sixteen bytes at a time; an unsigned byte is below 0x20 when min(byte, 0x1F) equals it.
  const __m128i quote = _mm_set1_epi8('"');
  const __m128i backslash = _mm_set1_epi8('\\');
  const __m128i below_space = _mm_set1_epi8(0x1F);
  for (;;) {
    const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(text));
    const __m128i hits =
        _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(bytes, quote), _mm_cmpeq_epi8(bytes, backslash)),
                     _mm_cmpeq_epi8(_mm_min_epu8(bytes, below_space), bytes));
    const auto mask = static_cast<unsigned>(_mm_movemask_epi8(hits));
    if (mask != 0) {
      return text + std::countr_zero(mask);
    }
    text += 16;
  }
#else
  if constexpr (std::endian::native == std::endian::little) {
    constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
    constexpr std::uint64_t kHighs = 0x8080808080808080ULL;
    for (;;) {
      std::uint64_t word = 0;
      std::memcpy(&word, text, sizeof word);
      const std::uint64_t quote = word ^ (kOnes * '"');
      const std::uint64_t backslash = word ^ (kOnes * '\\');
      // A byte is flagged when it is zero (after the xor) or below 0x20; the lowest flagged byte
      // is always a true match, since false positives only arise above a true one.
      const std::uint64_t hits = ((quote - kOnes) & ~quote) | ((backslash - kOnes) & ~backslash) |
                                 ((word - kOnes * 0x20) & ~word);
      const std::uint64_t flagged = hits & kHighs;
      if (flagged != 0) {
        return text + (std::countr_zero(flagged) >> 3);
      }
      text += sizeof word;
    }
  } else {
    while (static_cast<unsigned char>(*text) >= 0x20 && *text != '"' && *text != '\\') {
      ++text;
    }
    return text;
  }
#endif
}

}  // namespace

Scanner::Scanner(std::string file, std::size_t max_depth)
    : file_(std::move(file)), max_depth_(max_depth), open_offset_(max_depth) {}

void Scanner::fail(std::uint64_t line, std::uint64_t column, std::string message) const {
  throw Error(ErrorKind::Input, Location{file_, line, column}, std::move(message));
}

std::optional<Format> Scanner::detect(const char* data, std::size_t size, bool eof) {
  const char* p = data + pos_;
  const char* const end = data + size;
  if (base_ + pos_ == 0) {
    // RFC 8259 lets a parser ignore a byte order mark; spreadsheet tools write one.
    constexpr std::string_view kBom = "\xEF\xBB\xBF";
    const std::string_view head(p, static_cast<std::size_t>(end - p));
    if (head.size() < kBom.size() && !eof && kBom.substr(0, head.size()) == head) {
      return std::nullopt;
    }
    if (head.substr(0, kBom.size()) == kBom) {
      p += kBom.size();
    }
  }
  for (;;) {
    const char c = *p;
    if (c == ' ' || c == '\t' || c == '\r') {
      ++p;
    } else if (c == '\n') {
      ++line_;
      ++p;
      line_start_ = base_ + static_cast<std::uint64_t>(p - data);
    } else {
      break;
    }
  }
  pos_ = static_cast<std::size_t>(p - data);
  const std::uint64_t column = base_ + pos_ - line_start_ + 1;
  if (p == end) {
    if (!eof) {
      return std::nullopt;
    }
    if (base_ + pos_ == 0) {
      throw Error(ErrorKind::Input, Location{file_, 1, 1}, "empty file");
    }
    fail(line_, column, "empty file: only whitespace, no JSON value");
  }
  switch (*p) {
    case '[':
      array_line_ = line_;
      array_column_ = column;
      ++pos_;
      top_ = Top::ArrayFirst;
      return Format::Array;
    case '{':
      top_ = Top::NdjsonBetween;
      return Format::Ndjson;
    case '"':
      fail(line_, column, "top level is a string: expected an array of objects or NDJSON objects");
    case 't':
    case 'f':
      fail(line_, column, "top level is a boolean: expected an array of objects or NDJSON objects");
    case 'n':
      fail(line_, column, "top level is null: expected an array of objects or NDJSON objects");
    default:
      if (*p == '-' || is_digit(*p)) {
        fail(line_, column,
             "top level is a number: expected an array of objects or NDJSON objects");
      }
      fail(line_, column,
           fmt::format("not JSON: expected '[' or '{{', found {}", describe_byte(*p)));
  }
}

ScanStep Scanner::next(const char* data, std::size_t size, bool eof, ScannedElement& element) {
  const char* const end = data + size;
  for (;;) {
    const char* p = data + pos_;
    bool crossed_newline = false;
    for (;;) {
      const char c = *p;
      if (c == ' ' || c == '\t' || c == '\r') {
        ++p;
      } else if (c == '\n') {
        ++line_;
        ++p;
        line_start_ = base_ + static_cast<std::uint64_t>(p - data);
        crossed_newline = true;
      } else {
        break;
      }
    }
    pos_ = static_cast<std::size_t>(p - data);
    if (top_ == Top::NdjsonAfterRecord && crossed_newline) {
      top_ = Top::NdjsonBetween;
    }
    const std::uint64_t column = base_ + pos_ - line_start_ + 1;
    if (p == end) {
      if (!eof) {
        return ScanStep::NeedMore;
      }
      if (top_ == Top::ArrayFirst || top_ == Top::ArrayAfterElement || top_ == Top::ArrayNext) {
        fail(line_, column,
             fmt::format("unexpected end of file: the array opened at line {}, column {} is not "
                         "closed",
                         array_line_, array_column_));
      }
      return ScanStep::End;
    }
    switch (top_) {
      case Top::ArrayFirst:
        if (*p == ']') {
          ++pos_;
          top_ = Top::AfterArray;
          continue;
        }
        if (!scan_element(data, size, eof, element)) {
          return ScanStep::NeedMore;
        }
        top_ = Top::ArrayAfterElement;
        return ScanStep::Element;
      case Top::ArrayNext:
        if (*p == ']') {
          fail(line_, column, "expected an array element after ',', found ']' (a trailing comma)");
        }
        if (!scan_element(data, size, eof, element)) {
          return ScanStep::NeedMore;
        }
        top_ = Top::ArrayAfterElement;
        return ScanStep::Element;
      case Top::ArrayAfterElement:
        if (*p == ',') {
          ++pos_;
          top_ = Top::ArrayNext;
          continue;
        }
        if (*p == ']') {
          ++pos_;
          top_ = Top::AfterArray;
          continue;
        }
        fail(
            line_, column,
            fmt::format("expected ',' or ']' after an array element, found {}", describe_byte(*p)));
      case Top::AfterArray:
        fail(line_, column,
             fmt::format("unexpected content after the top-level array, found {}",
                         describe_byte(*p)));
      case Top::NdjsonBetween:
        if (!scan_element(data, size, eof, element)) {
          return ScanStep::NeedMore;
        }
        top_ = Top::NdjsonAfterRecord;
        return ScanStep::Element;
      case Top::NdjsonAfterRecord:
        fail(line_, column,
             fmt::format("expected a newline after the record, found {} (NDJSON holds one record "
                         "per line)",
                         describe_byte(*p)));
      case Top::Start:
        break;
    }
    throw Error(ErrorKind::Internal, Location{file_}, "JSON scanner used before detect()");
  }
}

bool Scanner::scan_element(const char* data, std::size_t size, bool eof, ScannedElement& element) {
  const char* p = data + pos_;
  const char* const end = data + size;
  std::uint64_t line = line_;
  std::uint64_t line_start = line_start_;
  std::size_t depth = 0;

  const auto column = [&](const char* at) {
    return base_ + static_cast<std::uint64_t>(at - data) - line_start + 1;
  };
  const auto newline_at = [&](const char* at) {
    ++line;
    line_start = base_ + static_cast<std::uint64_t>(at - data) + 1;
  };
  const auto skip_whitespace = [&] {
    // Minified JSON has no whitespace between tokens: one table lookup decides.
    if (!kWhitespace[static_cast<unsigned char>(*p)]) {
      return;
    }
    while (kWhitespace[static_cast<unsigned char>(*p)]) {
      if (*p == '\n') {
        newline_at(p);
      }
      ++p;
    }
  };
  // The data ends at `at`, inside a container: more may come (false), or the file is cut short.
  const auto ran_out = [&](const char* at) -> bool {
    if (!eof) {
      return false;
    }
    if (depth == 0) {
      fail(line, column(at), "unexpected end of file");
    }
    // Where the innermost open container starts, counted from the element's own start.
    const char* const opener = data + open_offset_[depth - 1];
    std::uint64_t open_line = element.line;
    std::uint64_t open_column = element.column;
    for (const char* q = data + element.begin; q < opener; ++q) {
      if (*q == '\n') {
        ++open_line;
        open_column = 1;
      } else {
        ++open_column;
      }
    }
    fail(line, column(at),
         fmt::format("unexpected end of file: the {} opened at line {}, column {} is not closed",
                     container_name(*opener), open_line, open_column));
  };

  element = ScannedElement{};
  members_.clear();
  element.begin = pos_;
  element.line = line;
  element.column = column(p);
  const auto note_fault = [&](EncodingFault fault, const char* at) {
    if (element.fault == EncodingFault::None) {
      element.fault = fault;
      element.fault_byte = static_cast<unsigned char>(*at);
      element.fault_line = line;
      element.fault_column = column(at);
    }
  };

  const auto offset = [&](const char* at) { return static_cast<std::size_t>(at - data); };

  // p is at the opening quote; false when the data ends inside the string and more may come.
  bool string_escaped = false;  // whether the last string scanned holds an escape
  const auto scan_string = [&]() -> bool {
    // Where the string opens, for the message when the file ends inside it.
    const char* const open = p;
    const std::uint64_t open_line = line;
    const std::uint64_t open_line_start = line_start;
    string_escaped = false;
    ++p;
    for (;;) {
      p = skip_plain_string_bytes(p);
      const char c = *p;
      if (c == '"') {
        ++p;
        return true;
      }
      if (c == '\\') {
        string_escaped = true;
        if (end - p < 2) {
          break;
        }
        switch (p[1]) {
          case '"':
          case '\\':
          case '/':
          case 'b':
          case 'f':
          case 'n':
          case 'r':
          case 't':
            p += 2;
            continue;
          case 'u': {
            if (end - p < 6) {
              break;
            }
            const int unit = hex4(p + 2);
            if (unit < 0) {
              fail(line, column(p), "invalid \\u escape in a string: expected four hex digits");
            }
            if (unit >= 0xD800 && unit <= 0xDBFF) {
              if (end - p < 12 && !eof) {
                return false;  // the low half may follow in the next piece
              }
              if (end - p >= 12 && p[6] == '\\' && p[7] == 'u') {
                const int low = hex4(p + 8);
                if (low >= 0xDC00 && low <= 0xDFFF) {
                  p += 12;
                  continue;
                }
              }
              note_fault(EncodingFault::UnpairedSurrogate, p);
            } else if (unit >= 0xDC00 && unit <= 0xDFFF) {
              note_fault(EncodingFault::UnpairedSurrogate, p);
            }
            p += 6;
            continue;
          }
          default:
            fail(line, column(p),
                 fmt::format("invalid escape in a string: '\\' followed by {}",
                             describe_byte(p[1])));
        }
        break;  // the data ends inside the escape
      }
      if (p == end) {
        break;
      }
      // A raw control byte: the string goes on, but the record is BadEncoding.
      note_fault(EncodingFault::ControlByte, p);
      if (c == '\n') {
        newline_at(p);
      }
      ++p;
    }
    if (!eof) {
      return false;
    }
    fail(line, column(end),
         fmt::format("unexpected end of file inside the string that starts at line {}, column {}",
                     open_line, base_ + offset(open) - open_line_start + 1));
  };

  // p is at '-' or a digit; false when the number reaches the end of the data and more may come.
  const auto scan_number = [&]() -> bool {
    const char* q = p;
    const auto fault = [&](const char* at, std::string_view what) -> bool {
      if (at == end && !eof) {
        return false;
      }
      fail(line, column(at), fmt::format("invalid number: {}", what));
    };
    if (*q == '-') {
      ++q;
    }
    if (*q == '0') {
      ++q;
      if (is_digit(*q)) {
        return fault(q, "a leading zero must not be followed by a digit");
      }
    } else if (is_digit(*q)) {
      while (is_digit(*q)) {
        ++q;
      }
    } else {
      return fault(q, "expected a digit after '-'");
    }
    if (*q == '.') {
      ++q;
      if (!is_digit(*q)) {
        return fault(q, "expected a digit after the decimal point");
      }
      while (is_digit(*q)) {
        ++q;
      }
    }
    if (*q == 'e' || *q == 'E') {
      ++q;
      if (*q == '+' || *q == '-') {
        ++q;
      }
      if (!is_digit(*q)) {
        return fault(q, "expected a digit in the exponent");
      }
      while (is_digit(*q)) {
        ++q;
      }
    }
    if (q == end && !eof) {
      return false;  // the number may go on in the next piece
    }
    p = q;
    return true;
  };

  const auto scan_literal = [&](std::string_view word) -> bool {
    for (std::size_t i = 0; i < word.size(); ++i) {
      if (p + i == end && !eof) {
        return false;
      }
      if (p[i] != word[i]) {
        fail(line, column(p), fmt::format("invalid literal: expected {}", word));
      }
    }
    p += word.size();
    return true;
  };

  enum class State : std::uint8_t { Value, ArrayFirst, ObjectFirst, ObjectNext, AfterValue };
  State state = State::Value;
  bool after_comma = false;  // for the message of a trailing comma
  // A member of the element's own object: its value comes next / is being scanned.
  bool member_value_next = false;
  bool member_open = false;
  for (;;) {
    switch (state) {
      case State::Value: {
        skip_whitespace();
        if (member_value_next) {
          members_.back().value_begin = offset(p);
          member_value_next = false;
          member_open = true;
        }
        bool complete = true;
        switch (*p) {
          case '{':
          case '[':
            if (depth == max_depth_) {
              fail(line, column(p), fmt::format("nesting deeper than {} levels", max_depth_));
            }
            open_offset_[depth] = static_cast<std::size_t>(p - data);
            ++depth;
            state = *p == '{' ? State::ObjectFirst : State::ArrayFirst;
            ++p;
            continue;
          case '"':
            complete = scan_string();
            break;
          case 't':
            complete = scan_literal("true");
            break;
          case 'f':
            complete = scan_literal("false");
            break;
          case 'n':
            complete = scan_literal("null");
            break;
          default:
            if (*p == '-' || is_digit(*p)) {
              complete = scan_number();
              break;
            }
            if (p == end) {
              return ran_out(p);
            }
            if (after_comma && *p == ']') {
              fail(line, column(p), "expected a value after ',', found ']' (a trailing comma)");
            }
            fail(line, column(p),
                 fmt::format("expected a JSON value, found {}", describe_byte(*p)));
        }
        if (!complete) {
          return false;
        }
        state = State::AfterValue;
        continue;
      }
      case State::ArrayFirst:
        skip_whitespace();
        if (*p == ']') {
          --depth;
          ++p;
          state = State::AfterValue;
        } else {
          after_comma = false;
          state = State::Value;
        }
        continue;
      case State::ObjectFirst:
      case State::ObjectNext:
        skip_whitespace();
        if (*p == '"') {
          const char* const key = p + 1;
          if (!scan_string()) {
            return false;
          }
          if (depth == 1) {
            members_.push_back(ScannedMember{
                .key_begin = offset(key), .key_end = offset(p - 1), .key_escaped = string_escaped});
            member_value_next = true;
          }
          skip_whitespace();
          if (*p != ':') {
            if (p == end) {
              return ran_out(p);
            }
            fail(line, column(p),
                 fmt::format("expected ':' after an object key, found {}", describe_byte(*p)));
          }
          ++p;
          after_comma = false;
          state = State::Value;
          continue;
        }
        if (p == end) {
          return ran_out(p);
        }
        if (state == State::ObjectFirst) {
          if (*p == '}') {
            --depth;
            ++p;
            state = State::AfterValue;
            continue;
          }
          fail(line, column(p),
               fmt::format("expected a string key or '}}', found {}", describe_byte(*p)));
        }
        if (*p == '}') {
          fail(line, column(p), "expected a key after ',', found '}' (a trailing comma)");
        }
        fail(line, column(p), fmt::format("expected a string key, found {}", describe_byte(*p)));
      case State::AfterValue: {
        if (member_open && depth == 1) {
          ScannedMember& member = members_.back();
          member.value_end = offset(p);
          member.value_escaped = data[member.value_begin] == '"' && string_escaped;
          member_open = false;
        }
        if (depth == 0) {
          element.end = static_cast<std::size_t>(p - data);
          pos_ = element.end;
          line_ = line;
          line_start_ = line_start;
          return true;
        }
        skip_whitespace();
        const bool in_object = data[open_offset_[depth - 1]] == '{';
        if (*p == ',') {
          ++p;
          after_comma = true;
          state = in_object ? State::ObjectNext : State::Value;
          continue;
        }
        if (*p == (in_object ? '}' : ']')) {
          --depth;
          ++p;
          continue;
        }
        if (p == end) {
          return ran_out(p);
        }
        fail(line, column(p),
             in_object ? fmt::format("expected ',' or '}}' after an object member, found {}",
                                     describe(p, end))
                       : fmt::format("expected ',' or ']' after an array value, found {}",
                                     describe(p, end)));
      }
    }
  }
}

namespace {

void append_utf8(std::uint32_t code_point, std::string& out) {
  const auto byte = [](std::uint32_t bits) { return static_cast<char>(bits); };
  if (code_point < 0x80) {
    out += byte(code_point);
  } else if (code_point < 0x800) {
    out += byte(0xC0 | code_point >> 6);
    out += byte(0x80 | (code_point & 0x3F));
  } else if (code_point < 0x10000) {
    out += byte(0xE0 | code_point >> 12);
    out += byte(0x80 | (code_point >> 6 & 0x3F));
    out += byte(0x80 | (code_point & 0x3F));
  } else {
    out += byte(0xF0 | code_point >> 18);
    out += byte(0x80 | (code_point >> 12 & 0x3F));
    out += byte(0x80 | (code_point >> 6 & 0x3F));
    out += byte(0x80 | (code_point & 0x3F));
  }
}

}  // namespace

void append_unescaped(std::string_view content, std::string& out) {
  constexpr std::uint32_t kReplacement = 0xFFFD;
  std::size_t i = 0;
  while (i < content.size()) {
    const std::size_t backslash = content.find('\\', i);
    out.append(content.substr(i, backslash - i));
    if (backslash == std::string_view::npos) {
      return;
    }
    i = backslash + 2;
    switch (content[backslash + 1]) {
      case 'b':
        out += '\b';
        break;
      case 'f':
        out += '\f';
        break;
      case 'n':
        out += '\n';
        break;
      case 'r':
        out += '\r';
        break;
      case 't':
        out += '\t';
        break;
      case 'u': {
        auto unit = static_cast<std::uint32_t>(hex4(content.data() + i));
        i += 4;
        if (unit >= 0xD800 && unit <= 0xDBFF) {
          const bool paired =
              i + 6 <= content.size() && content[i] == '\\' && content[i + 1] == 'u';
          const int low = paired ? hex4(content.data() + i + 2) : -1;
          if (low >= 0xDC00 && low <= 0xDFFF) {
            unit = 0x10000 + ((unit - 0xD800) << 10) + (static_cast<std::uint32_t>(low) - 0xDC00);
            i += 6;
          } else {
            unit = kReplacement;
          }
        } else if (unit >= 0xDC00 && unit <= 0xDFFF) {
          unit = kReplacement;
        }
        append_utf8(unit, out);
        break;
      }
      default:  // '"', '\\' and '/' stand for themselves
        out += content[backslash + 1];
        break;
    }
  }
}

}  // namespace salespipe::io::json::detail
