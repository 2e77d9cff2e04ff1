// Expected numbers come from scikit-learn 1.2.1's silhouette_score.

#include "segment/silhouette.hpp"

#include <gtest/gtest.h>

#include "core/error.hpp"

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

// 50 rows on a grid, labels i % 3.
Matrix grid_rows() {
  Matrix m(50, 2);
  for (std::size_t i = 0; i < 50; ++i) {
    m(i, 0) = static_cast<double>(i * 7 % 13) / 13;
    m(i, 1) = static_cast<double>(i * 3 % 11) / 11;
  }
  return m;
}
std::vector<std::int32_t> grid_labels() {
  std::vector<std::int32_t> labels(50);
  for (std::size_t i = 0; i < 50; ++i) {
    labels[i] = static_cast<std::int32_t>(i % 3);
  }
  return labels;
}

TEST(Silhouette, MatchesScikitLearnOnTwoClusters) {
  const Matrix data = make_matrix({{0, 0}, {0, 1}, {1, 0}, {5, 5}, {5, 6}, {6, 5}});
  const auto result = silhouette(data, std::vector<std::int32_t>{0, 0, 0, 1, 1, 1}, {});
  ASSERT_TRUE(result.score);
  EXPECT_EQ(*result.score, 0.8398163312586742);
  EXPECT_EQ(result.rows_used, 6u);
  EXPECT_FALSE(result.sampled);
}

TEST(Silhouette, ARowAloneInItsClusterScoresZero) {
  const Matrix data =
      make_matrix({{0.1, 0.2}, {0.15, 0.22}, {0.9, 0.8}, {0.88, 0.79}, {0.5, 0.5}, {0.1, 0.2}});
  const auto result = silhouette(data, std::vector<std::int32_t>{0, 0, 1, 1, 2, 0}, {});
  ASSERT_TRUE(result.score);
  EXPECT_EQ(*result.score, 0.7801085660719863);
}

TEST(Silhouette, AllRowsMatchScikitLearn) {
  const auto result = silhouette(grid_rows(), grid_labels(), {});
  ASSERT_TRUE(result.score);
  EXPECT_EQ(*result.score, -0.06285986889448025);
}

TEST(Silhouette, SamplesLikeScikitLearnAboveTheSampleSize) {
  const auto result = silhouette(grid_rows(), grid_labels(), {.sample_size = 20, .seed = 42});
  ASSERT_TRUE(result.score);
  EXPECT_EQ(*result.score, -0.1361837480406599);
  EXPECT_EQ(result.rows_used, 20u);
  EXPECT_TRUE(result.sampled);
}

TEST(Silhouette, SameScoreWhateverTheThreadCount) {
  const auto one = silhouette(grid_rows(), grid_labels(), {.threads = 1});
  const auto three = silhouette(grid_rows(), grid_labels(), {.threads = 3});
  ASSERT_TRUE(one.score && three.score);
  EXPECT_EQ(*one.score, *three.score);
}

TEST(Silhouette, UndefinedForOneLabel) {
  const Matrix data = make_matrix({{0, 0}, {1, 1}, {2, 2}});
  const auto result = silhouette(data, std::vector<std::int32_t>{1, 1, 1}, {});
  EXPECT_FALSE(result.score);
  EXPECT_EQ(result.rows_used, 3u);
}

TEST(Silhouette, UndefinedWhenEveryRowHasItsOwnLabel) {
  const Matrix data = make_matrix({{0, 0}, {1, 1}, {2, 2}});
  EXPECT_FALSE(silhouette(data, std::vector<std::int32_t>{0, 1, 2}, {}).score);
}

TEST(Silhouette, RejectsLabelsOfOtherLength) {
  try {
    silhouette(make_matrix({{0, 0}, {1, 1}}), std::vector<std::int32_t>{0}, {});
    FAIL() << "length mismatch must throw";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::Internal);
    EXPECT_EQ(error.message(), "1 labels for 2 rows");
  }
}

TEST(Silhouette, RejectsNegativeLabelsAndAnEmptySample) {
  const Matrix data = make_matrix({{0, 0}, {1, 1}, {2, 2}});
  try {
    silhouette(data, std::vector<std::int32_t>{0, -1, 1}, {});
    FAIL() << "a negative label must throw";
  } catch (const Error& error) {
    EXPECT_EQ(error.message(), "negative label -1");
  }
  try {
    silhouette(data, std::vector<std::int32_t>{0, 1, 1}, {.sample_size = 0});
    FAIL() << "sample size 0 must throw";
  } catch (const Error& error) {
    EXPECT_EQ(error.message(), "silhouette sample size must be at least 1");
  }
}

}  // namespace
}  // namespace salespipe::segment
