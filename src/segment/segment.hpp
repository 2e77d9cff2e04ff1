#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/money.hpp"
#include "segment/features.hpp"
#include "segment/kmeans.hpp"
#include "segment/matrix.hpp"

namespace salespipe::segment {

/// Settings of segment_customers(). The defaults reproduce the lab: two segments, VIP and
/// Non-VIP, from KMeans(n_clusters=2, n_init=10, random_state=42) on the three features.
struct Options {
  int k = 2;  ///< number of segments, at least 2 (one segment would make everyone VIP)
  int n_init = 10;
  int max_iter = 300;
  double tol = 1e-4;
  std::uint64_t seed = 42;   ///< K-Means and silhouette sampling seed, in [0, 2^32 - 1]
  bool use_recency = false;  ///< also cluster on recency_days (--features)
  /// Segment names from the highest mean total_purchase_amount down; exactly k distinct,
  /// non-empty names, or empty for the defaults: "VIP", "Non-VIP" for k = 2, and "VIP",
  /// "Tier 2", ..., "Tier k" for k > 2.
  std::vector<std::string> tier_names;
  std::size_t silhouette_sample_size = 20'000;  ///< above this many customers, sampled
  unsigned threads = 0;  ///< 0: one per hardware thread. Results never depend on it.

  /// Throws Error(Usage) naming the first bad setting.
  void validate() const;
  /// The segment names to use: tier_names, or the defaults for k.
  std::vector<std::string> names() const;
};

/// The segmentation of the customers of a CustomerFeatures, row for row.
struct Segmentation {
  // Per customer, in the order of CustomerFeatures (ascending customer code).
  std::vector<std::uint32_t> customer;  ///< customer code
  std::vector<std::int32_t> cluster;    ///< K-Means cluster (scikit-learn's numbering)
  Matrix scaled;                        ///< the clustered features after MinMax scaling
  std::vector<double> distance;         ///< Euclidean distance to the own centre, scaled units

  // Per cluster (index = cluster number).
  std::vector<std::string> feature_names;          ///< columns of scaled and of the centres
  std::vector<std::string> segment_name;           ///< the name of each cluster's tier
  std::vector<int> tier;                           ///< 0 for VIP, 1 for the next tier, ...
  Matrix centers_scaled;                           ///< centres in scaled units
  Matrix centers;                                  ///< centres in original units (inverse scaling)
  std::vector<std::size_t> size;                   ///< customers in each cluster
  std::vector<Money> total_purchase_amount;        ///< exact sum over the cluster's customers
  std::vector<double> mean_total_purchase_amount;  ///< that sum / size (0 for an empty cluster)

  int vip_cluster = 0;               ///< the cluster with the highest mean total_purchase_amount
  double inertia = 0.0;              ///< in scaled units, as scikit-learn's inertia_
  int iterations = 0;                ///< Lloyd iterations of the kept run (scikit-learn's n_iter_)
  int total_iterations = 0;          ///< Lloyd iterations over all n_init runs
  std::size_t best_run = 0;          ///< which of the n_init runs was kept
  double tolerance = 0.0;            ///< absolute tolerance used (tol x mean feature variance)
  std::optional<double> silhouette;  ///< empty when undefined (fewer than two clusters used)
  std::size_t silhouette_rows = 0;   ///< customers it was computed on
  bool silhouette_sampled = false;

  /// The number of customers segmented.
  std::size_t customers() const noexcept { return customer.size(); }
  /// The segment name of customer row i.
  const std::string& segment_of(std::size_t i) const {
    return segment_name[static_cast<std::size_t>(cluster[i])];
  }
  /// Whether customer row i is in the VIP cluster.
  bool is_vip(std::size_t i) const noexcept { return cluster[i] == vip_cluster; }
};

/// The names of the clustered features for the options: total_purchase_amount,
/// purchase_frequency, avg_transaction_value (and recency_days with use_recency).
std::vector<std::string> feature_names(const Options& options);

/// The feature matrix K-Means clusters, before scaling: one row per customer, the columns of
/// feature_names(options), money in currency units.
Matrix feature_matrix(const CustomerFeatures& features, const Options& options);

/// Segments customers (DESIGN.md section 6), one row per row of features and in that order
/// (the order matters to K-Means' draws; see select_rows): MinMax scaling of the features, K-Means
/// as scikit-learn 1.2.1 computes it, VIP = the cluster with the highest mean total_purchase_amount
/// (tiers follow that order; equal means: the lower cluster number first), silhouette exact up to
/// silhouette_sample_size customers and on a seeded sample of that many above it. Throws
/// Error(Usage) from options.validate(); Error(Input) for no customers, one customer, fewer
/// customers than k, a NaN or infinite feature, or fewer distinct customers (by their scaled
/// features) than k, all identical included; Error(Internal) when the columns of features differ in
/// length.
Segmentation segment_customers(const CustomerFeatures& features, const Options& options);

}  // namespace salespipe::segment
