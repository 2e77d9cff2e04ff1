#pragma once

#include <string>

#include "core/money.hpp"

namespace salespipe::analyze {

/// Money as a business reader sees it: "$12,345.67", "-$1,234.50". Two decimals, rounding half
/// away from zero as core format_money does; an amount that rounds to zero has no sign.
std::string format_dollars(Money amount);

/// A fraction as a percentage with one decimal: 0.3521 -> "35.2%". A value that rounds to zero is
/// "0.0%", never "-0.0%".
std::string format_percent(double fraction);

/// A sentiment score with two decimals: "3.45".
std::string format_sentiment(double score);

}  // namespace salespipe::analyze
