#include "segment/silhouette.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "core/error.hpp"
#include "segment/detail/numpy_math.hpp"
#include "segment/detail/worker_pool.hpp"
#include "segment/random.hpp"

namespace salespipe::segment {
namespace {

// Rows whose per-label distance sums one call computes together, one vector lane per row.
constexpr std::size_t kRows = 8;

// The row kernel vectorises across rows; its AVX2 copy has twice the square-root throughput of
// SSE2. Both give the same bits: no fused multiply-adds (-ffp-contract=off), and sqrt, +, * are
// exactly rounded at any width.
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#  define SALESPIPE_SEGMENT_CLONES __attribute__((target_clones("avx2", "default")))
#else
#  define SALESPIPE_SEGMENT_CLONES
#endif

// Distances computed per call before they are added (kRows x kColumns doubles stay in L1).
constexpr std::size_t kColumns = 256;

/// For kRows rows (values row_values[f * kRows + r], squared norms row_norms[r], position in the
/// grouped order own[r]), the sums of their distances to the rows of each label, over the rows
/// grouped by label (grouped[f * m + p], grouped_norms[p], label c at [start[c], start[c + 1])).
/// Distances are computed a block of columns at a time (vectorised along the columns), then
/// each row's sum adds them in the grouped order, which within a label is numpy's bincount
/// order. A row's distance to itself is 0, as scikit-learn sets it.
SALESPIPE_SEGMENT_CLONES
void row_sums(const double* grouped, const double* grouped_norms, std::size_t m, std::size_t d,
              const std::size_t* start, std::size_t classes, const double* row_values,
              const double* row_norms, const std::size_t* own, double* sums) {
  double distance[kRows][kColumns];
  for (std::size_t c = 0; c < classes; ++c) {
    double acc[kRows] = {};
    for (std::size_t p0 = start[c]; p0 < start[c + 1]; p0 += kColumns) {
      const std::size_t width = std::min(kColumns, start[c + 1] - p0);
      for (std::size_t r = 0; r < kRows; ++r) {
        double* __restrict out = distance[r];
        const double* __restrict column0 = grouped + p0;
        const double x0 = row_values[r];
        for (std::size_t q = 0; q < width; ++q) {
          out[q] = x0 * column0[q];
        }
        for (std::size_t f = 1; f < d; ++f) {
          const double* __restrict column = grouped + f * m + p0;
          const double xf = row_values[f * kRows + r];
          for (std::size_t q = 0; q < width; ++q) {
            out[q] = out[q] + xf * column[q];
          }
        }
        const double norm_r = row_norms[r];
        const double* __restrict norm = grouped_norms + p0;
        for (std::size_t q = 0; q < width; ++q) {
          double value = (-2.0 * out[q] + norm_r) + norm[q];
          value = value < 0.0 ? 0.0 : value;
          out[q] = std::sqrt(value);
        }
        if (own[r] >= p0 && own[r] < p0 + width) {
          out[own[r] - p0] = 0.0;
        }
      }
      for (std::size_t q = 0; q < width; ++q) {
        for (std::size_t r = 0; r < kRows; ++r) {
          acc[r] += distance[r][q];
        }
      }
    }
    for (std::size_t r = 0; r < kRows; ++r) {
      sums[r * classes + c] = acc[r];
    }
  }
}

}  // namespace

Silhouette silhouette(const Matrix& data, std::span<const std::int32_t> labels,
                      const SilhouetteOptions& options) {
  if (labels.size() != data.rows) {
    throw Error(ErrorKind::Internal,
                fmt::format("{} labels for {} rows", labels.size(), data.rows));
  }
  if (options.sample_size == 0) {
    throw Error(ErrorKind::Internal, "silhouette sample size must be at least 1");
  }
  if (options.seed > 0xFFFF'FFFFULL) {
    throw Error(ErrorKind::Internal,
                fmt::format("silhouette seed must be below 2^32, got {}", options.seed));
  }
  for (const std::int32_t label : labels) {
    if (label < 0) {
      throw Error(ErrorKind::Internal, fmt::format("negative label {}", label));
    }
  }

  Silhouette result;
  // The rows used, in the order numpy indexes them.
  std::vector<std::size_t> rows;
  if (data.rows > options.sample_size) {
    LegacyRandomState rng(static_cast<std::uint32_t>(options.seed));
    rows = rng.permutation(data.rows);
    rows.resize(options.sample_size);
    result.sampled = true;
  } else {
    rows.resize(data.rows);
    for (std::size_t i = 0; i < rows.size(); ++i) {
      rows[i] = i;
    }
  }
  const std::size_t m = rows.size();
  const std::size_t d = data.cols;
  result.rows_used = m;

  // LabelEncoder: the labels present, numbered in increasing order.
  std::int32_t max_label = 0;
  for (const std::size_t r : rows) {
    max_label = std::max(max_label, labels[r]);
  }
  std::vector<std::int32_t> code(static_cast<std::size_t>(max_label) + 1, -1);
  for (const std::size_t r : rows) {
    code[static_cast<std::size_t>(labels[r])] = 0;
  }
  std::size_t classes = 0;
  for (auto& c : code) {
    if (c == 0) {
      c = static_cast<std::int32_t>(classes++);
    }
  }
  if (classes < 2 || classes > m - 1) {
    return result;
  }
  std::vector<std::uint32_t> label(m);
  std::vector<double> frequency(classes, 0.0);
  for (std::size_t i = 0; i < m; ++i) {
    label[i] = static_cast<std::uint32_t>(code[static_cast<std::size_t>(labels[rows[i]])]);
    frequency[label[i]] += 1.0;
  }

  // The used rows column by column, and their squared norms as row_norms computes them.
  std::vector<double> columns(m * d);
  std::vector<double> norms(m);
  {
    std::vector<double> row(d);
    for (std::size_t i = 0; i < m; ++i) {
      for (std::size_t f = 0; f < d; ++f) {
        row[f] = data(rows[i], f);
        columns[f * m + i] = row[f];
      }
      norms[i] = detail::einsum_squared_norm(row.data(), d);
    }
  }

  // The rows grouped by label, keeping row order within a label (a stable order), so that
  // each label's distances are added in the order numpy's bincount adds them.
  std::vector<std::size_t> grouped_order(m);
  for (std::size_t i = 0; i < m; ++i) {
    grouped_order[i] = i;
  }
  std::stable_sort(grouped_order.begin(), grouped_order.end(),
                   [&](std::size_t a, std::size_t b) { return label[a] < label[b]; });
  std::vector<std::size_t> position(m);
  std::vector<std::size_t> start(classes + 1, 0);
  std::vector<double> grouped(m * d);
  std::vector<double> grouped_norms(m);
  for (std::size_t p = 0; p < m; ++p) {
    const std::size_t i = grouped_order[p];
    position[i] = p;
    ++start[label[i] + 1];
    grouped_norms[p] = norms[i];
    for (std::size_t f = 0; f < d; ++f) {
      grouped[f * m + p] = columns[f * m + i];
    }
  }
  for (std::size_t c = 0; c < classes; ++c) {
    start[c + 1] += start[c];
  }

  std::vector<double> scores(m);
  detail::WorkerPool pool(options.threads);
  detail::for_blocks(pool, m, kRows, [&](std::size_t first, std::size_t last, std::size_t) {
    // A short last block repeats its last row; the repeats are computed and ignored.
    std::vector<double> values(kRows * d);
    double row_norms[kRows];
    std::size_t own[kRows];
    for (std::size_t r = 0; r < kRows; ++r) {
      const std::size_t i = std::min(first + r, last - 1);
      for (std::size_t f = 0; f < d; ++f) {
        values[f * kRows + r] = columns[f * m + i];
      }
      row_norms[r] = norms[i];
      own[r] = position[i];
    }
    std::vector<double> sums(kRows * classes);
    row_sums(grouped.data(), grouped_norms.data(), m, d, start.data(), classes, values.data(),
             row_norms, own, sums.data());
    for (std::size_t r = 0; r < last - first; ++r) {
      const std::size_t i = first + r;
      const std::size_t mine = label[i];
      const double* row_sum = &sums[r * classes];
      double inter = std::numeric_limits<double>::infinity();
      for (std::size_t c = 0; c < classes; ++c) {
        if (c != mine) {
          inter = std::min(inter, row_sum[c] / frequency[c]);
        }
      }
      // A row alone in its label gives 0 / 0; numpy's nan_to_num turns that into 0.
      const double intra = row_sum[mine] / (frequency[mine] - 1.0);
      double score = (inter - intra) / std::max(intra, inter);
      if (std::isnan(intra) || std::isnan(score)) {
        score = 0.0;
      }
      scores[i] = score;
    }
  });
  result.score = detail::numpy_sum(scores) / static_cast<double>(m);
  return result;
}

}  // namespace salespipe::segment
