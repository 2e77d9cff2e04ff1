#pragma once

// A large in-memory SalesTable for the benchmarks and volume tests; no GoogleTest here, so
// benchmark binaries can link it.

#include <cstddef>

#include "core/tables.hpp"

namespace salespipe::testing {

inline constexpr std::size_t kSyntheticProducts = 500;
inline constexpr std::size_t kSyntheticCustomers = 20'000;

/// `count` sales shaped like a real export: kSyntheticCustomers customers (CUST100000 on),
/// kSyntheticProducts products (PROD1000 on), sale ids S1000000 on in scrambled order, dates over
/// 90 days from 2023-01-01, two thirds reviewed, extra columns region and channel. Sale i
/// belongs to customer i * 13 % kSyntheticCustomers; the same count gives the same table.
SalesTable synthetic_sales(std::size_t count);

}  // namespace salespipe::testing
