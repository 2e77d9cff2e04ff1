#include "io/xlsx/cells.hpp"

#include <gtest/gtest.h>

#include <limits>

namespace salespipe::io::xlsx {
namespace {

Date day(int y, unsigned m, unsigned d) { return make_date(y, m, d).value(); }

TEST(ExcelSerial, CountsDaysFromExcelsEpoch) {
  EXPECT_EQ(excel_serial(day(1970, 1, 1)), 25569.0);
  EXPECT_EQ(excel_serial(day(2023, 1, 1)), 44927.0);
  EXPECT_EQ(excel_serial(day(2024, 2, 29)), 45351.0);
  EXPECT_EQ(excel_serial(day(9999, 12, 31)), 2958465.0);
}

TEST(ExcelSerial, SkipsTheFictitiousLeapDayOf1900) {
  EXPECT_EQ(excel_serial(day(1900, 1, 1)), 1.0);
  EXPECT_EQ(excel_serial(day(1900, 2, 28)), 59.0);
  // Serial 60 is Excel's 1900-02-29, which never existed.
  EXPECT_EQ(excel_serial(day(1900, 3, 1)), 61.0);
}

TEST(ExcelSerial, HasNoSerialBefore1900) {
  EXPECT_EQ(excel_serial(day(1899, 12, 31)), std::nullopt);
  EXPECT_EQ(excel_serial(day(1, 1, 1)), std::nullopt);
}

TEST(MoneyValue, IsTheNearestDoubleToTheDecimalAmount) {
  EXPECT_EQ(money_value(Money{1'500'500}), 150.05);
  EXPECT_EQ(money_value(Money{-12'345'678}), -1234.5678);
  EXPECT_EQ(money_value(Money{1}), 0.0001);
  EXPECT_EQ(money_value(Money{0}), 0.0);
}

TEST(MoneyDisplayWidth, CountsDollarSignCommasAndCents) {
  EXPECT_EQ(money_display_width(Money{0}), 5u);                 // $0.00
  EXPECT_EQ(money_display_width(Money{1'500'500}), 7u);         // $150.05
  EXPECT_EQ(money_display_width(Money{12'345'000}), 9u);        // $1,234.50
  EXPECT_EQ(money_display_width(Money{-12'345'678'900}), 14u);  // -$1,234,567.89
  EXPECT_EQ(money_display_width(Money{9'999'999'950}), 13u);    // rounds up to $1,000,000.00
  EXPECT_EQ(money_display_width(Money{-49}), 5u);               // rounds to $0.00, no sign
}

TEST(MoneyDisplayWidth, HandlesTheMostNegativeAmount) {
  // -$922,337,203,685,477.58
  EXPECT_EQ(money_display_width(Money{std::numeric_limits<std::int64_t>::min()}), 24u);
}

TEST(IntegerDisplayWidth, CountsDigitsAndSign) {
  EXPECT_EQ(integer_display_width(0), 1u);
  EXPECT_EQ(integer_display_width(9), 1u);
  EXPECT_EQ(integer_display_width(10), 2u);
  EXPECT_EQ(integer_display_width(-5), 2u);
  EXPECT_EQ(integer_display_width(std::numeric_limits<std::int64_t>::min()), 20u);
}

TEST(DecimalDisplayWidth, UsesTheShortestFormCappedAtEleven) {
  EXPECT_EQ(decimal_display_width(4.5), 3u);
  EXPECT_EQ(decimal_display_width(-0.25), 5u);
  EXPECT_EQ(decimal_display_width(1.0 / 3.0), 11u);
}

TEST(TextDisplayWidth, CountsCodePointsNotBytes) {
  EXPECT_EQ(text_display_width(""), 0u);
  EXPECT_EQ(text_display_width("abc"), 3u);
  EXPECT_EQ(text_display_width("caf\xc3\xa9"), 4u);  // café
  EXPECT_EQ(text_display_width("\xe2\x82\xac"
                               "5"),
            2u);                                          // €5
  EXPECT_EQ(text_display_width("\xf0\x9f\x98\x80"), 1u);  // one emoji
}

TEST(ColumnWidth, FitsHeaderWithFilterButtonAndValues) {
  EXPECT_DOUBLE_EQ(column_width(4, 20), 22.0);
  EXPECT_DOUBLE_EQ(column_width(20, 4), 25.0);
  EXPECT_DOUBLE_EQ(column_width(0, 0), 8.43);
}

TEST(ColumnWidth, IsCappedForLongValues) {
  EXPECT_DOUBLE_EQ(column_width(5, 10'000), static_cast<double>(kMaxColumnChars));
  EXPECT_DOUBLE_EQ(column_width(500, 1), static_cast<double>(kMaxColumnChars));
}

void expect_cell(std::string_view text, SummaryKind kind, double value) {
  const SummaryCell cell = parse_summary_cell(text);
  EXPECT_EQ(cell.kind, kind) << text;
  EXPECT_EQ(cell.value, value) << text;
}

TEST(SummaryCell, ReadsPlainNumbers) {
  expect_cell("12", SummaryKind::Number, 12.0);
  expect_cell("-3.45", SummaryKind::Number, -3.45);
  expect_cell("0", SummaryKind::Number, 0.0);
  expect_cell("0.2454", SummaryKind::Number, 0.2454);
  expect_cell("123456789012345", SummaryKind::Number, 123456789012345.0);
}

TEST(SummaryCell, ReadsDollarAmounts) {
  expect_cell("$1,234.50", SummaryKind::Money, 1234.5);
  expect_cell("-$3.00", SummaryKind::Money, -3.0);
  expect_cell("$1234.5", SummaryKind::Money, 1234.5);
  expect_cell("$12,345,678.90", SummaryKind::Money, 12345678.9);
}

TEST(SummaryCell, ReadsPercentagesAsFractions) {
  expect_cell("35.2%", SummaryKind::Percent, 0.352);
  expect_cell("-0.5%", SummaryKind::Percent, -0.005);
  expect_cell("100%", SummaryKind::Percent, 1.0);
}

TEST(SummaryCell, CountsTheDecimalsOfItsText) {
  EXPECT_EQ(parse_summary_cell("-12.50").decimals, 2);
  EXPECT_EQ(parse_summary_cell("$1,234.5").decimals, 1);
  EXPECT_EQ(parse_summary_cell("35.25%").decimals, 2);
  EXPECT_EQ(parse_summary_cell("12").decimals, 0);
  EXPECT_EQ(parse_summary_cell("P001").decimals, 0);
}

TEST(SummaryCell, EmptyIsBlank) { expect_cell("", SummaryKind::Blank, 0.0); }

TEST(SummaryCell, KeepsEverythingElseAsText) {
  for (const std::string_view text :
       {"new",   "P001",        "1e5",         "+3",    "007",
        "1,234", "$1,23.00",    "$12,3456.00", "$,123", "1.",
        ".5",    "1.2.3",       "--1",         "-",     "$",
        "%",     "$5%",         " 5",          "5 ",    "1234567890123456",
        "=1+1",  "\xef\xbc\x91"}) {
    EXPECT_EQ(parse_summary_cell(text).kind, SummaryKind::Text) << text;
  }
}

}  // namespace
}  // namespace salespipe::io::xlsx
