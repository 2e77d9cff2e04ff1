#include "segment/kmeans.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>
#include <numeric>
#include <utility>

#include "core/error.hpp"
#include "segment/detail/numpy_math.hpp"
#include "segment/detail/worker_pool.hpp"
#include "segment/random.hpp"

namespace salespipe::segment {

using detail::einsum_squared_norm;
using detail::kNumpyBufferSize;
using detail::numpy_sum;
using detail::pairwise_sum;
using detail::sklearn_squared_distance;
using detail::WorkerPool;

void KMeansOptions::validate() const {
  if (k < 1) {
    throw Error(ErrorKind::Usage, fmt::format("k must be at least 1, got {}", k));
  }
  if (n_init < 1) {
    throw Error(ErrorKind::Usage, fmt::format("n_init must be at least 1, got {}", n_init));
  }
  if (max_iter < 1) {
    throw Error(ErrorKind::Usage, fmt::format("max_iter must be at least 1, got {}", max_iter));
  }
  if (!std::isfinite(tol) || tol < 0.0) {
    throw Error(ErrorKind::Usage, fmt::format("tol must be a finite number >= 0, got {}", tol));
  }
  if (seed > 0xFFFF'FFFFULL) {
    throw Error(ErrorKind::Usage,
                fmt::format("seed must be between 0 and 4294967295, got {}", seed));
  }
}

namespace {

// Rows per Lloyd block: scikit-learn's CHUNK_SIZE, small enough for the block's distances to
// stay in L1.
constexpr std::size_t kLloydBlock = 256;

// The distance loops vectorise; an AVX2 copy of them does twice the work per instruction. Both
// copies give the same bits: no fused multiply-adds (-ffp-contract=off), and +, *, sqrt are
// exactly rounded at any vector width.
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#  define SALESPIPE_SEGMENT_CLONES __attribute__((target_clones("avx2", "default")))
#else
#  define SALESPIPE_SEGMENT_CLONES
#endif

/// The data as KMeans.fit sees it after its preparation: centred by the column means.
struct Prepared {
  std::size_t n = 0;
  std::size_t d = 0;
  std::vector<double> columns;  ///< centred, column-major: columns[f * n + i]
  std::vector<double> norms;    ///< row_norms(centred, squared=True)
  std::vector<double> mean;     ///< X.mean(axis=0)
  double tolerance = 0.0;       ///< _tolerance(X, tol), from the uncentred data

  const double* column(std::size_t f) const noexcept { return columns.data() + f * n; }
  double at(std::size_t i, std::size_t f) const noexcept { return columns[f * n + i]; }
};

void check_data(const Matrix& data, int k) {
  if (data.rows < 2) {
    throw Error(ErrorKind::Input, fmt::format("K-Means needs at least 2 rows, got {}", data.rows));
  }
  if (data.rows < static_cast<std::size_t>(k)) {
    throw Error(ErrorKind::Input,
                fmt::format("K-Means cannot form {} clusters from {} rows", k, data.rows));
  }
  if (data.cols == 0) {
    throw Error(ErrorKind::Input, "K-Means needs at least one column");
  }
  for (std::size_t r = 0; r < data.rows; ++r) {
    for (std::size_t c = 0; c < data.cols; ++c) {
      if (!std::isfinite(data(r, c))) {
        throw Error(ErrorKind::Input, fmt::format("row {} column {} is {}, not a finite number",
                                                  r + 1, c + 1, data(r, c)));
      }
    }
  }
  // Up to k distinct rows are kept; the scan stops as soon as k are found, which on real data
  // is within the first few rows.
  std::vector<std::size_t> distinct{0};
  for (std::size_t r = 1; r < data.rows && distinct.size() < static_cast<std::size_t>(k); ++r) {
    const auto row = data.row(r);
    const bool seen = std::any_of(distinct.begin(), distinct.end(), [&](std::size_t other) {
      return std::equal(row.begin(), row.end(), data.row(other).begin());
    });
    if (!seen) {
      distinct.push_back(r);
    }
  }
  if (distinct.size() < static_cast<std::size_t>(k)) {
    if (distinct.size() == 1) {
      throw Error(ErrorKind::Input,
                  fmt::format("all {} rows are identical, so K-Means cannot form {} clusters",
                              data.rows, k));
    }
    throw Error(ErrorKind::Input,
                fmt::format("only {} distinct rows among {}, so K-Means cannot form {} clusters",
                            distinct.size(), data.rows, k));
  }
}

Prepared prepare(const Matrix& data, double tol) {
  Prepared x;
  x.n = data.rows;
  x.d = data.cols;
  const auto count = static_cast<double>(x.n);
  // numpy reduces axis 0 of a C-ordered matrix row after row: one running sum per column.
  std::vector<double> sum(x.d, 0.0);
  for (std::size_t i = 0; i < x.n; ++i) {
    for (std::size_t f = 0; f < x.d; ++f) {
      sum[f] += data(i, f);
    }
  }
  x.mean.resize(x.d);
  for (std::size_t f = 0; f < x.d; ++f) {
    x.mean[f] = sum[f] / count;
  }
  if (tol != 0.0) {
    // np.var(X, axis=0) on the data before centring, then np.mean of those, times tol.
    std::vector<double> squares(x.d, 0.0);
    for (std::size_t i = 0; i < x.n; ++i) {
      for (std::size_t f = 0; f < x.d; ++f) {
        const double deviation = data(i, f) - x.mean[f];
        squares[f] += deviation * deviation;
      }
    }
    std::vector<double> variances(x.d);
    for (std::size_t f = 0; f < x.d; ++f) {
      variances[f] = squares[f] / count;
    }
    x.tolerance = numpy_sum(variances) / static_cast<double>(x.d) * tol;
  }
  x.columns.resize(x.n * x.d);
  x.norms.resize(x.n);
  std::vector<double> row(x.d);
  for (std::size_t i = 0; i < x.n; ++i) {
    for (std::size_t f = 0; f < x.d; ++f) {
      row[f] = data(i, f) - x.mean[f];
      x.columns[f * x.n + i] = row[f];
    }
    x.norms[i] = einsum_squared_norm(row.data(), x.d);
  }
  return x;
}

std::vector<double> centred_row(const Prepared& x, std::size_t i) {
  std::vector<double> row(x.d);
  for (std::size_t f = 0; f < x.d; ++f) {
    row[f] = x.at(i, f);
  }
  return row;
}

/// _euclidean_distances(centre, X, Y_norm_squared=norms, squared=True) for rows [first, last):
/// the dot product as reference BLAS forms it, then -2 * dot + |c|^2 + |x|^2, clipped at 0.
SALESPIPE_SEGMENT_CLONES
void distances_to(const Prepared& x, const std::vector<double>& centre, double centre_norm,
                  std::size_t first, std::size_t last, double* __restrict out) {
  const std::size_t count = last - first;
  const double* __restrict column0 = x.column(0) + first;
  for (std::size_t i = 0; i < count; ++i) {
    out[i] = centre[0] * column0[i];
  }
  for (std::size_t f = 1; f < x.d; ++f) {
    const double* __restrict column = x.column(f) + first;
    const double c = centre[f];
    for (std::size_t i = 0; i < count; ++i) {
      out[i] = out[i] + c * column[i];
    }
  }
  const double* __restrict norms = x.norms.data() + first;
  for (std::size_t i = 0; i < count; ++i) {
    const double value = (-2.0 * out[i] + centre_norm) + norms[i];
    out[i] = value < 0.0 ? 0.0 : value;
  }
}

/// np.searchsorted(np.cumsum(weights), targets) (side left), clipped to the last index: one
/// running sum in numpy's order, stopping at the largest target.
std::vector<std::size_t> search_cumulative(const std::vector<double>& weights,
                                           const std::vector<double>& targets) {
  std::vector<std::size_t> order(targets.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return targets[a] < targets[b]; });
  const std::size_t n = weights.size();
  std::vector<std::size_t> found(targets.size());
  std::size_t i = 0;
  double running = weights[0];
  for (const std::size_t t : order) {
    while (i < n && !(running >= targets[t])) {
      ++i;
      if (i < n) {
        running += weights[i];
      }
    }
    found[t] = std::min(i, n - 1);
  }
  return found;
}

/// numpy's sum of each row of a (rows x n) set of distances, computed per 8192-value buffer
/// in parallel and added in buffer order.
class BufferedSums {
 public:
  BufferedSums(std::size_t rows, std::size_t n)
      : buffers_((n + kNumpyBufferSize - 1) / kNumpyBufferSize), partial_(rows * buffers_) {}

  void set(std::size_t row, std::size_t buffer, const double* values, std::size_t count) {
    partial_[row * buffers_ + buffer] = pairwise_sum(values, count);
  }
  double total(std::size_t row) const {
    double sum = 0.0;
    for (std::size_t b = 0; b < buffers_; ++b) {
      sum += partial_[row * buffers_ + b];
    }
    return sum;
  }

 private:
  std::size_t buffers_;
  std::vector<double> partial_;
};

/// Buffers of kmeans_plusplus, reused by the runs of one fit (each is n doubles).
struct SeedingBuffers {
  std::vector<double> closest;
  std::vector<std::vector<double>> candidate_distances;
};

/// scikit-learn's _kmeans_plusplus for one run: returns the chosen rows.
std::vector<std::size_t> kmeans_plusplus(const Prepared& x, int k, LegacyRandomState& rng,
                                         WorkerPool& pool, SeedingBuffers& buffers) {
  const std::size_t n = x.n;
  const auto trials = static_cast<std::size_t>(2 + static_cast<int>(std::log(k)));
  std::vector<std::size_t> chosen;
  chosen.reserve(static_cast<std::size_t>(k));
  chosen.push_back(static_cast<std::size_t>(rng.randint(n)));

  std::vector<double>& closest = buffers.closest;
  closest.resize(n);
  auto& candidate_distances = buffers.candidate_distances;
  candidate_distances.resize(trials);
  for (auto& row : candidate_distances) {
    row.resize(n);
  }
  double potential = 0.0;
  {
    const auto centre = centred_row(x, chosen[0]);
    const double centre_norm = x.norms[chosen[0]];
    BufferedSums sums(1, n);
    detail::for_blocks(pool, n, kNumpyBufferSize,
                       [&](std::size_t first, std::size_t last, std::size_t block) {
                         distances_to(x, centre, centre_norm, first, last, closest.data() + first);
                         sums.set(0, block, closest.data() + first, last - first);
                       });
    potential = sums.total(0);
  }

  for (int c = 1; c < k; ++c) {
    std::vector<double> targets(trials);
    for (auto& target : targets) {
      target = rng.uniform(0.0, 1.0) * potential;
    }
    const auto candidates = search_cumulative(closest, targets);
    std::vector<std::vector<double>> centres;
    for (const std::size_t candidate : candidates) {
      centres.push_back(centred_row(x, candidate));
    }
    BufferedSums sums(trials, n);
    detail::for_blocks(pool, n, kNumpyBufferSize,
                       [&](std::size_t first, std::size_t last, std::size_t block) {
                         for (std::size_t t = 0; t < trials; ++t) {
                           double* out = candidate_distances[t].data() + first;
                           distances_to(x, centres[t], x.norms[candidates[t]], first, last, out);
                           const double* current = closest.data() + first;
                           for (std::size_t i = 0; i < last - first; ++i) {
                             out[i] = current[i] <= out[i] ? current[i] : out[i];  // np.minimum
                           }
                           sums.set(t, block, out, last - first);
                         }
                       });
    std::size_t best = 0;
    double best_potential = sums.total(0);
    for (std::size_t t = 1; t < trials; ++t) {
      const double total = sums.total(t);
      if (total < best_potential) {
        best = t;
        best_potential = total;
      }
    }
    potential = best_potential;
    closest.swap(candidate_distances[best]);
    chosen.push_back(candidates[best]);
  }
  return chosen;
}

/// One E-step over all rows in order: labels from the centres as reference BLAS dgemm forms
/// the distances (dot product from the first feature on, then -2 * dot + |c|^2; the smallest
/// wins, the first on a tie), and with sums given the M-step sums as scikit-learn adds them on
/// one thread (row after row). Returns how many labels differ from previous (0 without it).
/// sums (k x d) and weights (k) are overwritten. Labels are stored as L: one byte when k is at
/// most 255, so that the data and both label arrays of a large input stay in the L3 cache.
template <class L>
using Pass = std::size_t (*)(const Prepared& x, std::size_t k, const double* centres,
                             const double* centre_norms, L* labels, const L* previous, double* sums,
                             double* weights);

/// The pass for any k and d: sums kept in memory.
template <class L>
std::size_t pass_any(const Prepared& x, std::size_t k, const double* centres,
                     const double* centre_norms, L* labels, const L* previous, double* sums,
                     double* weights) {
  const std::size_t n = x.n;
  const std::size_t d = x.d;
  if (sums != nullptr) {
    std::fill(sums, sums + k * d, 0.0);
    std::fill(weights, weights + k, 0.0);
  }
  double best[kLloydBlock];
  double dot[kLloydBlock];
  L block_labels[kLloydBlock];
  std::size_t changed = 0;
  for (std::size_t first = 0; first < n; first += kLloydBlock) {
    const std::size_t count = std::min(kLloydBlock, n - first);
    for (std::size_t j = 0; j < k; ++j) {
      const double* c = centres + j * d;
      const double* column0 = x.column(0) + first;
      for (std::size_t i = 0; i < count; ++i) {
        dot[i] = c[0] * column0[i];
      }
      for (std::size_t f = 1; f < d; ++f) {
        const double* column = x.column(f) + first;
        const double cf = c[f];
        for (std::size_t i = 0; i < count; ++i) {
          dot[i] = dot[i] + cf * column[i];
        }
      }
      const double norm = centre_norms[j];
      const auto label = static_cast<L>(j);
      for (std::size_t i = 0; i < count; ++i) {
        const double distance = -2.0 * dot[i] + norm;
        const bool closer = j == 0 || distance < best[i];
        best[i] = closer ? distance : best[i];
        block_labels[i] = closer ? label : block_labels[i];
      }
    }
    for (std::size_t i = 0; i < count; ++i) {
      labels[first + i] = block_labels[i];
    }
    if (previous != nullptr) {
      for (std::size_t i = 0; i < count; ++i) {
        changed += previous[first + i] != block_labels[i] ? 1 : 0;
      }
    }
    if (sums != nullptr) {
      for (std::size_t i = 0; i < count; ++i) {
        const auto j = static_cast<std::size_t>(block_labels[i]);
        weights[j] += 1.0;
        for (std::size_t f = 0; f < d; ++f) {
          sums[j * d + f] += x.at(first + i, f);
        }
      }
    }
  }
  return changed;
}

/// The same pass for K clusters of D features, with every sum in a register. Each row adds
/// its values to its own cluster's sums and +0.0 to the others' (selected by a bit mask, so no
/// branch): x + 0.0 is x for every sum that can occur (they start at +0.0, which no addition
/// turns into -0.0), so the sums are bit for bit those of pass_any.
template <std::size_t K, std::size_t D, class L>
SALESPIPE_SEGMENT_CLONES std::size_t pass_fixed(const Prepared& x, std::size_t /*k*/,
                                                const double* centres, const double* centre_norms,
                                                L* labels, const L* previous, double* sums,
                                                double* weights) {
  const std::size_t n = x.n;
  const double* column[D];
  for (std::size_t f = 0; f < D; ++f) {
    column[f] = x.column(f);
  }
  double c[K][D];
  double norm[K];
  for (std::size_t j = 0; j < K; ++j) {
    norm[j] = centre_norms[j];
    for (std::size_t f = 0; f < D; ++f) {
      c[j][f] = centres[j * D + f];
    }
  }
  double acc[K][D] = {};
  std::size_t members[K] = {};
  double distance[K][kLloydBlock];
  L block_labels[kLloydBlock];
  std::size_t changed = 0;
  for (std::size_t first = 0; first < n; first += kLloydBlock) {
    const std::size_t count = std::min(kLloydBlock, n - first);
    for (std::size_t j = 0; j < K; ++j) {
      double* __restrict out = distance[j];
      for (std::size_t i = 0; i < count; ++i) {
        double dot = c[j][0] * column[0][first + i];
        for (std::size_t f = 1; f < D; ++f) {
          dot = dot + c[j][f] * column[f][first + i];
        }
        out[i] = -2.0 * dot + norm[j];
      }
    }
    // The nearest centre, the first on a tie; selects rather than branches, since which
    // centre wins changes unpredictably from row to row.
    for (std::size_t i = 0; i < count; ++i) {
      double best = distance[0][i];
      std::int32_t label = 0;
      for (std::size_t j = 1; j < K; ++j) {
        const bool closer = distance[j][i] < best;
        best = closer ? distance[j][i] : best;
        label += static_cast<std::int32_t>(closer) * (static_cast<std::int32_t>(j) - label);
      }
      block_labels[i] = static_cast<L>(label);
    }
    std::copy(block_labels, block_labels + count, labels + first);
    if (previous != nullptr) {
      for (std::size_t i = 0; i < count; ++i) {
        changed += previous[first + i] != block_labels[i] ? 1 : 0;
      }
    }
    if (sums != nullptr) {
      for (std::size_t i = 0; i < count; ++i) {
        const auto own = static_cast<std::size_t>(block_labels[i]);
        std::uint64_t bits[D];
        for (std::size_t f = 0; f < D; ++f) {
          bits[f] = std::bit_cast<std::uint64_t>(column[f][first + i]);
        }
        for (std::size_t j = 0; j < K; ++j) {
          const std::uint64_t mine = j == own ? 1 : 0;
          members[j] += mine;
          const std::uint64_t mask = 0 - mine;
          for (std::size_t f = 0; f < D; ++f) {
            acc[j][f] += std::bit_cast<double>(bits[f] & mask);
          }
        }
      }
    }
  }
  if (sums != nullptr) {
    for (std::size_t j = 0; j < K; ++j) {
      weights[j] = static_cast<double>(members[j]);
      for (std::size_t f = 0; f < D; ++f) {
        sums[j * D + f] = acc[j][f];
      }
    }
  }
  return changed;
}

template <std::size_t D, class L>
Pass<L> pass_for_clusters(std::size_t k) {
  switch (k) {
    case 2:
      return pass_fixed<2, D, L>;
    case 3:
      return pass_fixed<3, D, L>;
    case 4:
      return pass_fixed<4, D, L>;
    case 5:
      return pass_fixed<5, D, L>;
    default:
      return pass_any<L>;
  }
}

/// The fastest pass for k clusters of d features: the segmentation's shapes (3 or 4 features,
/// 2 to 5 segments) have their own; any other runs the general one, with the same results.
template <class L>
Pass<L> choose_pass(std::size_t k, std::size_t d) {
  switch (d) {
    case 3:
      return pass_for_clusters<3, L>(k);
    case 4:
      return pass_for_clusters<4, L>(k);
    default:
      return pass_any<L>;
  }
}

/// _inertia_dense on one thread: squared distances of rows to their centre, added in row order.
template <std::size_t D, class L>
double inertia_fixed(const Prepared& x, const double* centres, const L* labels) {
  const double* column[D];
  for (std::size_t f = 0; f < D; ++f) {
    column[f] = x.column(f);
  }
  double total = 0.0;
  for (std::size_t i = 0; i < x.n; ++i) {
    double row[D];
    for (std::size_t f = 0; f < D; ++f) {
      row[f] = column[f][i];
    }
    total += sklearn_squared_distance(row, centres + static_cast<std::size_t>(labels[i]) * D, D);
  }
  return total;
}

template <class L>
double inertia_any(const Prepared& x, const double* centres, const L* labels) {
  const std::size_t d = x.d;
  std::vector<double> row(d);
  double total = 0.0;
  for (std::size_t i = 0; i < x.n; ++i) {
    for (std::size_t f = 0; f < d; ++f) {
      row[f] = x.at(i, f);
    }
    total +=
        sklearn_squared_distance(row.data(), centres + static_cast<std::size_t>(labels[i]) * d, d);
  }
  return total;
}

template <class L>
double inertia(const Prepared& x, const double* centres, const L* labels) {
  switch (x.d) {
    case 3:
      return inertia_fixed<3, L>(x, centres, labels);
    case 4:
      return inertia_fixed<4, L>(x, centres, labels);
    default:
      return inertia_any(x, centres, labels);
  }
}

/// One Lloyd run (_kmeans_single_lloyd), computed on one thread, with labels stored as L.
/// Returns the run's summary; labels_out and centres (k x d, centred units) receive its result.
template <class L>
KMeansRun lloyd(const Prepared& x, std::size_t k, const std::vector<std::size_t>& init_rows,
                int max_iter, std::vector<std::int32_t>& labels_out, std::vector<double>& centres) {
  const std::size_t n = x.n;
  const std::size_t d = x.d;
  const Pass<L> pass = choose_pass<L>(k, d);
  // No label takes this value (k is below it), so every row counts as changed at first.
  const L unset = std::numeric_limits<L>::max();
  centres.assign(k * d, 0.0);
  for (std::size_t j = 0; j < k; ++j) {
    for (std::size_t f = 0; f < d; ++f) {
      centres[j * d + f] = x.at(init_rows[j], f);
    }
  }
  std::vector<double> sums(k * d);
  std::vector<double> weights(k);
  std::vector<double> shift(k);
  std::vector<double> centre_norms(k);
  std::vector<L> labels(n, unset);
  std::vector<L> previous(n, unset);
  const auto norms_of = [&](const std::vector<double>& of) {
    for (std::size_t j = 0; j < k; ++j) {
      centre_norms[j] = einsum_squared_norm(&of[j * d], d);
    }
  };

  KMeansRun result;
  result.init_rows = init_rows;
  int iteration = 0;
  for (; iteration < max_iter; ++iteration) {
    norms_of(centres);
    const std::size_t changed = pass(x, k, centres.data(), centre_norms.data(), labels.data(),
                                     previous.data(), sums.data(), weights.data());
    if (std::find(weights.begin(), weights.end(), 0.0) != weights.end()) {
      const std::vector<std::int32_t> wide(labels.begin(), labels.end());
      detail::relocate_empty_clusters(x.columns, n, d, centres, wide, sums, weights);
    }
    for (std::size_t j = 0; j < k; ++j) {
      if (weights[j] > 0.0) {
        const double alpha = 1.0 / weights[j];
        for (std::size_t f = 0; f < d; ++f) {
          sums[j * d + f] *= alpha;
        }
      }
      shift[j] = std::sqrt(sklearn_squared_distance(&sums[j * d], &centres[j * d], d));
    }
    centres.swap(sums);
    if (changed == 0) {
      result.strictly_converged = true;
      break;
    }
    for (auto& s : shift) {
      s = s * s;
    }
    if (numpy_sum(shift) <= x.tolerance) {
      break;
    }
    labels.swap(previous);
  }
  if (iteration == max_iter) {
    // The loop ran out; the labels of the last iteration sit in `previous` after the swap.
    labels.swap(previous);
    --iteration;
  }
  if (!result.strictly_converged) {
    // The final E-step, so that labels match the centres.
    norms_of(centres);
    pass(x, k, centres.data(), centre_norms.data(), labels.data(), nullptr, nullptr, nullptr);
  }
  result.iterations = iteration + 1;
  result.inertia = inertia<L>(x, centres.data(), labels.data());
  labels_out.assign(labels.begin(), labels.end());
  return result;
}

/// _is_same_clustering: whether labels maps onto reference one label to one label (checked
/// in one direction only, as scikit-learn does).
bool same_clustering(const std::vector<std::int32_t>& labels,
                     const std::vector<std::int32_t>& reference, int k) {
  std::vector<std::int32_t> mapping(static_cast<std::size_t>(k), -1);
  for (std::size_t i = 0; i < labels.size(); ++i) {
    auto& mapped = mapping[static_cast<std::size_t>(labels[i])];
    if (mapped == -1) {
      mapped = reference[i];
    } else if (mapped != reference[i]) {
      return false;
    }
  }
  return true;
}

std::vector<std::vector<std::size_t>> all_initialisations(const Prepared& x,
                                                          const KMeansOptions& options,
                                                          WorkerPool& pool) {
  // One generator for all runs, as KMeans.fit passes its RandomState to each initialisation;
  // Lloyd's iterations draw nothing, so the runs' initial centres can be chosen up front.
  LegacyRandomState rng(static_cast<std::uint32_t>(options.seed));
  std::vector<std::vector<std::size_t>> inits;
  SeedingBuffers buffers;
  for (int r = 0; r < options.n_init; ++r) {
    inits.push_back(kmeans_plusplus(x, options.k, rng, pool, buffers));
  }
  return inits;
}

}  // namespace

std::vector<std::vector<std::size_t>> kmeans_plusplus_rows(const Matrix& data,
                                                           const KMeansOptions& options) {
  options.validate();
  check_data(data, options.k);
  const Prepared x = prepare(data, options.tol);
  WorkerPool pool(options.threads);
  return all_initialisations(x, options, pool);
}

KMeansResult kmeans(const Matrix& data, const KMeansOptions& options) {
  options.validate();
  check_data(data, options.k);
  const Prepared x = prepare(data, options.tol);
  WorkerPool pool(options.threads);
  const auto inits = all_initialisations(x, options, pool);

  KMeansResult result;
  result.tolerance = x.tolerance;
  result.runs.resize(inits.size());
  std::vector<double> best_centres;
  bool have_best = false;

  // Runs go to the threads in waves; each run is computed by one thread alone, and the kept
  // run is chosen in run order afterwards, so the outcome does not depend on the threads.
  const std::size_t wave = pool.size();
  for (std::size_t start = 0; start < inits.size(); start += wave) {
    const std::size_t count = std::min(wave, inits.size() - start);
    std::vector<std::vector<std::int32_t>> labels(count);
    std::vector<std::vector<double>> centres(count);
    pool.run(count, [&](std::size_t w) {
      const auto k = static_cast<std::size_t>(options.k);
      result.runs[start + w] =
          k <= 255
              ? lloyd<std::uint8_t>(x, k, inits[start + w], options.max_iter, labels[w], centres[w])
              : lloyd<std::int32_t>(x, k, inits[start + w], options.max_iter, labels[w],
                                    centres[w]);
    });
    for (std::size_t w = 0; w < count; ++w) {
      const KMeansRun& run = result.runs[start + w];
      if (!have_best ||
          (run.inertia < result.inertia && !same_clustering(labels[w], result.labels, options.k))) {
        have_best = true;
        result.labels = std::move(labels[w]);
        best_centres = std::move(centres[w]);
        result.inertia = run.inertia;
        result.iterations = run.iterations;
        result.best_run = start + w;
      }
    }
  }

  result.centers = Matrix(static_cast<std::size_t>(options.k), x.d);
  for (std::size_t j = 0; j < result.centers.rows; ++j) {
    for (std::size_t f = 0; f < x.d; ++f) {
      result.centers(j, f) = best_centres[j * x.d + f] + x.mean[f];
    }
  }
  return result;
}

}  // namespace salespipe::segment
