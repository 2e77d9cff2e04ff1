#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "segment/matrix.hpp"

namespace salespipe::segment {

/// Settings of silhouette().
struct SilhouetteOptions {
  /// Above this many rows, the score is computed on a sample of this many rows.
  std::size_t sample_size = 20'000;
  std::uint64_t seed = 42;  ///< numpy RandomState seed of the sample, in [0, 2^32 - 1]
  unsigned threads = 0;     ///< 0: one per hardware thread. Results never depend on it.
};

/// A mean silhouette coefficient and the rows it was computed on.
struct Silhouette {
  /// Empty when it is undefined: fewer than 2 distinct labels, or every row its own label.
  std::optional<double> score;
  std::size_t rows_used = 0;  ///< all rows, or sample_size when sampled
  bool sampled = false;
};

/// The mean silhouette coefficient of the rows of data labelled by labels, as scikit-learn
/// 1.2.1's silhouette_score(data, labels) computes it, with the same floating-point operations
/// in the same order (so the same value): Euclidean distances by the |x|^2 - 2 x.y + |y|^2
/// formula, per-label sums in row order, a row alone in its label scoring 0. Above
/// options.sample_size rows it is silhouette_score(data, labels, sample_size, random_state=seed):
/// the rows of numpy's RandomState(seed).permutation(rows)[:sample_size], in that order.
/// Time is quadratic in the rows used. Throws Error(Internal) when labels and data differ in
/// length, a label is negative, sample_size is 0 or the seed is above 2^32 - 1.
Silhouette silhouette(const Matrix& data, std::span<const std::int32_t> labels,
                      const SilhouetteOptions& options);

}  // namespace salespipe::segment
