#include "analyze/format.hpp"

#include <gtest/gtest.h>

#include <limits>

namespace salespipe::analyze {
namespace {

TEST(FormatDollars, GroupsThousandsWithCommas) {
  EXPECT_EQ(format_dollars(Money{0}), "$0.00");
  EXPECT_EQ(format_dollars(Money{1'000'000}), "$100.00");
  EXPECT_EQ(format_dollars(Money{123'456'700}), "$12,345.67");
  EXPECT_EQ(format_dollars(Money{1'000'000'000}), "$100,000.00");
  EXPECT_EQ(format_dollars(Money{12'345'678'910}), "$1,234,567.89");
}

TEST(FormatDollars, RoundsHalfAwayFromZeroAcrossAGroup) {
  EXPECT_EQ(format_dollars(Money{9'999'950}), "$1,000.00");
  EXPECT_EQ(format_dollars(Money{9'999'949}), "$999.99");
}

TEST(FormatDollars, PutsTheSignBeforeTheDollar) {
  EXPECT_EQ(format_dollars(Money{-12'345'000}), "-$1,234.50");
  EXPECT_EQ(format_dollars(Money{-49}), "$0.00");
  EXPECT_EQ(format_dollars(Money{std::numeric_limits<std::int64_t>::min()}),
            "-$922,337,203,685,477.58");
}

TEST(FormatPercent, ShowsOneDecimal) {
  EXPECT_EQ(format_percent(0.3521), "35.2%");
  EXPECT_EQ(format_percent(1.0), "100.0%");
  EXPECT_EQ(format_percent(0.0), "0.0%");
  EXPECT_EQ(format_percent(-0.5), "-50.0%");
  EXPECT_EQ(format_percent(-0.0001), "0.0%");
}

TEST(FormatSentiment, ShowsTwoDecimals) {
  EXPECT_EQ(format_sentiment(3.456), "3.46");
  EXPECT_EQ(format_sentiment(4.0), "4.00");
}

}  // namespace
}  // namespace salespipe::analyze
