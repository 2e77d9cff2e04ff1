// Axis ticks and label formatting of the chart module (declared in chart.hpp).

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "core/error.hpp"
#include "report/chart.hpp"

namespace salespipe::report {
namespace {

// 10^exponent, exact for |exponent| <= 22 (where doubles hold powers of ten exactly).
double power_of_ten(int exponent) { return std::pow(10.0, exponent); }

// multiple x mantissa x 10^exponent, dividing for negative exponents so 3 x 1 x 10^-1 is the
// double nearest 0.3 rather than 0.30000000000000004.
double scaled(double multiple, double mantissa, int exponent) {
  const double value = exponent >= 0 ? multiple * mantissa * power_of_ten(exponent)
                                     : multiple * mantissa / power_of_ten(-exponent);
  return value + 0.0;  // turns -0 into 0
}

std::string group_thousands(const std::string& digits) {
  std::string out;
  out.reserve(digits.size() + digits.size() / 3);
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i != 0 && (digits.size() - i) % 3 == 0) {
      out.push_back(',');
    }
    out.push_back(digits[i]);
  }
  return out;
}

// The magnitude with `decimals` digits, rounded half away from zero, grouped by thousands.
std::string format_magnitude(double magnitude, int decimals) {
  double rounded = std::round(magnitude * power_of_ten(decimals));
  if (!std::isfinite(rounded)) {
    decimals = 0;  // only for magnitudes near the top of the double range
    rounded = std::round(magnitude);
  }
  std::string digits = fmt::format("{:.0f}", rounded);
  const auto places = static_cast<std::size_t>(decimals);
  if (digits.size() <= places) {
    digits.insert(0, places + 1 - digits.size(), '0');
  }
  std::string out = group_thousands(digits.substr(0, digits.size() - places));
  if (places > 0) {
    out.push_back('.');
    out.append(digits.substr(digits.size() - places));
  }
  return out;
}

bool is_zero_text(const std::string& text) {
  return std::none_of(text.begin(), text.end(), [](char c) { return c >= '1' && c <= '9'; });
}

std::string trim_fraction(std::string text) {
  if (text.find('.') == std::string::npos) {
    return text;
  }
  while (text.back() == '0') {
    text.pop_back();
  }
  if (text.back() == '.') {
    text.pop_back();
  }
  return text;
}

}  // namespace

std::vector<double> nice_ticks(double min, double max, int target) {
  if (!std::isfinite(min) || !std::isfinite(max)) {
    throw Error(ErrorKind::Internal, "chart: axis range [" + fmt::format("{}", min) + ", " +
                                         fmt::format("{}", max) + "] is not finite");
  }
  // Beyond this, max - min overflows; no chart axis needs it.
  constexpr double kLargest = 1e300;
  if (std::abs(min) > kLargest || std::abs(max) > kLargest) {
    throw Error(ErrorKind::Internal, "chart: axis range [" + fmt::format("{}", min) + ", " +
                                         fmt::format("{}", max) + "] is too large to draw");
  }
  if (min > max) {
    std::swap(min, max);
  }
  // A range narrower than double rounding noise is one value: ticks 1e-16 apart say nothing.
  if (max - min <= 1e-12 * std::max(std::abs(min), std::abs(max))) {
    max = min;
  }
  if (min == max) {
    if (min == 0.0) {
      max = 1.0;
    } else if (min > 0.0) {
      min = 0.0;
    } else {
      max = 0.0;
    }
  }
  target = std::clamp(target, 1, 100);

  const double raw_step = (max - min) / target;
  const int base = static_cast<int>(std::floor(std::log10(raw_step)));
  constexpr std::array<double, 4> kMantissas = {1.0, 2.0, 2.5, 5.0};
  // A hair of tolerance so 0.3 / 0.1 = 2.9999999999999996 still counts as the multiple 3.
  constexpr double kSlack = 1e-9;

  double best_mantissa = 1.0;
  int best_exponent = base;
  double best_first = 0.0;
  double best_intervals = 0.0;
  double best_score = std::numeric_limits<double>::infinity();
  double best_cover = std::numeric_limits<double>::infinity();
  for (int exponent = base - 1; exponent <= base + 1; ++exponent) {
    for (const double mantissa : kMantissas) {
      const double step = scaled(1.0, mantissa, exponent);
      if (!(step > 0.0) || !std::isfinite(step)) {
        continue;  // only for ranges near the ends of the double exponent range
      }
      const double first = std::floor(min / step + kSlack);
      const double last = std::ceil(max / step - kSlack);
      const double intervals = last - first;
      const double score = std::abs(intervals - target);
      // On equal distance to the target, the tightest cover wastes the least of the plot.
      const double cover = intervals * step;
      if (score < best_score || (score == best_score && cover < best_cover)) {
        best_score = score;
        best_cover = cover;
        best_mantissa = mantissa;
        best_exponent = exponent;
        best_first = first;
        best_intervals = intervals;
      }
    }
  }

  if (best_score == std::numeric_limits<double>::infinity()) {
    return {min, max};
  }
  std::vector<double> ticks;
  const auto count = static_cast<std::size_t>(best_intervals) + 1;
  ticks.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    ticks.push_back(scaled(best_first + static_cast<double>(i), best_mantissa, best_exponent));
  }
  return ticks;
}

std::string format_number(double value, int decimals) {
  if (!std::isfinite(value)) {
    return "n/a";
  }
  std::string body = format_magnitude(std::abs(value), std::clamp(decimals, 0, 9));
  if (value < 0.0 && !is_zero_text(body)) {
    body.insert(0, 1, '-');
  }
  return body;
}

std::string format_currency(double value, int decimals, std::string_view symbol) {
  if (!std::isfinite(value)) {
    return "n/a";
  }
  const std::string body = format_magnitude(std::abs(value), std::clamp(decimals, 0, 9));
  std::string out = value < 0.0 && !is_zero_text(body) ? "-" : "";
  out.append(symbol);
  out.append(body);
  return out;
}

std::string format_currency_compact(double value, std::string_view symbol) {
  if (!std::isfinite(value)) {
    return "n/a";
  }
  const double magnitude = std::abs(value);
  std::string body;
  const double cents = std::round(magnitude * 100.0);
  if (cents < 100'000.0) {
    // Below 1,000: whole amounts without decimals, anything else to the cent.
    body = format_magnitude(cents / 100.0, std::fmod(cents, 100.0) == 0.0 ? 0 : 2);
  } else {
    constexpr std::array<std::pair<double, char>, 4> kUnits = {
        {{1e3, 'k'}, {1e6, 'M'}, {1e9, 'B'}, {1e12, 'T'}}};
    for (std::size_t u = 0; u < kUnits.size(); ++u) {
      const double in_unit = magnitude / kUnits[u].first;
      const int decimals = in_unit < 10.0 ? 2 : in_unit < 100.0 ? 1 : 0;
      const double rounded = std::round(in_unit * power_of_ten(decimals)) / power_of_ten(decimals);
      // 999,999 rounds to 1000k: say 1M instead.
      if (rounded >= 1000.0 && u + 1 < kUnits.size()) {
        continue;
      }
      body = trim_fraction(format_magnitude(rounded, decimals)) + kUnits[u].second;
      break;
    }
  }
  std::string out = value < 0.0 && !is_zero_text(body) ? "-" : "";
  out.append(symbol);
  out.append(body);
  return out;
}

}  // namespace salespipe::report
