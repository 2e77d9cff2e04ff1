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

// Rows whose distance sums one task computes together: their sums are independent chains, so
// the processor overlaps them, while each chain keeps numpy's row order.
constexpr std::size_t kRowsPerTask = 8;
// Columns of distances computed before they are added to the sums (stays in L1).
constexpr std::size_t kColumnBlock = 512;

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

  std::vector<double> scores(m);
  detail::WorkerPool pool(options.threads);
  detail::for_blocks(pool, m, kRowsPerTask, [&](std::size_t first, std::size_t last, std::size_t) {
    const std::size_t count = last - first;
    std::vector<double> sums(kRowsPerTask * classes, 0.0);
    std::vector<double> distance(kRowsPerTask * kColumnBlock);
    for (std::size_t j0 = 0; j0 < m; j0 += kColumnBlock) {
      const std::size_t width = std::min(kColumnBlock, m - j0);
      for (std::size_t r = 0; r < count; ++r) {
        const std::size_t i = first + r;
        double* out = &distance[r * kColumnBlock];
        // The dot product as reference BLAS forms it, then (-2 dot + |x_i|^2) + |x_j|^2,
        // clipped at 0, square-rooted; a row's distance to itself is set to 0.
        const double* column0 = columns.data() + j0;
        const double xi0 = columns[i];
        for (std::size_t j = 0; j < width; ++j) {
          out[j] = xi0 * column0[j];
        }
        for (std::size_t f = 1; f < d; ++f) {
          const double* column = columns.data() + f * m + j0;
          const double xif = columns[f * m + i];
          for (std::size_t j = 0; j < width; ++j) {
            out[j] = out[j] + xif * column[j];
          }
        }
        const double norm_i = norms[i];
        const double* norm_j = norms.data() + j0;
        for (std::size_t j = 0; j < width; ++j) {
          double value = (-2.0 * out[j] + norm_i) + norm_j[j];
          value = value < 0.0 ? 0.0 : value;
          out[j] = std::sqrt(value);
        }
        if (i >= j0 && i < j0 + width) {
          out[i - j0] = 0.0;
        }
      }
      // np.bincount(labels, weights=distances): one running sum per label, in row order.
      for (std::size_t j = 0; j < width; ++j) {
        const std::size_t l = label[j0 + j];
        for (std::size_t r = 0; r < count; ++r) {
          sums[r * classes + l] += distance[r * kColumnBlock + j];
        }
      }
    }
    for (std::size_t r = 0; r < count; ++r) {
      const std::size_t i = first + r;
      const std::size_t own = label[i];
      const double* row_sums = &sums[r * classes];
      double inter = std::numeric_limits<double>::infinity();
      for (std::size_t c = 0; c < classes; ++c) {
        if (c != own) {
          inter = std::min(inter, row_sums[c] / frequency[c]);
        }
      }
      // A row alone in its label gives 0 / 0; numpy's nan_to_num turns that into 0.
      const double intra = row_sums[own] / (frequency[own] - 1.0);
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
