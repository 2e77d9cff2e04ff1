#pragma once

// Internal to the CSV reader: finds the bytes the parser has to look at.

#include <bit>
#include <cstddef>
#include <cstdint>

#if defined(__SSE2__)
#  include <emmintrin.h>
#endif

namespace salespipe::io::csv::detail {

/// Bytes the block scanner may read past the end of the data: buffers keep this much padding.
inline constexpr std::size_t kScanPadding = 64;

/// Bit i of special is set when byte i of a 64-byte chunk is one the parser must look at: the
/// delimiter, a quote, LF, CR, another control byte (tab excepted unless it is the delimiter) or
/// DEL. Bit i of high is set for a byte >= 0x80 (UTF-8 is validated per record, not per byte).
struct ChunkMasks {
  std::uint64_t special = 0;
  std::uint64_t high = 0;
};

/// Classifies the 64 bytes at p (all of them must be readable).
inline ChunkMasks classify_chunk(const char* p, char delimiter) noexcept {
  ChunkMasks masks;
#if defined(__SSE2__)
  const __m128i delim = _mm_set1_epi8(delimiter);
  const __m128i quote = _mm_set1_epi8('"');
  const __m128i tab = _mm_set1_epi8('\t');
  const __m128i last_control = _mm_set1_epi8(0x1F);
  const __m128i del = _mm_set1_epi8(0x7F);
  for (int k = 0; k < 4; ++k) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * k));
    // Unsigned v <= 0x1F: min(v, 0x1F) == v. Signed compares would also catch bytes >= 0x80.
    const __m128i control =
        _mm_andnot_si128(_mm_cmpeq_epi8(v, tab), _mm_cmpeq_epi8(_mm_min_epu8(v, last_control), v));
    const __m128i special =
        _mm_or_si128(_mm_or_si128(control, _mm_cmpeq_epi8(v, del)),
                     _mm_or_si128(_mm_cmpeq_epi8(v, delim), _mm_cmpeq_epi8(v, quote)));
    const auto shift = static_cast<unsigned>(16 * k);
    masks.special |= std::uint64_t{static_cast<std::uint16_t>(_mm_movemask_epi8(special))} << shift;
    masks.high |= std::uint64_t{static_cast<std::uint16_t>(_mm_movemask_epi8(v))} << shift;
  }
#else
  for (unsigned i = 0; i < 64; ++i) {
    const auto byte = static_cast<unsigned char>(p[i]);
    const bool special =
        (byte < 0x20 && byte != '\t') || byte == 0x7F || byte == '"' || p[i] == delimiter;
    masks.special |= std::uint64_t{special} << i;
    masks.high |= std::uint64_t{byte >= 0x80} << i;
  }
#endif
  return masks;
}

/// Walks the special bytes of data[0, end) in order, 64 bytes at a time, and remembers whether
/// any byte >= 0x80 went by since the current record started.
class Scanner {
 public:
  Scanner(const char* data, std::size_t end, char delimiter) noexcept
      : data_(data), end_(end), delimiter_(delimiter) {}

  /// Makes next() continue at offset p (p <= end).
  void seek(std::size_t p) noexcept {
    chunk_ = p & ~std::size_t{63};
    load();
    const std::uint64_t keep = ~std::uint64_t{0} << (p - chunk_);
    bits_ &= keep;
    high_ &= keep;
    seen_high_ = seen_high_ || high_ != 0;
  }

  /// The offset of the next special byte, or end when there is none left.
  std::size_t next() noexcept {
    while (bits_ == 0) {
      if (chunk_ + 64 >= end_) {
        return end_;
      }
      chunk_ += 64;
      load();
      seen_high_ = seen_high_ || high_ != 0;
    }
    const std::size_t at = chunk_ + static_cast<std::size_t>(std::countr_zero(bits_));
    bits_ &= bits_ - 1;
    return at;
  }

  /// A record starts at p (at or after the last offset next() returned): forget earlier high bytes.
  void start_record(std::size_t p) noexcept {
    const std::size_t offset = p - chunk_;
    seen_high_ = offset < 64 && (high_ >> offset) != 0;
  }

  /// True when a byte >= 0x80 may lie between the record start and the scan position. It may be
  /// true without one (it works per chunk), never false with one.
  bool seen_high() const noexcept { return seen_high_; }
  void set_seen_high(bool seen) noexcept { seen_high_ = seen_high_ || seen; }

 private:
  void load() noexcept {
    const ChunkMasks masks = classify_chunk(data_ + chunk_, delimiter_);
    const std::size_t left = end_ - chunk_;
    const std::uint64_t valid = left >= 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << left) - 1;
    bits_ = masks.special & valid;
    high_ = masks.high & valid;
  }

  const char* data_;
  std::size_t end_;
  char delimiter_;
  std::size_t chunk_ = 0;
  std::uint64_t bits_ = 0;
  std::uint64_t high_ = 0;
  bool seen_high_ = false;
};

}  // namespace salespipe::io::csv::detail
