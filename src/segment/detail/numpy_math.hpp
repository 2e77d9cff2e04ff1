#pragma once

// Floating-point reductions in exactly the order numpy 1.24 and scikit-learn 1.2.1 (Debian 12,
// reference BLAS) perform them, so that K-Means reproduces scikit-learn bit for bit rather than
// only approximately. Each function names the numpy or scikit-learn expression it stands for.

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace salespipe::segment::detail {

/// numpy hands a contiguous reduction to its inner loop in buffers of this many values.
inline constexpr std::size_t kNumpyBufferSize = 8192;

/// numpy's pairwise summation of one inner-loop run: eight running sums for up to 128 values,
/// halves (rounded to a multiple of eight) above that.
double pairwise_sum(const double* values, std::size_t count) noexcept;

/// np.sum(values) for a contiguous float64 array: the pairwise sums of consecutive
/// kNumpyBufferSize-value runs, added in order to 0.0.
double numpy_sum(std::span<const double> values) noexcept;

/// np.einsum("ij,ij->i", X, X) for one row (scikit-learn's row_norms(X, squared=True)): two
/// lanes, eight values per step added last-pair first, then the tail, then the two lanes.
double einsum_squared_norm(const double* row, std::size_t dims) noexcept;

/// scikit-learn's _euclidean_dense_dense(a, b, dims, squared=True): squared differences added
/// in groups of four, then one by one. Inline so that a constant dims unrolls.
inline double sklearn_squared_distance(const double* a, const double* b,
                                       std::size_t dims) noexcept {
  double result = 0.0;
  std::size_t i = 0;
  for (; i + 4 <= dims; i += 4) {
    const double d0 = a[i] - b[i];
    const double d1 = a[i + 1] - b[i + 1];
    const double d2 = a[i + 2] - b[i + 2];
    const double d3 = a[i + 3] - b[i + 3];
    result += ((d0 * d0 + d1 * d1) + d2 * d2) + d3 * d3;
  }
  for (; i < dims; ++i) {
    const double d = a[i] - b[i];
    result += d * d;
  }
  return result;
}

/// np.argpartition(values, -count)[:-count-1:-1]: the positions of `count` largest values, in
/// the order numpy's introselect leaves them (which among equal values depends on that order).
/// count must be in [1, values.size()].
std::vector<std::size_t> numpy_argpartition_top(std::span<const double> values, std::size_t count);

/// scikit-learn's _relocate_empty_clusters_dense with unit weights, between the M-step sums
/// and the averaging: every cluster whose weight is 0 takes, in cluster order, one of the rows
/// farthest from their (old) centre (numpy_argpartition_top decides which), whose values move
/// from its cluster's sums to the empty cluster's. columns holds the n x d data column by
/// column; centres, sums are k x d row-major; labels are those of the E-step just run.
void relocate_empty_clusters(std::span<const double> columns, std::size_t n, std::size_t d,
                             std::span<const double> centres, std::span<const std::int32_t> labels,
                             std::span<double> sums, std::span<double> weights);

}  // namespace salespipe::segment::detail
