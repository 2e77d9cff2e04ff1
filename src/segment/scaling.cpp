#include "segment/scaling.hpp"

#include <fmt/format.h>

#include <cmath>
#include <limits>

#include "core/error.hpp"

namespace salespipe::segment {
namespace {

void require_columns(const MinMaxScaling& scaling, const Matrix& data) {
  if (data.cols != scaling.scale.size()) {
    throw Error(ErrorKind::Internal,
                fmt::format("matrix has {} columns but the scaling was fitted to {}", data.cols,
                            scaling.scale.size()));
  }
}

}  // namespace

MinMaxScaling fit_minmax(const Matrix& data) {
  if (data.rows == 0) {
    throw Error(ErrorKind::Input, "cannot scale features of zero customers");
  }
  MinMaxScaling scaling;
  scaling.data_min.assign(data.cols, 0.0);
  scaling.data_max.assign(data.cols, 0.0);
  for (std::size_t c = 0; c < data.cols; ++c) {
    scaling.data_min[c] = data(0, c);
    scaling.data_max[c] = data(0, c);
  }
  for (std::size_t r = 0; r < data.rows; ++r) {
    for (std::size_t c = 0; c < data.cols; ++c) {
      const double value = data(r, c);
      if (!std::isfinite(value)) {
        throw Error(ErrorKind::Input, fmt::format("feature {} of row {} is {}, not a finite number",
                                                  c + 1, r + 1, value));
      }
      scaling.data_min[c] = std::min(scaling.data_min[c], value);
      scaling.data_max[c] = std::max(scaling.data_max[c], value);
    }
  }
  // sklearn treats a range below 10 epsilons as zero (near-constant) and divides by 1 instead.
  constexpr double kNearZeroRange = 10 * std::numeric_limits<double>::epsilon();
  scaling.scale.resize(data.cols);
  scaling.offset.resize(data.cols);
  for (std::size_t c = 0; c < data.cols; ++c) {
    double range = scaling.data_max[c] - scaling.data_min[c];
    if (range < kNearZeroRange) {
      range = 1.0;
    }
    scaling.scale[c] = 1.0 / range;
    scaling.offset[c] = 0.0 - scaling.data_min[c] * scaling.scale[c];
  }
  return scaling;
}

Matrix apply_minmax(const MinMaxScaling& scaling, const Matrix& data) {
  require_columns(scaling, data);
  Matrix scaled = data;
  for (std::size_t r = 0; r < scaled.rows; ++r) {
    for (std::size_t c = 0; c < scaled.cols; ++c) {
      double& value = scaled(r, c);
      value = value * scaling.scale[c];
      value = value + scaling.offset[c];
    }
  }
  return scaled;
}

Matrix invert_minmax(const MinMaxScaling& scaling, const Matrix& scaled) {
  require_columns(scaling, scaled);
  Matrix original = scaled;
  for (std::size_t r = 0; r < original.rows; ++r) {
    for (std::size_t c = 0; c < original.cols; ++c) {
      double& value = original(r, c);
      value = value - scaling.offset[c];
      value = value / scaling.scale[c];
    }
  }
  return original;
}

}  // namespace salespipe::segment
