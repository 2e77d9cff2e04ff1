#include "clean/values.hpp"

#include <gtest/gtest.h>

#include <bit>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <string_view>

namespace salespipe::clean {
namespace {

// ---------------------------------------------------------------------------------------------
// Prices

void expect_price(std::string_view text, CellStatus status, std::int64_t units,
                  std::string_view problem) {
  SCOPED_TRACE(::testing::Message() << "price \"" << text << "\"");
  const PriceResult result = parse_price(text);
  EXPECT_EQ(status_name(result.status), status_name(status));
  EXPECT_EQ(result.value.units, units);
  EXPECT_EQ(result.problem, problem);
}

void expect_price_ok(std::string_view text, std::int64_t units) {
  expect_price(text, CellStatus::Ok, units, "");
}

void expect_price_bad(std::string_view text, std::string_view problem) {
  expect_price(text, CellStatus::Bad, 0, problem);
}

TEST(ParsePrice, ReadsPlainNumbers) {
  expect_price_ok("150", 1'500'000);
  expect_price_ok("150.5", 1'505'000);
  expect_price_ok("150.50", 1'505'000);
  expect_price_ok("150.5000", 1'505'000);
  expect_price_ok("0.0001", 1);
  expect_price_ok("007", 70'000);
  expect_price_ok("0.5", 5'000);
}

TEST(ParsePrice, ReadsCurrencySymbolsBeforeTheNumber) {
  expect_price_ok("$150.00", 1'500'000);
  expect_price_ok("$75", 750'000);
  expect_price_ok(
      "\xE2\x82\xAC"
      "12",
      120'000);  // €12
  expect_price_ok(
      "\xC2\xA3"
      "3",
      30'000);  // £3
  expect_price_ok("$ 150", 1'500'000);
}

TEST(ParsePrice, ReadsCurrencyCodesBeforeOrAfterTheNumber) {
  expect_price_ok("USD 12", 120'000);
  expect_price_ok("12 USD", 120'000);
  expect_price_ok("12.00 EUR", 120'000);
  expect_price_ok("GBP 3.5", 35'000);
  expect_price_ok("USD12", 120'000);
  expect_price_ok("12USD", 120'000);
  expect_price_ok("usd 12", 120'000);
  expect_price_ok("12 Eur", 120'000);
}

TEST(ParsePrice, ReadsCurrencySymbolsAfterTheNumber) {
  expect_price_ok("12 \xE2\x82\xAC", 120'000);  // 12 €
  expect_price_ok("12$", 120'000);
}

TEST(ParsePrice, ReadsThousandsCommasInValidGroups) {
  expect_price_ok("$1,234.50", 12'345'000);
  expect_price_ok("1,234", 12'340'000);
  expect_price_ok("1,234,567.8912", 12'345'678'912);
  expect_price_ok("999,999", 9'999'990'000);
  expect_price_ok("12,345 USD", 123'450'000);
}

TEST(ParsePrice, IgnoresSpacesAndTabsAround) {
  expect_price_ok("  $150.00  ", 1'500'000);
  expect_price_ok("\t150\t", 1'500'000);
  expect_price_ok(" USD  12 ", 120'000);
  expect_price_ok("12   USD", 120'000);
}

TEST(ParsePrice, AcceptsAnExplicitPlusSign) {
  expect_price_ok("+5", 50'000);
  expect_price_ok("$+5", 50'000);
  expect_price_ok("+$5", 50'000);
}

TEST(ParsePrice, ReadsTheLargestAmountThatFits) {
  expect_price_ok("922337203685477.5807", std::numeric_limits<std::int64_t>::max());
  expect_price_ok("922,337,203,685,477", 9'223'372'036'854'770'000);
}

TEST(ParsePrice, EmptyOrBlankIsMissing) {
  expect_price("", CellStatus::Missing, 0, "empty");
  expect_price("   ", CellStatus::Missing, 0, "empty");
  expect_price("\t \t", CellStatus::Missing, 0, "empty");
}

TEST(ParsePrice, NegativeAmountIsNonPositiveWithItsValue) {
  expect_price("-5", CellStatus::NonPositive, -50'000, "negative");
  expect_price("$-5", CellStatus::NonPositive, -50'000, "negative");
  expect_price("$ -5", CellStatus::NonPositive, -50'000, "negative");
  expect_price("-$5", CellStatus::NonPositive, -50'000, "negative");
  expect_price("-$ 5.25", CellStatus::NonPositive, -52'500, "negative");
  expect_price("USD -12", CellStatus::NonPositive, -120'000, "negative");
  expect_price("-12 EUR", CellStatus::NonPositive, -120'000, "negative");
  expect_price("-1,234.5", CellStatus::NonPositive, -12'345'000, "negative");
}

TEST(ParsePrice, ZeroIsNonPositive) {
  expect_price("0", CellStatus::NonPositive, 0, "zero");
  expect_price("0.00", CellStatus::NonPositive, 0, "zero");
  expect_price("$0", CellStatus::NonPositive, 0, "zero");
  expect_price("-0", CellStatus::NonPositive, 0, "zero");
  expect_price("-0.0000", CellStatus::NonPositive, 0, "zero");
  expect_price("000 USD", CellStatus::NonPositive, 0, "zero");
}

TEST(ParsePrice, RejectsTextThatIsNotANumber) {
  expect_price_bad("abc", "not a number");
  expect_price_bad("free", "not a number");
  expect_price_bad("NaN", "not a number");
  expect_price_bad("$", "not a number");
  expect_price_bad("USD", "not a number");
  expect_price_bad("-", "not a number");
  expect_price_bad("$$5", "not a number");
  expect_price_bad("(5.00)", "not a number");
  expect_price_bad("1e5", "not a number");
  expect_price_bad("0x10", "not a number");
  expect_price_bad("12.5.3", "not a number");
  expect_price_bad("1 234", "not a number");
  expect_price_bad(".5", "not a number");
  expect_price_bad(",123", "not a number");
  expect_price_bad("150abc", "not a number");
}

TEST(ParsePrice, RejectsUnknownOrDoubledCurrencies) {
  expect_price_bad("12 CAD", "not a number");
  expect_price_bad("12 USDX", "not a number");
  expect_price_bad("USDX 12", "not a number");
  expect_price_bad("5 $ 5", "not a number");
  expect_price_bad("$5 USD", "more than one currency marker");
  expect_price_bad(
      "\xE2\x82\xAC"
      "5\xE2\x82\xAC",
      "more than one currency marker");
}

TEST(ParsePrice, RejectsDecimalCommas) {
  expect_price_bad("1.234,50", "decimal comma or misplaced thousands separator");
  expect_price_bad("12,5", "decimal comma or misplaced thousands separator");
  expect_price_bad("12,50", "decimal comma or misplaced thousands separator");
  expect_price_bad("0,150", "decimal comma or misplaced thousands separator");
  expect_price_bad("$1,234.5,6", "decimal comma or misplaced thousands separator");
}

TEST(ParsePrice, RejectsMisplacedThousandsCommas) {
  expect_price_bad("1,23,456", "decimal comma or misplaced thousands separator");
  expect_price_bad("1234,567", "decimal comma or misplaced thousands separator");
  expect_price_bad("1,2345", "decimal comma or misplaced thousands separator");
  expect_price_bad("1,", "decimal comma or misplaced thousands separator");
  expect_price_bad("1,,234", "decimal comma or misplaced thousands separator");
  expect_price_bad("01,234", "decimal comma or misplaced thousands separator");
}

TEST(ParsePrice, RejectsMoreThanFourDecimalsWithoutRounding) {
  expect_price_bad("1.00000", "more than 4 decimals");
  expect_price_bad("0.00001", "more than 4 decimals");
  expect_price_bad("$150.12345", "more than 4 decimals");
}

TEST(ParsePrice, RejectsAPointWithoutDecimals) {
  expect_price_bad("5.", "a decimal point needs digits after it");
  expect_price_bad("$5. USD", "a decimal point needs digits after it");
}

TEST(ParsePrice, RejectsSignsInTheWrongPlace) {
  expect_price_bad("5-", "sign in the wrong place");
  expect_price_bad("$5-", "sign in the wrong place");
  expect_price_bad("5 -", "sign in the wrong place");
  expect_price_bad("--5", "sign in the wrong place");
  expect_price_bad("- 5", "sign in the wrong place");
  expect_price_bad("-$-5", "sign in the wrong place");
  expect_price_bad("+-5", "sign in the wrong place");
  expect_price_bad("5 USD-", "not a number");
}

TEST(ParsePrice, RejectsAmountsThatOverflow) {
  expect_price_bad("922337203685477.5808", "amount too large");
  expect_price_bad("922337203685478", "amount too large");
  expect_price_bad("99999999999999999999999999", "amount too large");
  expect_price_bad("-922337203685477.5808", "amount too large");
  expect_price_bad("9,999,999,999,999,999", "amount too large");
}

// ---------------------------------------------------------------------------------------------
// Quantities

void expect_quantity(std::string_view text, CellStatus status, std::int64_t value,
                     std::string_view problem) {
  SCOPED_TRACE(::testing::Message() << "quantity \"" << text << "\"");
  const QuantityResult result = parse_quantity(text);
  EXPECT_EQ(status_name(result.status), status_name(status));
  EXPECT_EQ(result.value, value);
  EXPECT_EQ(result.problem, problem);
}

TEST(ParseQuantity, ReadsWholeNumbers) {
  expect_quantity("3", CellStatus::Ok, 3, "");
  expect_quantity(" 3 ", CellStatus::Ok, 3, "");
  expect_quantity("\t12\t", CellStatus::Ok, 12, "");
  expect_quantity("007", CellStatus::Ok, 7, "");
  expect_quantity("9223372036854775807", CellStatus::Ok, std::numeric_limits<std::int64_t>::max(),
                  "");
}

TEST(ParseQuantity, AcceptsAFractionOfZerosOnly) {
  expect_quantity("3.0", CellStatus::Ok, 3, "");
  expect_quantity("3.00", CellStatus::Ok, 3, "");
  expect_quantity("3.0000000", CellStatus::Ok, 3, "");
}

TEST(ParseQuantity, EmptyOrBlankIsMissing) {
  expect_quantity("", CellStatus::Missing, 0, "empty");
  expect_quantity("  ", CellStatus::Missing, 0, "empty");
}

TEST(ParseQuantity, RejectsFractions) {
  expect_quantity("3.5", CellStatus::Bad, 0, "not a whole number");
  expect_quantity("3.05", CellStatus::Bad, 0, "not a whole number");
  expect_quantity("3.50", CellStatus::Bad, 0, "not a whole number");
}

TEST(ParseQuantity, RejectsZeroAndNegatives) {
  expect_quantity("0", CellStatus::Bad, 0, "zero");
  expect_quantity("0.0", CellStatus::Bad, 0, "zero");
  expect_quantity("000", CellStatus::Bad, 0, "zero");
  expect_quantity("-2", CellStatus::Bad, 0, "negative");
  expect_quantity("-0", CellStatus::Bad, 0, "negative");
  expect_quantity(" -1 ", CellStatus::Bad, 0, "negative");
}

TEST(ParseQuantity, RejectsNonNumericText) {
  expect_quantity("abc", CellStatus::Bad, 0, "not a number");
  expect_quantity("+3", CellStatus::Bad, 0, "not a number");
  expect_quantity("3.", CellStatus::Bad, 0, "not a number");
  expect_quantity(".0", CellStatus::Bad, 0, "not a number");
  expect_quantity("1,000", CellStatus::Bad, 0, "not a number");
  expect_quantity("1e3", CellStatus::Bad, 0, "not a number");
  expect_quantity("3 4", CellStatus::Bad, 0, "not a number");
  expect_quantity("3x", CellStatus::Bad, 0, "not a number");
  expect_quantity("three", CellStatus::Bad, 0, "not a number");
  expect_quantity("3.0.0", CellStatus::Bad, 0, "not a number");
}

TEST(ParseQuantity, RejectsOverflow) {
  expect_quantity("9223372036854775808", CellStatus::Bad, 0, "quantity too large");
  expect_quantity("18446744073709551616", CellStatus::Bad, 0, "quantity too large");
  expect_quantity("99999999999999999999999.0", CellStatus::Bad, 0, "quantity too large");
  // The rest of the text is still checked after an overflow.
  expect_quantity("99999999999999999999999x", CellStatus::Bad, 0, "not a number");
}

// ---------------------------------------------------------------------------------------------
// Sentiment

void expect_sentiment(std::string_view text, CellStatus status, double value,
                      std::string_view problem, double min = 1.0, double max = 5.0) {
  SCOPED_TRACE(::testing::Message() << "sentiment \"" << text << "\"");
  const SentimentResult result = parse_sentiment(text, min, max);
  EXPECT_EQ(status_name(result.status), status_name(status));
  EXPECT_EQ(result.value, value);
  EXPECT_EQ(result.problem, problem);
}

TEST(ParseSentiment, ReadsNumbersInsideTheRange) {
  expect_sentiment("4.5", CellStatus::Ok, 4.5, "");
  expect_sentiment(" 4 ", CellStatus::Ok, 4.0, "");
  expect_sentiment("1", CellStatus::Ok, 1.0, "");
  expect_sentiment("5", CellStatus::Ok, 5.0, "");
  expect_sentiment("5.0", CellStatus::Ok, 5.0, "");
  expect_sentiment("45e-1", CellStatus::Ok, 4.5, "");
  expect_sentiment("4.5E0", CellStatus::Ok, 4.5, "");
  expect_sentiment("0.3e+1", CellStatus::Ok, 3.0, "");
}

TEST(ParseSentiment, UsesTheConfiguredRange) {
  expect_sentiment("0", CellStatus::Ok, 0.0, "", 0.0, 10.0);
  expect_sentiment("10", CellStatus::Ok, 10.0, "", 0.0, 10.0);
  expect_sentiment("-0.5", CellStatus::Ok, -0.5, "", -1.0, 1.0);
  expect_sentiment("10.5", CellStatus::OutOfRange, 10.5, "out of range", 0.0, 10.0);
}

TEST(ParseSentiment, ValuesOutsideTheRangeAreOutOfRangeNotClamped) {
  expect_sentiment("0", CellStatus::OutOfRange, 0.0, "out of range");
  expect_sentiment("0.999", CellStatus::OutOfRange, 0.999, "out of range");
  expect_sentiment("5.0001", CellStatus::OutOfRange, 5.0001, "out of range");
  expect_sentiment("6", CellStatus::OutOfRange, 6.0, "out of range");
  expect_sentiment("-1", CellStatus::OutOfRange, -1.0, "out of range");
  expect_sentiment("1e300", CellStatus::OutOfRange, 1e300, "out of range");
}

TEST(ParseSentiment, InfinitiesAndHugeNumbersAreOutOfRange) {
  const double infinity = std::numeric_limits<double>::infinity();
  expect_sentiment("1e400", CellStatus::OutOfRange, infinity, "out of range");
  expect_sentiment("-1e400", CellStatus::OutOfRange, -infinity, "out of range");
  expect_sentiment("123456789e999999999999", CellStatus::OutOfRange, infinity, "out of range");
  expect_sentiment("inf", CellStatus::OutOfRange, infinity, "out of range");
  expect_sentiment("Infinity", CellStatus::OutOfRange, infinity, "out of range");
  expect_sentiment("-INF", CellStatus::OutOfRange, -infinity, "out of range");
}

TEST(ParseSentiment, NumbersBelowTheSmallestDoubleReadAsZero) {
  expect_sentiment("1e-400", CellStatus::OutOfRange, 0.0, "out of range");
  expect_sentiment("1e-400", CellStatus::Ok, 0.0, "", -1.0, 1.0);
  expect_sentiment("0.0001e-400", CellStatus::Ok, 0.0, "", -1.0, 1.0);
  const SentimentResult negative = parse_sentiment("-1e-400", -1.0, 1.0);
  EXPECT_EQ(negative.status, CellStatus::Ok);
  EXPECT_TRUE(std::signbit(negative.value));
}

TEST(ParseSentiment, ShortDecimalsReadToTheSameBitsAsFromChars) {
  // Scores without an exponent and with at most 15 digits take a shortcut; it must give the
  // correctly rounded double, bit for bit, for every length of whole and fraction part.
  std::mt19937_64 random(5);
  const double infinity = std::numeric_limits<double>::infinity();
  for (int i = 0; i < 200'000; ++i) {
    const int whole_digits = std::uniform_int_distribution<int>(1, 15)(random);
    const int fraction_digits = std::uniform_int_distribution<int>(0, 16 - whole_digits)(random);
    std::string text = random() % 2 ? "-" : "";
    const auto digit = [&] { return static_cast<char>('0' + random() % 10); };
    text += whole_digits == 1 ? digit() : static_cast<char>('1' + random() % 9);
    for (int d = 1; d < whole_digits; ++d) {
      text += digit();
    }
    if (fraction_digits > 0) {
      text += '.';
      for (int d = 0; d < fraction_digits; ++d) {
        text += digit();
      }
    }
    double expected = 0;
    std::from_chars(text.data(), text.data() + text.size(), expected);
    const SentimentResult result = parse_sentiment(text, -infinity, infinity);
    ASSERT_EQ(result.status, CellStatus::Ok) << text;
    ASSERT_EQ(std::bit_cast<std::uint64_t>(result.value), std::bit_cast<std::uint64_t>(expected))
        << text;
  }
}

TEST(ParseSentiment, RejectsTextThatIsNotAJsonNumber) {
  expect_sentiment("four", CellStatus::Bad, 0.0, "not a number");
  expect_sentiment("4.5.1", CellStatus::Bad, 0.0, "not a number");
  expect_sentiment("nan", CellStatus::Bad, 0.0, "not a number");
  expect_sentiment("NaN", CellStatus::Bad, 0.0, "not a number");
  expect_sentiment("0x10", CellStatus::Bad, 0.0, "not a number");
  expect_sentiment("+4", CellStatus::Bad, 0.0, "not a number");
  expect_sentiment("+inf", CellStatus::Bad, 0.0, "not a number");
  expect_sentiment("04", CellStatus::Bad, 0.0, "not a number");
  expect_sentiment(".5", CellStatus::Bad, 0.0, "not a number");
  expect_sentiment("4.", CellStatus::Bad, 0.0, "not a number");
  expect_sentiment("4e", CellStatus::Bad, 0.0, "not a number");
  expect_sentiment("4e+", CellStatus::Bad, 0.0, "not a number");
  expect_sentiment("4,5", CellStatus::Bad, 0.0, "not a number");
  expect_sentiment("4 5", CellStatus::Bad, 0.0, "not a number");
  expect_sentiment("1_000", CellStatus::Bad, 0.0, "not a number");
  expect_sentiment("--4", CellStatus::Bad, 0.0, "not a number");
  expect_sentiment("-", CellStatus::Bad, 0.0, "not a number");
  expect_sentiment("true", CellStatus::Bad, 0.0, "not a number");
  expect_sentiment("infinite", CellStatus::Bad, 0.0, "not a number");
}

TEST(ParseSentiment, EmptyTextIsBadBecauseTheCallerHandlesNull) {
  expect_sentiment("", CellStatus::Bad, 0.0, "empty");
  expect_sentiment("   ", CellStatus::Bad, 0.0, "empty");
}

// ---------------------------------------------------------------------------------------------
// Identifiers

TEST(NormalizeId, TrimsAndUpperCases) {
  std::string out;
  const IdRepair repair = normalize_id("  p101 ", out);
  EXPECT_EQ(out, "P101");
  EXPECT_TRUE(repair.trimmed);
  EXPECT_TRUE(repair.upper_cased);
}

TEST(NormalizeId, ReportsNoRepairForACleanId) {
  std::string out;
  const IdRepair repair = normalize_id("C_001", out);
  EXPECT_EQ(out, "C_001");
  EXPECT_FALSE(repair.trimmed);
  EXPECT_FALSE(repair.upper_cased);
}

TEST(NormalizeId, ReportsEachRepairSeparately) {
  std::string out;
  IdRepair repair = normalize_id("c_001", out);
  EXPECT_EQ(out, "C_001");
  EXPECT_FALSE(repair.trimmed);
  EXPECT_TRUE(repair.upper_cased);

  repair = normalize_id("\tC_001", out);
  EXPECT_EQ(out, "C_001");
  EXPECT_TRUE(repair.trimmed);
  EXPECT_FALSE(repair.upper_cased);
}

TEST(NormalizeId, UpperCasesAsciiOnly) {
  std::string out;
  const IdRepair repair = normalize_id("caf\xC3\xA9-9", out);  // café-9
  EXPECT_EQ(out, "CAF\xC3\xA9-9");
  EXPECT_TRUE(repair.upper_cased);
}

TEST(NormalizeId, BlankIdBecomesEmpty) {
  std::string out = "previous";
  const IdRepair repair = normalize_id("   ", out);
  EXPECT_EQ(out, "");
  EXPECT_TRUE(repair.trimmed);
  EXPECT_FALSE(repair.upper_cased);
  normalize_id("", out);
  EXPECT_EQ(out, "");
}

TEST(NormalizeId, ReplacesThePreviousContentOfOut) {
  std::string out = "A_MUCH_LONGER_PREVIOUS_VALUE";
  normalize_id("p1", out);
  EXPECT_EQ(out, "P1");
}

TEST(CellStatus, HasStableNames) {
  EXPECT_EQ(status_name(CellStatus::Ok), "ok");
  EXPECT_EQ(status_name(CellStatus::Missing), "missing");
  EXPECT_EQ(status_name(CellStatus::Bad), "bad");
  EXPECT_EQ(status_name(CellStatus::NonPositive), "nonpositive");
  EXPECT_EQ(status_name(CellStatus::OutOfRange), "out_of_range");
}

}  // namespace
}  // namespace salespipe::clean
