#include "segment/random.hpp"

#include <fmt/format.h>

#include <utility>

#include "core/error.hpp"

namespace salespipe::segment {
namespace {

constexpr std::uint64_t kMax32 = 0xFFFF'FFFFULL;

/// The smallest all-ones bit mask that covers value.
std::uint64_t covering_mask(std::uint64_t value) {
  std::uint64_t mask = value;
  mask |= mask >> 1;
  mask |= mask >> 2;
  mask |= mask >> 4;
  mask |= mask >> 8;
  mask |= mask >> 16;
  mask |= mask >> 32;
  return mask;
}

}  // namespace

double LegacyRandomState::random_sample() {
  // 27 high bits of one output and 26 of the next make a 53-bit fraction, in this order.
  const std::uint32_t high = next_uint32() >> 5;
  const std::uint32_t low = next_uint32() >> 6;
  return (static_cast<double>(high) * 67108864.0 + static_cast<double>(low)) / 9007199254740992.0;
}

double LegacyRandomState::uniform(double low, double high) {
  return low + (high - low) * random_sample();
}

std::uint64_t LegacyRandomState::randint(std::uint64_t high) {
  if (high == 0 || high - 1 > kMax32) {
    throw Error(
        ErrorKind::Internal,
        fmt::format("randint range [0, {}) is outside what the legacy stream supports", high));
  }
  const std::uint64_t range = high - 1;
  if (range == 0) {
    return 0;  // numpy draws nothing for a one-value range
  }
  if (range == kMax32) {
    return next_uint32();
  }
  const std::uint64_t mask = covering_mask(range);
  while (true) {
    const std::uint64_t value = next_uint32() & mask;
    if (value <= range) {
      return value;
    }
  }
}

std::uint64_t LegacyRandomState::interval(std::uint64_t max) {
  if (max == 0) {
    return 0;
  }
  const std::uint64_t mask = covering_mask(max);
  while (true) {
    const std::uint64_t value = next_uint32() & mask;
    if (value <= max) {
      return value;
    }
  }
}

std::vector<std::size_t> LegacyRandomState::permutation(std::size_t n) {
  if (n > kMax32 + 1) {
    throw Error(
        ErrorKind::Internal,
        fmt::format("permutation of {} items is outside what the legacy stream supports", n));
  }
  std::vector<std::size_t> order(n);
  for (std::size_t i = 0; i < n; ++i) {
    order[i] = i;
  }
  for (std::size_t i = n; i-- > 1;) {
    const auto j = static_cast<std::size_t>(interval(i));
    std::swap(order[i], order[j]);
  }
  return order;
}

}  // namespace salespipe::segment
