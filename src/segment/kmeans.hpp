#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "segment/matrix.hpp"

namespace salespipe::segment {

/// Settings of kmeans(); the defaults are scikit-learn's KMeans defaults with random_state=42.
struct KMeansOptions {
  int k = 2;
  int n_init = 10;
  int max_iter = 300;
  double tol = 1e-4;        ///< relative: multiplied by the mean per-column variance of the data
  std::uint64_t seed = 42;  ///< numpy RandomState seed, in [0, 2^32 - 1]
  unsigned threads = 0;     ///< 0: one per hardware thread. Results never depend on it.

  /// Throws Error(Usage) naming the first bad field: k < 1, n_init < 1, max_iter < 1, tol
  /// negative or not finite, seed above 2^32 - 1.
  void validate() const;
};

/// One of the n_init runs.
struct KMeansRun {
  std::vector<std::size_t> init_rows;  ///< rows k-means++ chose as the initial centres, in order
  double inertia = 0.0;
  int iterations = 0;               ///< Lloyd iterations run (scikit-learn's n_iter_ for this run)
  bool strictly_converged = false;  ///< labels stopped changing (rather than the tol test)
};

/// The kept run of kmeans().
struct KMeansResult {
  std::vector<std::int32_t> labels;  ///< cluster of each row, in [0, k)
  Matrix centers;                    ///< k rows, in the units of the input
  double inertia = 0.0;              ///< sum of squared distances of rows to their centre
  int iterations = 0;                ///< n_iter_ of the kept run
  std::size_t best_run = 0;          ///< index into runs
  double tolerance = 0.0;            ///< the absolute tolerance: tol x mean column variance
  std::vector<KMeansRun> runs;
};

/// Clusters the rows of data as scikit-learn 1.2.1 does with KMeans(n_clusters=k,
/// n_init=n_init, max_iter=max_iter, tol=tol, algorithm="lloyd", random_state=seed).fit(data)
/// when scikit-learn runs on one OpenMP thread: the same numpy RandomState stream, greedy
/// k-means++ with 2 + ln k local trials, centring, the tolerance, Lloyd's iterations with the
/// strict-convergence and tolerance tests, empty-cluster relocation, the final assignment and
/// the lowest-inertia run (the first on a tie, and not replacing a run with the same
/// partition) are all computed with the same floating-point operations in the same order, so
/// labels, centres, inertia and iteration counts are bit for bit scikit-learn's.
/// Work is spread over options.threads without changing any result.
/// Throws Error(Usage) from options.validate(); Error(Input) when data has fewer than two rows,
/// fewer rows than k, a NaN or infinite value, or fewer distinct rows than k.
KMeansResult kmeans(const Matrix& data, const KMeansOptions& options);

/// The k-means++ initial centres of scikit-learn's _kmeans_plusplus for one run, as KMeans.fit
/// calls it: on data centred by its column means, drawing from rng. Returns the chosen rows.
/// Exposed so tests can compare the initialisation alone. Throws as kmeans() does.
std::vector<std::vector<std::size_t>> kmeans_plusplus_rows(const Matrix& data,
                                                           const KMeansOptions& options);

}  // namespace salespipe::segment
