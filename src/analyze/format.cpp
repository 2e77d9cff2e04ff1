#include "analyze/format.hpp"

#include <fmt/format.h>

namespace salespipe::analyze {
namespace {

// fmt rounds a small negative value to "-0.0"; a reader should see "0.0".
std::string without_negative_zero(std::string text) {
  if (!text.empty() && text[0] == '-' && text.find_first_not_of("0.", 1) == std::string::npos) {
    text.erase(0, 1);
  }
  return text;
}

}  // namespace

std::string format_dollars(Money amount) {
  const std::string plain = format_money(amount);  // "-1234.50": sign, digits, point, 2 digits
  const bool negative = plain[0] == '-';
  const std::string_view digits =
      std::string_view(plain).substr(negative ? 1 : 0, plain.size() - (negative ? 4 : 3));
  std::string out = negative ? "-$" : "$";
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) {
      out.push_back(',');
    }
    out.push_back(digits[i]);
  }
  out.append(plain, plain.size() - 3, 3);
  return out;
}

std::string format_percent(double fraction) {
  return without_negative_zero(fmt::format("{:.1f}", fraction * 100.0)) + "%";
}

std::string format_sentiment(double score) {
  return without_negative_zero(fmt::format("{:.2f}", score));
}

}  // namespace salespipe::analyze
