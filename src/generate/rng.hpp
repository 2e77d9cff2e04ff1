#pragma once

#include <cstdint>

namespace salespipe::generate::detail {

// The generator's random numbers. Its own code, not <random>: the standard distributions are
// implementation-defined, and the files must be byte-identical on every machine. Inline because
// it runs about ten times per generated row.

/// splitmix64: the next value of the sequence that starts at `state`; advances `state`.
inline std::uint64_t splitmix64(std::uint64_t& state) noexcept {
  std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

/// xoshiro256** seeded through splitmix64, with integer-only helpers on top.
class Rng {
 public:
  explicit Rng(std::uint64_t seed) noexcept {
    for (std::uint64_t& word : s_) {
      word = splitmix64(seed);
    }
  }

  /// The next 64 random bits.
  std::uint64_t next() noexcept {
    const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }

  /// A number in [0, n) (0 when n is 0): the high half of a 128-bit product, which is exact
  /// integer arithmetic and needs no division.
  std::uint64_t below(std::uint64_t n) noexcept {
    __extension__ using Wide = unsigned __int128;
    return static_cast<std::uint64_t>((static_cast<Wide>(next()) * n) >> 64);
  }

  /// True with probability per_10000 / 10000.
  bool chance(std::uint64_t per_10000) noexcept { return below(10'000) < per_10000; }

 private:
  static std::uint64_t rotl(std::uint64_t x, int k) noexcept { return (x << k) | (x >> (64 - k)); }

  std::uint64_t s_[4];
};

}  // namespace salespipe::generate::detail
