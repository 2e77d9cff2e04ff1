// Expected numbers come from numpy 1.24 and scikit-learn 1.2.1
// (tools/kmeans_reference.py literals).

#include "segment/detail/numpy_math.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace salespipe::segment::detail {
namespace {

TEST(NumpySum, MatchesNumpyBitForBit) {
  // np.sum(1.0 / (np.arange(n) + 1.0)): pairwise below 8192 values, buffered above.
  const std::vector<std::pair<std::size_t, double>> cases = {
      {7, 2.5928571428571425},   {100, 5.187377517639621},  {129, 5.440899030573669},
      {1000, 7.485470860550345}, {8193, 9.588312101508468}, {20000, 10.480728217229329},
  };
  for (const auto& [n, expected] : cases) {
    std::vector<double> values(n);
    for (std::size_t i = 0; i < n; ++i) {
      values[i] = 1.0 / (static_cast<double>(i) + 1.0);
    }
    EXPECT_EQ(numpy_sum(values), expected) << n << " values";
  }
}

TEST(NumpySum, DiffersFromAPlainLoop) {
  // The reason numpy_sum exists: a left-to-right loop rounds differently.
  std::vector<double> values(20000);
  double loop = 0.0;
  for (std::size_t i = 0; i < values.size(); ++i) {
    values[i] = 1.0 / (static_cast<double>(i) + 1.0);
    loop += values[i];
  }
  EXPECT_NE(loop, numpy_sum(values));
}

TEST(NumpySum, EmptyIsZero) { EXPECT_EQ(numpy_sum({}), 0.0); }

TEST(EinsumSquaredNorm, MatchesScikitLearnRowNorms) {
  const std::vector<std::pair<std::size_t, double>> cases = {
      {3, 0.2885000000000001}, {4, 0.39740000000000014}, {9, 1.0464000000000002}};
  for (const auto& [dims, expected] : cases) {
    std::vector<double> row(dims);
    for (std::size_t j = 0; j < dims; ++j) {
      row[j] = 0.1 * 3 + 0.01 * static_cast<double>(j);
    }
    EXPECT_EQ(einsum_squared_norm(row.data(), dims), expected) << dims << " columns";
  }
}

TEST(SklearnSquaredDistance, AddsGroupsOfFourThenTheRest) {
  const double a[] = {1.0, 2.0, 3.0, 4.0, 5.0};
  const double b[] = {0.5, 0.0, 1.0, 1.0, 0.0};
  EXPECT_EQ(sklearn_squared_distance(a, b, 5), 0.25 + 4.0 + 4.0 + 9.0 + 25.0);
  EXPECT_EQ(sklearn_squared_distance(a, a, 5), 0.0);
}

std::vector<std::size_t> top(const std::vector<double>& values, std::size_t count) {
  return numpy_argpartition_top(values, count);
}

TEST(NumpyArgpartitionTop, MatchesNumpyOnTies) {
  // Largest value: numpy keeps the last of equal maxima, except below four values, where its
  // selection sort decides.
  EXPECT_EQ(top({5, 0, 5, 1, 2}, 1), std::vector<std::size_t>{2});
  EXPECT_EQ(top({0, 0, 0, 0}, 1), std::vector<std::size_t>{3});
  EXPECT_EQ(top({5, 5, 0}, 1), std::vector<std::size_t>{0});
  EXPECT_EQ(top({5, 0, 5}, 1), std::vector<std::size_t>{2});
}

TEST(NumpyArgpartitionTop, MatchesNumpyIntroselect) {
  EXPECT_EQ(top({3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7, 9}, 3),
            (std::vector<std::size_t>{14, 5, 12}));
  EXPECT_EQ(top(std::vector<double>(12, 2.0), 2), (std::vector<std::size_t>{11, 4}));
  std::vector<double> forty(40);
  for (std::size_t i = 0; i < forty.size(); ++i) {
    forty[i] = static_cast<double>(i * 7 % 13);
  }
  EXPECT_EQ(top(forty, 4), (std::vector<std::size_t>{37, 24, 11, 35}));
  std::vector<double> many(200);
  for (std::size_t i = 0; i < many.size(); ++i) {
    many[i] = static_cast<double>(i * 37 % 101);
  }
  EXPECT_EQ(top(many, 5), (std::vector<std::size_t>{30, 131, 161, 60, 90}));
}

struct RelocationCase {
  std::vector<std::vector<double>> rows;
  std::vector<double> centres;
  std::vector<std::int32_t> labels;
  std::vector<double> sums;     // after relocation (scikit-learn)
  std::vector<double> weights;  // after relocation (scikit-learn)
};

TEST(RelocateEmptyClusters, MatchesScikitLearn) {
  const std::vector<RelocationCase> cases = {
      {{{0, 0}, {1, 0}, {0, 1}, {5, 5}, {6, 5}, {5, 6}, {9, 9}},
       {0.5, 0.5, 5.5, 5.5, 100, 100},
       {0, 0, 0, 1, 1, 1, 1},
       {1.0, 1.0, 16.0, 16.0, 9.0, 9.0},
       {3, 3, 1}},
      {{{0, 0}, {2, 0}, {0, 2}, {-2, 0}, {0, -2}, {10, 10}, {10, 10}, {11, 10}},
       {0, 0, 10, 10, 50, 50, 60, 60},
       {0, 0, 0, 0, 0, 1, 1, 1},
       {2.0, -2.0, 31.0, 30.0, -2.0, 0.0, 0.0, 2.0},
       {3, 3, 1, 1}},
      {{{0.1, 0.2}, {0.3, 0.1}, {0.7, 0.9}, {0.2, 0.2}, {0.9, 0.8}, {0.4, 0.6}, {0.8, 0.1}},
       {0.2, 0.2, 0.8, 0.8, 5, 5, 6, 6},
       {0, 0, 1, 0, 1, 0, 0},
       {0.6, 0.5000000000000001, 1.6, 1.7000000000000002, 0.8, 0.1, 0.4, 0.6},
       {3, 2, 1, 1}},
  };
  for (std::size_t c = 0; c < cases.size(); ++c) {
    SCOPED_TRACE("case " + std::to_string(c));
    const auto& test = cases[c];
    const std::size_t n = test.rows.size();
    const std::size_t d = test.rows[0].size();
    const std::size_t k = test.centres.size() / d;
    std::vector<double> columns(n * d);
    std::vector<double> sums(k * d, 0.0);
    std::vector<double> weights(k, 0.0);
    for (std::size_t i = 0; i < n; ++i) {
      const auto label = static_cast<std::size_t>(test.labels[i]);
      weights[label] += 1.0;
      for (std::size_t f = 0; f < d; ++f) {
        columns[f * n + i] = test.rows[i][f];
        sums[label * d + f] += test.rows[i][f];
      }
    }
    relocate_empty_clusters(columns, n, d, test.centres, test.labels, sums, weights);
    EXPECT_EQ(sums, test.sums);
    EXPECT_EQ(weights, test.weights);
  }
}

TEST(RelocateEmptyClusters, LeavesFullClustersAlone) {
  const std::vector<double> columns = {0, 1, 5, 6};  // one column, four rows
  const std::vector<double> centres = {0.5, 5.5};
  const std::vector<std::int32_t> labels = {0, 0, 1, 1};
  std::vector<double> sums = {1, 11};
  std::vector<double> weights = {2, 2};
  relocate_empty_clusters(columns, 4, 1, centres, labels, sums, weights);
  EXPECT_EQ(sums, (std::vector<double>{1, 11}));
  EXPECT_EQ(weights, (std::vector<double>{2, 2}));
}

}  // namespace
}  // namespace salespipe::segment::detail
