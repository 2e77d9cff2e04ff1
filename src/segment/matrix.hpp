#pragma once

#include <cstddef>
#include <span>
#include <vector>

namespace salespipe::segment {

/// A dense row-major matrix of doubles: one row per customer, one column per feature.
struct Matrix {
  std::size_t rows = 0;
  std::size_t cols = 0;
  std::vector<double> values;  ///< values[r * cols + c]

  Matrix() = default;
  /// A row_count x col_count matrix of zeros.
  Matrix(std::size_t row_count, std::size_t col_count)
      : rows(row_count), cols(col_count), values(row_count * col_count, 0.0) {}

  /// The value at row r, column c (unchecked).
  double& operator()(std::size_t r, std::size_t c) noexcept { return values[r * cols + c]; }
  /// The value at row r, column c (unchecked).
  double operator()(std::size_t r, std::size_t c) const noexcept { return values[r * cols + c]; }
  /// Row r as a span of cols values (unchecked).
  std::span<const double> row(std::size_t r) const noexcept {
    return std::span<const double>(values).subspan(r * cols, cols);
  }
};

}  // namespace salespipe::segment
