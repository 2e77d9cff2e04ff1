#include "segment/scaling.hpp"

#include <gtest/gtest.h>

#include <limits>

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

// A column of decimals, a constant column, an integer column and a column whose range is two
// units in the last place; expected values from scikit-learn's MinMaxScaler.
const Matrix kData =
    make_matrix({{0.1, 5, 7, 1.0}, {0.2, 5, 3, 1.0 + 4.440892098500626e-16}, {0.3, 5, 11, 1.0}});

TEST(MinMax, MatchesScikitLearnMinMaxScaler) {
  const MinMaxScaling scaling = fit_minmax(kData);
  EXPECT_EQ(scaling.scale, (std::vector<double>{5.0, 1.0, 0.125, 1.0}));
  EXPECT_EQ(scaling.offset, (std::vector<double>{-0.5, -5.0, -0.375, -1.0}));
  const Matrix scaled = apply_minmax(scaling, kData);
  EXPECT_EQ(scaled.values, (std::vector<double>{0.0, 0.0, 0.5, 0.0,                    //
                                                0.5, 0.0, 0.0, 4.440892098500626e-16,  //
                                                1.0, 0.0, 1.0, 0.0}));
}

TEST(MinMax, ConstantColumnMapsToZero) {
  const Matrix scaled = apply_minmax(fit_minmax(kData), kData);
  for (std::size_t r = 0; r < scaled.rows; ++r) {
    EXPECT_EQ(scaled(r, 1), 0.0);
  }
}

TEST(MinMax, InverseGivesBackTheOriginalUnits) {
  const MinMaxScaling scaling = fit_minmax(kData);
  const Matrix back = invert_minmax(scaling, apply_minmax(scaling, kData));
  EXPECT_EQ(back.values, (std::vector<double>{0.1, 5, 7, 1.0,                 //
                                              0.2, 5, 3, 1.0000000000000004,  //
                                              0.3, 5, 11, 1.0}));
}

TEST(MinMax, RejectsNoRows) {
  try {
    fit_minmax(Matrix(0, 3));
    FAIL() << "no rows must throw";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::Input);
    EXPECT_EQ(error.message(), "cannot scale features of zero customers");
  }
}

TEST(MinMax, RejectsNanWithItsPosition) {
  Matrix data = kData;
  data(1, 2) = std::numeric_limits<double>::quiet_NaN();
  try {
    fit_minmax(data);
    FAIL() << "NaN must throw";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::Input);
    EXPECT_EQ(error.message(), "feature 3 of row 2 is nan, not a finite number");
  }
}

TEST(MinMax, RejectsInfinityWithItsPosition) {
  Matrix data = kData;
  data(2, 0) = -std::numeric_limits<double>::infinity();
  try {
    fit_minmax(data);
    FAIL() << "infinity must throw";
  } catch (const Error& error) {
    EXPECT_EQ(error.message(), "feature 1 of row 3 is -inf, not a finite number");
  }
}

TEST(MinMax, RejectsAMatrixOfOtherWidth) {
  const MinMaxScaling scaling = fit_minmax(kData);
  try {
    apply_minmax(scaling, Matrix(2, 3));
    FAIL() << "width mismatch must throw";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::Internal);
    EXPECT_EQ(error.message(), "matrix has 3 columns but the scaling was fitted to 4");
  }
  EXPECT_THROW(invert_minmax(scaling, Matrix(1, 2)), Error);
}

}  // namespace
}  // namespace salespipe::segment
