// Fuzzes the cell parsers of clean/values.hpp (price, quantity, sentiment, id) and checks their
// contracts on every input; a violated contract aborts so libFuzzer and the replay report it.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "clean/values.hpp"
#include "core/money.hpp"

namespace {

using salespipe::Money;
using salespipe::clean::CellStatus;

[[noreturn]] void fail(const char* what, std::string_view input) {
  std::fprintf(stderr, "price_fuzz: %s for input of %zu bytes\n", what, input.size());
  std::abort();
}

void check(bool condition, const char* what, std::string_view input) {
  if (!condition) {
    fail(what, input);
  }
}

bool is_blank(std::string_view text) {
  return text.find_first_not_of(" \t") == std::string_view::npos;
}

void check_price(std::string_view text) {
  const auto result = salespipe::clean::parse_price(text);
  check((result.status == CellStatus::Missing) == is_blank(text), "Missing iff blank", text);
  switch (result.status) {
    case CellStatus::Ok: {
      check(result.value.units > 0, "Ok price not positive", text);
      check(result.problem.empty(), "Ok price with a problem", text);
      // An Ok amount printed with all 4 decimals reads back to the same units.
      const std::int64_t units = result.value.units;
      std::string printed = std::to_string(units / Money::kScale);
      const std::string fraction = std::to_string(units % Money::kScale);
      printed += '.';
      printed.append(4 - fraction.size(), '0');
      printed += fraction;
      const auto again = salespipe::clean::parse_price(printed);
      check(again.status == CellStatus::Ok && again.value == result.value,
            "Ok price does not round-trip", text);
      const auto with_symbol = salespipe::clean::parse_price("$" + printed);
      check(with_symbol.status == CellStatus::Ok && with_symbol.value == result.value,
            "Ok price with '$' does not round-trip", text);
      break;
    }
    case CellStatus::NonPositive:
      check(result.value.units <= 0, "NonPositive price above zero", text);
      break;
    case CellStatus::Missing:
    case CellStatus::Bad:
      check(result.value.units == 0, "rejected price with a value", text);
      check(!result.problem.empty(), "rejected price without a problem", text);
      break;
    case CellStatus::OutOfRange:
      fail("price cannot be OutOfRange", text);
  }
}

void check_quantity(std::string_view text) {
  const auto result = salespipe::clean::parse_quantity(text);
  check((result.status == CellStatus::Missing) == is_blank(text), "Missing iff blank", text);
  if (result.status == CellStatus::Ok) {
    check(result.value > 0, "Ok quantity not positive", text);
    const auto again = salespipe::clean::parse_quantity(std::to_string(result.value));
    check(again.status == CellStatus::Ok && again.value == result.value,
          "Ok quantity does not round-trip", text);
  } else {
    check(result.status == CellStatus::Missing || result.status == CellStatus::Bad,
          "quantity status", text);
    check(result.value == 0, "rejected quantity with a value", text);
  }
}

void check_sentiment(std::string_view text) {
  const auto result = salespipe::clean::parse_sentiment(text);
  switch (result.status) {
    case CellStatus::Ok:
      check(result.value >= 1.0 && result.value <= 5.0, "Ok sentiment outside [1, 5]", text);
      break;
    case CellStatus::OutOfRange:
      check(!std::isnan(result.value), "OutOfRange sentiment is NaN", text);
      check(!(result.value >= 1.0 && result.value <= 5.0), "OutOfRange value inside", text);
      break;
    case CellStatus::Bad:
      check(result.value == 0.0, "Bad sentiment with a value", text);
      break;
    case CellStatus::Missing:
    case CellStatus::NonPositive:
      fail("sentiment status", text);
  }
  // Widening the range never turns a number into Bad or the reverse.
  const auto wide = salespipe::clean::parse_sentiment(text, -1e308, 1e308);
  check((wide.status == CellStatus::Bad) == (result.status == CellStatus::Bad), "range changes Bad",
        text);
}

void check_id(std::string_view text) {
  std::string out = "previous";
  const auto repair = salespipe::clean::normalize_id(text, out);
  check(out.size() <= text.size(), "id grew", text);
  check(repair.trimmed == (out.size() != text.size()), "trimmed flag", text);
  for (const char c : out) {
    check(!(c >= 'a' && c <= 'z'), "id keeps a lower-case letter", text);
  }
  std::string twice;
  const auto second = salespipe::clean::normalize_id(out, twice);
  check(twice == out && !second.trimmed && !second.upper_cased, "id not idempotent", text);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  check_price(text);
  check_quantity(text);
  check_sentiment(text);
  check_id(text);
  return 0;
}
