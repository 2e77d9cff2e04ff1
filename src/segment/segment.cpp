#include "segment/segment.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <set>

#include "core/error.hpp"
#include "segment/detail/numpy_math.hpp"
#include "segment/scaling.hpp"
#include "segment/silhouette.hpp"

namespace salespipe::segment {

void Options::validate() const {
  if (k < 2) {
    throw Error(ErrorKind::Usage,
                fmt::format("k must be at least 2 (one segment would make every customer VIP), "
                            "got {}",
                            k));
  }
  KMeansOptions{.k = k, .n_init = n_init, .max_iter = max_iter, .tol = tol, .seed = seed}
      .validate();
  if (!tier_names.empty()) {
    if (tier_names.size() != static_cast<std::size_t>(k)) {
      throw Error(ErrorKind::Usage,
                  fmt::format("{} tier names given for k = {} segments", tier_names.size(), k));
    }
    std::set<std::string> seen;
    for (const auto& name : tier_names) {
      if (name.empty()) {
        throw Error(ErrorKind::Usage, "tier names must not be empty");
      }
      if (!seen.insert(name).second) {
        throw Error(ErrorKind::Usage, fmt::format("tier name \"{}\" is given twice", name));
      }
    }
  }
  if (silhouette_sample_size < 2) {
    throw Error(ErrorKind::Usage, fmt::format("silhouette sample size must be at least 2, got {}",
                                              silhouette_sample_size));
  }
}

std::vector<std::string> Options::names() const {
  if (!tier_names.empty()) {
    return tier_names;
  }
  std::vector<std::string> names{"VIP"};
  if (k == 2) {
    names.emplace_back("Non-VIP");
    return names;
  }
  for (int tier = 2; tier <= k; ++tier) {
    names.push_back(fmt::format("Tier {}", tier));
  }
  return names;
}

std::vector<std::string> feature_names(const Options& options) {
  std::vector<std::string> names{"total_purchase_amount", "purchase_frequency",
                                 "avg_transaction_value"};
  if (options.use_recency) {
    names.emplace_back("recency_days");
  }
  return names;
}

Matrix feature_matrix(const CustomerFeatures& features, const Options& options) {
  Matrix matrix(features.size(), options.use_recency ? 4 : 3);
  for (std::size_t i = 0; i < features.size(); ++i) {
    matrix(i, 0) = to_double(features.total_purchase_amount[i]);
    matrix(i, 1) = static_cast<double>(features.purchase_frequency[i]);
    matrix(i, 2) = features.avg_transaction_value[i];
    if (options.use_recency) {
      matrix(i, 3) = static_cast<double>(features.recency_days[i]);
    }
  }
  return matrix;
}

namespace {

void check_columns(const CustomerFeatures& features) {
  const std::size_t n = features.customer.size();
  if (features.total_purchase_amount.size() != n || features.purchase_frequency.size() != n ||
      features.avg_transaction_value.size() != n || features.recency_days.size() != n) {
    throw Error(ErrorKind::Internal, "customer feature columns differ in length");
  }
}

void check_counts(const CustomerFeatures& features, int k) {
  const std::size_t n = features.size();
  if (n == 0) {
    throw Error(ErrorKind::Input, "no customers to segment: no sale was loaded");
  }
  if (n == 1) {
    throw Error(ErrorKind::Input,
                fmt::format("only one customer (code {}) has sales; segmentation needs at least "
                            "2 customers",
                            features.customer[0]));
  }
  if (n < static_cast<std::size_t>(k)) {
    throw Error(ErrorKind::Input,
                fmt::format("cannot form {} segments from {} customers; k must not exceed the "
                            "number of customers",
                            k, n));
  }
}

void check_finite(const CustomerFeatures& features, const Matrix& matrix,
                  const std::vector<std::string>& names) {
  for (std::size_t i = 0; i < matrix.rows; ++i) {
    for (std::size_t c = 0; c < matrix.cols; ++c) {
      if (!std::isfinite(matrix(i, c))) {
        throw Error(ErrorKind::Input,
                    fmt::format("customer code {} has {} = {}; features must be finite numbers",
                                features.customer[i], names[c], matrix(i, c)));
      }
    }
  }
}

void check_distinct(const Matrix& scaled, int k) {
  std::vector<std::size_t> distinct{0};
  for (std::size_t r = 1; r < scaled.rows && distinct.size() < static_cast<std::size_t>(k); ++r) {
    const auto row = scaled.row(r);
    const bool seen = std::any_of(distinct.begin(), distinct.end(), [&](std::size_t other) {
      return std::equal(row.begin(), row.end(), scaled.row(other).begin());
    });
    if (!seen) {
      distinct.push_back(r);
    }
  }
  if (distinct.size() >= static_cast<std::size_t>(k)) {
    return;
  }
  if (distinct.size() == 1) {
    throw Error(ErrorKind::Input,
                fmt::format("all {} customers have identical features, so they cannot be split "
                            "into {} segments",
                            scaled.rows, k));
  }
  throw Error(ErrorKind::Input,
              fmt::format("only {} of {} customers have distinct features, too few for {} "
                          "segments",
                          distinct.size(), scaled.rows, k));
}

}  // namespace

Segmentation segment_customers(const CustomerFeatures& features, const Options& options) {
  options.validate();
  check_columns(features);
  check_counts(features, options.k);

  Segmentation out;
  out.feature_names = feature_names(options);
  const Matrix raw = feature_matrix(features, options);
  check_finite(features, raw, out.feature_names);
  const MinMaxScaling scaling = fit_minmax(raw);
  out.scaled = apply_minmax(scaling, raw);
  check_distinct(out.scaled, options.k);

  const KMeansResult fit = kmeans(out.scaled, KMeansOptions{.k = options.k,
                                                            .n_init = options.n_init,
                                                            .max_iter = options.max_iter,
                                                            .tol = options.tol,
                                                            .seed = options.seed,
                                                            .threads = options.threads});
  const auto k = static_cast<std::size_t>(options.k);
  const std::size_t n = features.size();
  out.customer = features.customer;
  out.cluster = fit.labels;
  out.centers_scaled = fit.centers;
  out.centers = invert_minmax(scaling, fit.centers);
  out.inertia = fit.inertia;
  out.iterations = fit.iterations;
  out.best_run = fit.best_run;
  out.tolerance = fit.tolerance;
  for (const auto& run : fit.runs) {
    out.total_iterations += run.iterations;
  }

  out.size.assign(k, 0);
  out.total_purchase_amount.assign(k, Money{});
  out.distance.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    const auto c = static_cast<std::size_t>(out.cluster[i]);
    ++out.size[c];
    const auto sum = checked_add(out.total_purchase_amount[c], features.total_purchase_amount[i]);
    if (!sum) {
      throw Error(ErrorKind::Input, "the total purchase amount of a segment overflows");
    }
    out.total_purchase_amount[c] = *sum;
    out.distance[i] = std::sqrt(detail::sklearn_squared_distance(
        out.scaled.row(i).data(), out.centers_scaled.row(c).data(), out.scaled.cols));
  }
  out.mean_total_purchase_amount.assign(k, 0.0);
  for (std::size_t c = 0; c < k; ++c) {
    if (out.size[c] > 0) {
      out.mean_total_purchase_amount[c] =
          to_double(out.total_purchase_amount[c]) / static_cast<double>(out.size[c]);
    }
  }

  // Tiers by exact mean total: a/na > b/nb compared as a*nb > b*na in 128 bits (the sums fit
  // in 64 bits and the counts in 32). Empty clusters go last; ties keep cluster order.
  __extension__ using Wide = __int128;
  std::vector<std::size_t> order(k);
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    if (out.size[a] == 0 || out.size[b] == 0) {
      return out.size[a] != 0 && out.size[b] == 0;
    }
    const Wide left =
        static_cast<Wide>(out.total_purchase_amount[a].units) * static_cast<Wide>(out.size[b]);
    const Wide right =
        static_cast<Wide>(out.total_purchase_amount[b].units) * static_cast<Wide>(out.size[a]);
    return left > right;
  });
  const auto names = options.names();
  out.tier.assign(k, 0);
  out.segment_name.assign(k, std::string());
  for (std::size_t rank = 0; rank < k; ++rank) {
    out.tier[order[rank]] = static_cast<int>(rank);
    out.segment_name[order[rank]] = names[rank];
  }
  out.vip_cluster = static_cast<int>(order[0]);

  const Silhouette quality =
      silhouette(out.scaled, out.cluster,
                 SilhouetteOptions{.sample_size = options.silhouette_sample_size,
                                   .seed = options.seed,
                                   .threads = options.threads});
  out.silhouette = quality.score;
  out.silhouette_rows = quality.rows_used;
  out.silhouette_sampled = quality.sampled;
  return out;
}

}  // namespace salespipe::segment
