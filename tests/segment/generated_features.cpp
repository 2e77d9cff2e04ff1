#include "generated_features.hpp"

namespace salespipe::segment::testing {

CustomerFeatures generated_features(std::uint64_t seed, std::size_t customers) {
  // splitmix64: draw t is mix(seed + t * gamma), t counted from 1; customer i takes draws
  // 4i + 1 .. 4i + 4: group, frequency, average price in cents, recency.
  constexpr std::uint64_t kGamma = 0x9E3779B97F4A7C15ULL;
  const auto mix = [](std::uint64_t z) {
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  };
  constexpr std::uint64_t kFrequencySpan[] = {6, 12, 25};
  constexpr std::uint64_t kFrequencyBase[] = {1, 3, 8};
  constexpr std::uint64_t kCentsSpan[] = {9000, 20000, 60000};
  constexpr std::uint64_t kCentsBase[] = {1000, 4000, 15000};
  CustomerFeatures features;
  std::uint64_t counter = 0;
  for (std::size_t i = 0; i < customers; ++i) {
    std::uint64_t draw[4];
    for (auto& value : draw) {
      value = mix(seed + ++counter * kGamma);
    }
    const std::uint64_t group_draw = draw[0] % 100;
    const std::size_t group = group_draw < 70 ? 0 : group_draw < 92 ? 1 : 2;
    const std::uint64_t frequency = kFrequencyBase[group] + draw[1] % kFrequencySpan[group];
    const std::uint64_t cents = kCentsBase[group] + draw[2] % kCentsSpan[group];
    const Money total{static_cast<std::int64_t>(frequency * cents * 100)};
    features.customer.push_back(static_cast<std::uint32_t>(i));
    features.total_purchase_amount.push_back(total);
    features.purchase_frequency.push_back(static_cast<std::int64_t>(frequency));
    features.avg_transaction_value.push_back(to_double(total) / static_cast<double>(frequency));
    features.recency_days.push_back(static_cast<std::int64_t>(draw[3] % 120));
  }
  return features;
}

}  // namespace salespipe::segment::testing
