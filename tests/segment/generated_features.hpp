#pragma once

// The customers of the generated golden case, shared by the segment tests and the K-Means
// benchmark (bench/kmeans_bench.cpp); no GoogleTest here, so the benchmark can link it.

#include <cstddef>
#include <cstdint>

#include "segment/features.hpp"

namespace salespipe::segment::testing {

/// `customers` customers, customer i with code i, from an integer-only generator that
/// tools/kmeans_reference.py (generated_features) implements identically: splitmix64 draws
/// 4i + 1 .. 4i + 4 give the group (70% / 22% / 8%), frequency, average price in cents and
/// recency of customer i.
CustomerFeatures generated_features(std::uint64_t seed, std::size_t customers);

}  // namespace salespipe::segment::testing
