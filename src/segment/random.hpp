#pragma once

#include <cstddef>
#include <cstdint>
#include <random>
#include <vector>

namespace salespipe::segment {

/// The random stream of numpy's legacy `numpy.random.RandomState(seed)` (MT19937 seeded from a
/// 32-bit integer), for the few draws scikit-learn's KMeans and silhouette sampling make. Same
/// seed, same calls, same numbers as numpy, so segmentations reproduce scikit-learn's.
class LegacyRandomState {
 public:
  /// RandomState(seed). numpy accepts seeds in [0, 2^32 - 1]; Options::validate() checks that.
  explicit LegacyRandomState(std::uint32_t seed) : engine_(seed) {}

  /// The next raw 32-bit output of MT19937.
  std::uint32_t next_uint32() { return static_cast<std::uint32_t>(engine_()); }

  /// RandomState.random_sample(): a double in [0, 1) with 53 random bits from two outputs.
  double random_sample();

  /// RandomState.uniform(low, high) for one value: low + (high - low) * random_sample().
  double uniform(double low, double high);

  /// RandomState.randint(high) with the default int64 dtype: an integer in [0, high) drawn by
  /// masked rejection on 32-bit outputs, as numpy's legacy generator does. high must be in
  /// [1, 2^32] (larger ranges use 64-bit draws, which no caller here needs); throws
  /// Error(Internal) otherwise.
  std::uint64_t randint(std::uint64_t high);

  /// RandomState.permutation(n): a shuffled 0..n-1 (Fisher-Yates from the end, numpy's
  /// random_interval draws). n must be at most 2^32; throws Error(Internal) otherwise.
  std::vector<std::size_t> permutation(std::size_t n);

 private:
  /// An integer in [0, max] by masked rejection (numpy's random_interval), max < 2^32.
  std::uint64_t interval(std::uint64_t max);

  // std::mt19937 seeded with one integer runs the same initialisation (init_genrand) and tempering
  // as numpy's legacy seeding, so its outputs are numpy's.
  std::mt19937 engine_;
};

}  // namespace salespipe::segment
