// Expected numbers come from scikit-learn 1.2.1 on one OpenMP thread (tools/kmeans_reference.py
// and the golden cases it writes).

#include "segment/kmeans.hpp"

#include <gtest/gtest.h>

#include <limits>

#include "core/error.hpp"
#include "golden_case.hpp"

namespace salespipe::segment {
namespace {

Matrix make_matrix(const std::vector<std::vector<double>>& rows) {
  Matrix m(rows.size(), rows.empty() ? 0 : rows[0].size());
  for (std::size_t r = 0; r < rows.size(); ++r) {
    for (std::size_t c = 0; c < rows[r].size(); ++c) {
      m(r, c) = rows[r][c];
    }
  }
  return m;
}

std::string error_message(const Matrix& data, const KMeansOptions& options,
                          ErrorKind expected_kind) {
  try {
    kmeans(data, options);
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), expected_kind);
    return error.message();
  }
  ADD_FAILURE() << "kmeans did not throw";
  return {};
}

TEST(KMeansPlusPlus, FirstCentresOfEveryRunMatchScikitLearn) {
  for (const char* name : {"separated_k2_1k", "overlapping_k3_8k", "recency_k4_12k"}) {
    SCOPED_TRACE(name);
    const auto golden = testing::load_case(name);
    const auto rows = kmeans_plusplus_rows(
        testing::scaled_features(golden),
        KMeansOptions{.k = golden.k, .n_init = golden.n_init, .seed = golden.seed});
    ASSERT_EQ(rows.size(), golden.runs.size());
    for (std::size_t r = 0; r < rows.size(); ++r) {
      EXPECT_EQ(rows[r], golden.runs[r].init) << "run " << r;
    }
  }
}

TEST(KMeans, StopsAtMaxIterLikeScikitLearn) {
  const auto golden = testing::load_case("overlapping_k3_8k");
  const auto fit =
      kmeans(testing::scaled_features(golden), KMeansOptions{.k = 3, .max_iter = 2, .seed = 42});
  EXPECT_EQ(fit.inertia, 209.20840608346768);
  EXPECT_EQ(fit.iterations, 2);
  std::vector<std::size_t> sizes(3, 0);
  for (const auto label : fit.labels) {
    ++sizes[static_cast<std::size_t>(label)];
  }
  EXPECT_EQ(sizes, (std::vector<std::size_t>{2118, 3108, 2774}));
  for (const auto& run : fit.runs) {
    EXPECT_LE(run.iterations, 2);
  }
}

TEST(KMeans, ZeroToleranceRunsToStrictConvergence) {
  const auto golden = testing::load_case("overlapping_k3_8k");
  const auto fit = kmeans(testing::scaled_features(golden),
                          KMeansOptions{.k = 3, .n_init = 3, .tol = 0.0, .seed = 7});
  EXPECT_EQ(fit.inertia, 208.69424627227707);
  EXPECT_EQ(fit.iterations, 18);
  EXPECT_EQ(fit.tolerance, 0.0);
  for (const auto& run : fit.runs) {
    EXPECT_TRUE(run.strictly_converged);
  }
}

TEST(KMeans, AsManyClustersAsRowsGivesEachRowItsOwn) {
  const Matrix data = make_matrix({{0, 0}, {1, 0}, {0, 1}, {1, 1}, {0.5, 0.5}});
  const auto fit = kmeans(data, KMeansOptions{.k = 5});
  EXPECT_EQ(fit.labels, (std::vector<std::int32_t>{2, 4, 3, 0, 1}));
  EXPECT_EQ(fit.inertia, 0.0);
  EXPECT_EQ(fit.iterations, 1);
}

TEST(KMeans, OneClusterIsAllowedAndHoldsEveryRow) {
  const Matrix data = make_matrix({{0, 0}, {1, 0}, {0, 1}, {1, 1}, {0.5, 0.5}});
  const auto fit = kmeans(data, KMeansOptions{.k = 1});
  EXPECT_EQ(fit.labels, std::vector<std::int32_t>(5, 0));
  EXPECT_EQ(fit.inertia, 2.0);
  EXPECT_EQ(fit.iterations, 2);
  EXPECT_EQ(fit.centers.values, (std::vector<double>{0.5, 0.5}));
}

TEST(KMeans, EveryRowIsLabelledWithItsNearestCentre) {
  const auto golden = testing::load_case("lab_like_k2_5k");
  const Matrix data = testing::scaled_features(golden);
  const auto fit = kmeans(data, KMeansOptions{.k = 2});
  for (std::size_t i = 0; i < data.rows; ++i) {
    double best = std::numeric_limits<double>::infinity();
    std::size_t nearest = 0;
    for (std::size_t j = 0; j < fit.centers.rows; ++j) {
      double distance = 0;
      for (std::size_t f = 0; f < data.cols; ++f) {
        const double diff = data(i, f) - fit.centers(j, f);
        distance += diff * diff;
      }
      if (distance < best) {
        best = distance;
        nearest = j;
      }
    }
    ASSERT_EQ(static_cast<std::size_t>(fit.labels[i]), nearest) << "row " << i;
  }
}

TEST(KMeans, SameResultsWhateverTheThreadCount) {
  const auto golden = testing::load_case("overlapping_k3_8k");
  const Matrix data = testing::scaled_features(golden);
  const auto reference = kmeans(data, KMeansOptions{.k = 3, .threads = 1});
  for (const unsigned threads : {2u, 3u, 7u}) {
    SCOPED_TRACE(threads);
    const auto fit = kmeans(data, KMeansOptions{.k = 3, .threads = threads});
    EXPECT_EQ(fit.labels, reference.labels);
    EXPECT_EQ(fit.inertia, reference.inertia);
    EXPECT_EQ(fit.centers.values, reference.centers.values);
    EXPECT_EQ(fit.best_run, reference.best_run);
    ASSERT_EQ(fit.runs.size(), reference.runs.size());
    for (std::size_t r = 0; r < fit.runs.size(); ++r) {
      EXPECT_EQ(fit.runs[r].init_rows, reference.runs[r].init_rows);
      EXPECT_EQ(fit.runs[r].inertia, reference.runs[r].inertia);
      EXPECT_EQ(fit.runs[r].iterations, reference.runs[r].iterations);
    }
  }
}

TEST(KMeans, RejectsASingleRow) {
  EXPECT_EQ(error_message(make_matrix({{1, 2}}), KMeansOptions{.k = 1}, ErrorKind::Input),
            "K-Means needs at least 2 rows, got 1");
}

TEST(KMeans, RejectsFewerRowsThanClusters) {
  EXPECT_EQ(error_message(make_matrix({{1, 2}, {3, 4}}), KMeansOptions{.k = 3}, ErrorKind::Input),
            "K-Means cannot form 3 clusters from 2 rows");
}

TEST(KMeans, RejectsIdenticalRows) {
  EXPECT_EQ(
      error_message(make_matrix({{1, 2}, {1, 2}, {1, 2}}), KMeansOptions{.k = 2}, ErrorKind::Input),
      "all 3 rows are identical, so K-Means cannot form 2 clusters");
}

TEST(KMeans, RejectsFewerDistinctRowsThanClusters) {
  EXPECT_EQ(error_message(make_matrix({{1, 2}, {1, 2}, {3, 4}, {3, 4}}), KMeansOptions{.k = 3},
                          ErrorKind::Input),
            "only 2 distinct rows among 4, so K-Means cannot form 3 clusters");
}

TEST(KMeans, RejectsNanAndInfinity) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  EXPECT_EQ(error_message(make_matrix({{1, 2}, {nan, 4}}), KMeansOptions{.k = 2}, ErrorKind::Input),
            "row 2 column 1 is nan, not a finite number");
  EXPECT_EQ(error_message(make_matrix({{1, 2}, {3, 4}, {5, inf}}), KMeansOptions{.k = 2},
                          ErrorKind::Input),
            "row 3 column 2 is inf, not a finite number");
}

TEST(KMeans, RejectsZeroColumns) {
  EXPECT_EQ(error_message(Matrix(3, 0), KMeansOptions{.k = 2}, ErrorKind::Input),
            "K-Means needs at least one column");
}

TEST(KMeansOptions, RejectsBadSettingsByName) {
  const Matrix data = make_matrix({{1, 2}, {3, 4}});
  EXPECT_EQ(error_message(data, KMeansOptions{.k = 0}, ErrorKind::Usage),
            "k must be at least 1, got 0");
  EXPECT_EQ(error_message(data, KMeansOptions{.n_init = 0}, ErrorKind::Usage),
            "n_init must be at least 1, got 0");
  EXPECT_EQ(error_message(data, KMeansOptions{.max_iter = -3}, ErrorKind::Usage),
            "max_iter must be at least 1, got -3");
  EXPECT_EQ(error_message(data, KMeansOptions{.tol = -1e-4}, ErrorKind::Usage),
            "tol must be a finite number >= 0, got -0.0001");
  EXPECT_EQ(error_message(data, KMeansOptions{.tol = std::numeric_limits<double>::quiet_NaN()},
                          ErrorKind::Usage),
            "tol must be a finite number >= 0, got nan");
  EXPECT_EQ(error_message(data, KMeansOptions{.seed = 4294967296ULL}, ErrorKind::Usage),
            "seed must be between 0 and 4294967295, got 4294967296");
}

}  // namespace
}  // namespace salespipe::segment
