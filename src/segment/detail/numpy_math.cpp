#include "segment/detail/numpy_math.hpp"

#include <cstdint>
#include <utility>

namespace salespipe::segment::detail {

double pairwise_sum(const double* values, std::size_t count) noexcept {
  if (count < 8) {
    double sum = 0.0;
    for (std::size_t i = 0; i < count; ++i) {
      sum += values[i];
    }
    return sum;
  }
  if (count <= 128) {
    double lane[8];
    for (std::size_t j = 0; j < 8; ++j) {
      lane[j] = values[j];
    }
    std::size_t i = 8;
    for (; i < count - count % 8; i += 8) {
      for (std::size_t j = 0; j < 8; ++j) {
        lane[j] += values[i + j];
      }
    }
    double sum =
        ((lane[0] + lane[1]) + (lane[2] + lane[3])) + ((lane[4] + lane[5]) + (lane[6] + lane[7]));
    for (; i < count; ++i) {
      sum += values[i];
    }
    return sum;
  }
  std::size_t half = count / 2;
  half -= half % 8;
  return pairwise_sum(values, half) + pairwise_sum(values + half, count - half);
}

double numpy_sum(std::span<const double> values) noexcept {
  double sum = 0.0;
  for (std::size_t start = 0; start < values.size(); start += kNumpyBufferSize) {
    const std::size_t count = std::min(kNumpyBufferSize, values.size() - start);
    sum += pairwise_sum(values.data() + start, count);
  }
  return sum;
}

double einsum_squared_norm(const double* row, std::size_t dims) noexcept {
  double lane0 = 0.0;
  double lane1 = 0.0;
  std::size_t i = 0;
  // numpy's SIMD loop takes four two-value vectors per step and adds them to the running
  // vector starting from the last one.
  for (; dims - i >= 8; i += 8) {
    lane0 =
        (((lane0 + row[i + 6] * row[i + 6]) + row[i + 4] * row[i + 4]) + row[i + 2] * row[i + 2]) +
        row[i] * row[i];
    lane1 =
        (((lane1 + row[i + 7] * row[i + 7]) + row[i + 5] * row[i + 5]) + row[i + 3] * row[i + 3]) +
        row[i + 1] * row[i + 1];
  }
  for (; i < dims; i += 2) {
    lane0 += row[i] * row[i];
    if (i + 1 < dims) {
      lane1 += row[i + 1] * row[i + 1];
    }
  }
  return 0.0 + (lane0 + lane1);
}

namespace {

// numpy's introselect on an index array, restated: the element order it leaves behind decides
// which of several equally distant samples scikit-learn moves into an empty cluster.
class ArgSelect {
 public:
  explicit ArgSelect(const double* values) : values_(values) {}

  void select(std::size_t* index, std::ptrdiff_t count, std::ptrdiff_t kth) const {
    std::ptrdiff_t low = 0;
    std::ptrdiff_t high = count - 1;
    if (kth - low < 3) {
      selection_sort_prefix(index, high - low + 1, kth - low);
      return;
    }
    if (kth == count - 1) {
      // The last of the largest values goes to the end.
      std::ptrdiff_t best = low;
      double best_value = at(index, low);
      for (std::ptrdiff_t k = low + 1; k < count; ++k) {
        if (!(at(index, k) < best_value)) {
          best = k;
          best_value = at(index, k);
        }
      }
      std::swap(index[kth], index[best]);
      return;
    }
    int depth_limit = 0;
    for (auto rest = static_cast<std::uint64_t>(count); rest >>= 1;) {
      ++depth_limit;
    }
    depth_limit *= 2;
    while (low + 1 < high) {
      std::ptrdiff_t ll = low + 1;
      std::ptrdiff_t hh = high;
      if (depth_limit > 0 || hh - ll < 5) {
        median_of_three_to_low(index, low, low + (high - low) / 2, high);
      } else {
        const std::ptrdiff_t mid = ll + median_of_medians(index + ll, hh - ll);
        std::swap(index[mid], index[low]);
        --ll;
        ++hh;
      }
      --depth_limit;
      const double pivot = at(index, low);
      while (true) {
        do {
          ++ll;
        } while (at(index, ll) < pivot);
        do {
          --hh;
        } while (pivot < at(index, hh));
        if (hh < ll) {
          break;
        }
        std::swap(index[ll], index[hh]);
      }
      std::swap(index[low], index[hh]);
      if (hh >= kth) {
        high = hh - 1;
      }
      if (hh <= kth) {
        low = ll;
      }
    }
    if (high == low + 1 && at(index, high) < at(index, low)) {
      std::swap(index[high], index[low]);
    }
  }

 private:
  double at(const std::size_t* index, std::ptrdiff_t i) const { return values_[index[i]]; }

  void selection_sort_prefix(std::size_t* index, std::ptrdiff_t count, std::ptrdiff_t kth) const {
    for (std::ptrdiff_t i = 0; i <= kth; ++i) {
      std::ptrdiff_t smallest = i;
      double smallest_value = at(index, i);
      for (std::ptrdiff_t k = i + 1; k < count; ++k) {
        if (at(index, k) < smallest_value) {
          smallest = k;
          smallest_value = at(index, k);
        }
      }
      std::swap(index[i], index[smallest]);
    }
  }

  // Leaves the median of the three at low and the smallest at low + 1, so the partition loop
  // needs no bounds checks.
  void median_of_three_to_low(std::size_t* index, std::ptrdiff_t low, std::ptrdiff_t mid,
                              std::ptrdiff_t high) const {
    if (at(index, high) < at(index, mid)) {
      std::swap(index[high], index[mid]);
    }
    if (at(index, high) < at(index, low)) {
      std::swap(index[high], index[low]);
    }
    if (at(index, low) < at(index, mid)) {
      std::swap(index[low], index[mid]);
    }
    std::swap(index[mid], index[low + 1]);
  }

  std::ptrdiff_t median_of_five(std::size_t* index) const {
    const auto order = [&](std::ptrdiff_t a, std::ptrdiff_t b) {
      if (at(index, b) < at(index, a)) {
        std::swap(index[b], index[a]);
      }
    };
    order(0, 1);
    order(3, 4);
    order(0, 3);
    order(1, 4);
    order(1, 2);
    if (at(index, 3) < at(index, 2)) {
      return at(index, 3) < at(index, 1) ? 1 : 3;
    }
    return 2;
  }

  std::ptrdiff_t median_of_medians(std::size_t* index, std::ptrdiff_t count) const {
    const std::ptrdiff_t groups = count / 5;
    for (std::ptrdiff_t g = 0; g < groups; ++g) {
      const std::ptrdiff_t m = median_of_five(index + 5 * g);
      std::swap(index[5 * g + m], index[g]);
    }
    if (groups > 2) {
      select(index, groups, groups / 2);
    }
    return groups / 2;
  }

  const double* values_;
};

}  // namespace

std::vector<std::size_t> numpy_argpartition_top(std::span<const double> values, std::size_t count) {
  std::vector<std::size_t> index(values.size());
  for (std::size_t i = 0; i < index.size(); ++i) {
    index[i] = i;
  }
  const auto n = static_cast<std::ptrdiff_t>(values.size());
  ArgSelect(values.data()).select(index.data(), n, n - static_cast<std::ptrdiff_t>(count));
  std::vector<std::size_t> top;
  top.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    top.push_back(index[index.size() - 1 - i]);
  }
  return top;
}

void relocate_empty_clusters(std::span<const double> columns, std::size_t n, std::size_t d,
                             std::span<const double> centres, std::span<const std::int32_t> labels,
                             std::span<double> sums, std::span<double> weights) {
  std::vector<std::size_t> empty;
  for (std::size_t j = 0; j < weights.size(); ++j) {
    if (weights[j] == 0.0) {
      empty.push_back(j);
    }
  }
  if (empty.empty()) {
    return;
  }
  // ((X - centres_old[labels]) ** 2).sum(axis=1): squares, then numpy's sum of each row.
  std::vector<double> distances(n);
  std::vector<double> squares(d);
  for (std::size_t i = 0; i < n; ++i) {
    const double* centre = &centres[static_cast<std::size_t>(labels[i]) * d];
    for (std::size_t f = 0; f < d; ++f) {
      const double diff = columns[f * n + i] - centre[f];
      squares[f] = diff * diff;
    }
    distances[i] = 0.0 + pairwise_sum(squares.data(), d);
  }
  const auto far = numpy_argpartition_top(distances, empty.size());
  for (std::size_t e = 0; e < empty.size(); ++e) {
    const std::size_t target = empty[e];
    const std::size_t row = far[e];
    // The row keeps its label: a second empty cluster may take a row from the same cluster.
    const auto source = static_cast<std::size_t>(labels[row]);
    for (std::size_t f = 0; f < d; ++f) {
      sums[source * d + f] -= columns[f * n + row];
      sums[target * d + f] = columns[f * n + row];
    }
    weights[target] = 1.0;
    weights[source] -= 1.0;
  }
}

}  // namespace salespipe::segment::detail
