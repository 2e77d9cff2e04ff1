// End-to-end checks of the segmentation against scikit-learn 1.2.1's results on the golden
// cases of tools/kmeans_reference.py. salespipe reproduces scikit-learn's arithmetic, so labels
// (numbering included), iteration counts and initial centres must be equal, and inertia,
// centres and silhouette equal to the last bits.

#include <gtest/gtest.h>

#include <cmath>

#include "golden_case.hpp"
#include "segment/segment.hpp"

namespace salespipe::segment {
namespace {

using testing::GoldenCase;
using testing::load_case;

std::vector<std::int32_t> digits_to_labels(const std::string& digits) {
  std::vector<std::int32_t> labels;
  labels.reserve(digits.size());
  for (const char c : digits) {
    labels.push_back(c - '0');
  }
  return labels;
}

// Relative difference allowed: none. The arithmetic is scikit-learn's, operation for
// operation, so inertia, centres, tolerance and silhouette are equal to the last bit; a
// difference means the emulation drifted (or the goldens were made with another BLAS).
constexpr double kRelative = 0.0;

void expect_close(double actual, double expected, const std::string& what) {
  EXPECT_LE(std::abs(actual - expected), kRelative * std::abs(expected) + 1e-300)
      << what << ": " << actual << " vs scikit-learn " << expected;
}

Options options_for(const GoldenCase& golden) {
  Options options;
  options.k = golden.k;
  options.n_init = golden.n_init;
  options.seed = golden.seed;
  options.use_recency = golden.use_recency;
  options.silhouette_sample_size = golden.silhouette_sample_size;
  return options;
}

void expect_matches_sklearn(const GoldenCase& golden, const Segmentation& result) {
  ASSERT_EQ(result.customers(), golden.customers);
  // Partition and numbering.
  if (!golden.labels.empty()) {
    const auto expected = digits_to_labels(golden.labels);
    EXPECT_GE(testing::adjusted_rand_index(result.cluster, expected), 0.99);
    EXPECT_TRUE(result.cluster == expected) << golden.name << ": labels differ from scikit-learn";
  } else {
    EXPECT_EQ(testing::labels_digest(result.cluster), golden.labels_fnv1a64)
        << golden.name << ": labels differ from scikit-learn";
  }
  expect_close(result.inertia, golden.inertia, golden.name + " inertia");
  expect_close(result.tolerance, golden.tolerance, golden.name + " tolerance");
  EXPECT_EQ(result.iterations, golden.n_iter);
  EXPECT_EQ(result.best_run, golden.best_run);
  ASSERT_EQ(result.centers_scaled.rows, golden.centers.size());
  for (std::size_t j = 0; j < golden.centers.size(); ++j) {
    ASSERT_EQ(result.centers_scaled.cols, golden.centers[j].size());
    for (std::size_t f = 0; f < golden.centers[j].size(); ++f) {
      expect_close(result.centers_scaled(j, f), golden.centers[j][f],
                   golden.name + " centre " + std::to_string(j));
    }
    EXPECT_EQ(result.size[j], golden.sizes[j]);
  }
  ASSERT_EQ(golden.silhouette.has_value(), result.silhouette.has_value());
  if (golden.silhouette) {
    expect_close(*result.silhouette, *golden.silhouette, golden.name + " silhouette");
  }
}

class GoldenSegmentation : public ::testing::TestWithParam<const char*> {};

TEST_P(GoldenSegmentation, ReproducesScikitLearn) {
  const GoldenCase golden = load_case(GetParam());
  ASSERT_EQ(golden.features.size(), golden.customers);
  const Segmentation result = segment_customers(golden.features, options_for(golden));
  expect_matches_sklearn(golden, result);
}

TEST_P(GoldenSegmentation, EveryRunMatchesScikitLearn) {
  const GoldenCase golden = load_case(GetParam());
  const KMeansResult fit =
      kmeans(testing::scaled_features(golden),
             KMeansOptions{.k = golden.k, .n_init = golden.n_init, .seed = golden.seed});
  ASSERT_EQ(fit.runs.size(), golden.runs.size());
  for (std::size_t r = 0; r < fit.runs.size(); ++r) {
    SCOPED_TRACE("run " + std::to_string(r));
    EXPECT_EQ(fit.runs[r].init_rows, golden.runs[r].init);
    EXPECT_EQ(fit.runs[r].iterations, golden.runs[r].n_iter);
    expect_close(fit.runs[r].inertia, golden.runs[r].inertia, golden.name + " run inertia");
  }
}

INSTANTIATE_TEST_SUITE_P(Cases, GoldenSegmentation,
                         ::testing::Values("separated_k2_1k", "lab_like_k2_5k", "overlapping_k3_8k",
                                           "recency_k4_12k", "overlapping_k5_30k"));

TEST(GoldenSegmentation, GeneratedTwoHundredThousandCustomersMatchScikitLearn) {
  const GoldenCase golden = load_case("generated_k2_200k");
  ASSERT_EQ(golden.customers, 200'000u);
  const CustomerFeatures features =
      testing::generated_features(golden.generator_seed, golden.customers);
  const Segmentation result = segment_customers(features, options_for(golden));
  expect_matches_sklearn(golden, result);
}

}  // namespace
}  // namespace salespipe::segment
