#include "core/reason.hpp"

#include <array>
#include <mutex>
#include <set>

namespace salespipe {
namespace {

constexpr std::array<std::string_view, kReasonCount> kNames = {
    "missing_sale_id",   "missing_product_id", "missing_customer_id", "missing_price",
    "bad_price",         "nonpositive_price",  "bad_quantity",        "missing_date",
    "bad_date",          "missing_sentiment",  "bad_sentiment",       "sentiment_out_of_range",
    "duplicate_sale_id", "bad_row_shape",      "bad_encoding",        "field_too_long",
    "duplicate_key",     "not_an_object",
};

}  // namespace

std::string_view reason_name(Reason reason) noexcept {
  return kNames[static_cast<std::size_t>(reason)];
}

std::optional<Reason> reason_from_name(std::string_view name) noexcept {
  for (std::size_t i = 0; i < kNames.size(); ++i) {
    if (kNames[i] == name) {
      return static_cast<Reason>(i);
    }
  }
  return std::nullopt;
}

std::string_view lasting_name(std::string_view name) {
  // Never freed: set nodes do not move, so the views stay valid until the process ends.
  static std::mutex mutex;
  static std::set<std::string, std::less<>> names;
  const std::lock_guard lock(mutex);
  auto found = names.find(name);
  if (found == names.end()) {
    found = names.emplace(name).first;
  }
  return *found;
}

}  // namespace salespipe
