#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "generated_features.hpp"
#include "segment/features.hpp"
#include "segment/kmeans.hpp"
#include "segment/matrix.hpp"

namespace salespipe::segment::testing {

/// tests/golden/segment, written by tools/kmeans_reference.py.
std::filesystem::path golden_dir();

/// One run of scikit-learn's KMeans as expected.txt records it.
struct ExpectedRun {
  double inertia = 0.0;
  int n_iter = 0;
  std::vector<std::size_t> init;
};

/// A golden case: the input features and scikit-learn's results.
struct GoldenCase {
  std::string name;
  CustomerFeatures features;  ///< empty for the generated case (see generated_features)
  std::size_t customers = 0;
  int k = 0;
  int n_init = 0;
  std::uint64_t seed = 0;
  bool use_recency = false;
  std::size_t silhouette_sample_size = 0;
  double tolerance = 0.0;
  double inertia = 0.0;
  int n_iter = 0;
  std::size_t best_run = 0;
  std::vector<std::vector<double>> centers;  ///< scaled units
  std::vector<std::size_t> sizes;
  std::vector<ExpectedRun> runs;
  std::optional<double> silhouette;
  std::string labels;  ///< one digit per customer (empty for the generated case)
  std::uint64_t generator_seed = 0;
  std::uint64_t labels_fnv1a64 = 0;
};

/// Reads golden_dir()/name (features.csv when present, expected.txt, labels.txt when present).
/// Fails the calling test (via ADD_FAILURE) and returns what it could read on a bad file.
GoldenCase load_case(const std::string& name);

/// The case's features as segment_customers clusters them: MinMax-scaled.
Matrix scaled_features(const GoldenCase& golden);

/// Features as the tests and tools/kmeans_reference.py write them: customer i has code i.
CustomerFeatures parse_features_csv(const std::string& text);

/// FNV-1a 64 of the labels written as one digit each.
std::uint64_t labels_digest(const std::vector<std::int32_t>& labels);

/// The adjusted Rand index of two labelings of the same rows (1 = same partition).
double adjusted_rand_index(const std::vector<std::int32_t>& a, const std::vector<std::int32_t>& b);

}  // namespace salespipe::segment::testing
