#pragma once

#include <vector>

#include "segment/matrix.hpp"

namespace salespipe::segment {

/// What scikit-learn's MinMaxScaler (feature_range (0, 1)) learns from a matrix, per column.
struct MinMaxScaling {
  std::vector<double> data_min;
  std::vector<double> data_max;
  std::vector<double> scale;   ///< 1 / (max - min); 1 for a (near-)constant column
  std::vector<double> offset;  ///< sklearn's min_: 0 - data_min * scale
};

/// Fits the scaling to data's columns exactly as MinMaxScaler.fit does: a column whose range
/// is below 10 machine epsilons counts as constant and gets scale 1, so a constant column maps
/// to 0. Throws Error(Input) when data has no rows or holds a NaN or infinite value (the
/// message names the first such row and column).
MinMaxScaling fit_minmax(const Matrix& data);

/// x * scale + offset per column (MinMaxScaler.transform, no clipping). data must have the
/// fitted number of columns; throws Error(Internal) otherwise.
Matrix apply_minmax(const MinMaxScaling& scaling, const Matrix& data);

/// (x - offset) / scale per column (MinMaxScaler.inverse_transform): scaled values back in the
/// original units. Throws Error(Internal) on a column count mismatch.
Matrix invert_minmax(const MinMaxScaling& scaling, const Matrix& scaled);

}  // namespace salespipe::segment
