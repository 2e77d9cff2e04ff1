#include "core/money.hpp"

#include <gtest/gtest.h>

#include <limits>

namespace salespipe {
namespace {

TEST(Money, FormatsTwoDecimals) {
  EXPECT_EQ(format_money(Money{1'500'000}), "150.00");
  EXPECT_EQ(format_money(Money{1'505'000}), "150.50");
  EXPECT_EQ(format_money(Money{0}), "0.00");
  EXPECT_EQ(format_money(Money{100}), "0.01");
}

TEST(Money, RoundsHalfAwayFromZero) {
  EXPECT_EQ(format_money(Money{1'234'550}), "123.46");
  EXPECT_EQ(format_money(Money{1'234'549}), "123.45");
  EXPECT_EQ(format_money(Money{-1'234'550}), "-123.46");
  EXPECT_EQ(format_money(Money{-49}), "0.00");
  EXPECT_EQ(format_money(Money{-50}), "-0.01");
}

TEST(Money, FormatsExtremesWithoutOverflow) {
  EXPECT_EQ(format_money(Money{std::numeric_limits<std::int64_t>::max()}), "922337203685477.58");
  EXPECT_EQ(format_money(Money{std::numeric_limits<std::int64_t>::min()}), "-922337203685477.58");
}

TEST(Money, MultiplicationReportsOverflow) {
  EXPECT_EQ(checked_multiply(Money{1'500'000}, 3), Money{4'500'000});
  EXPECT_FALSE(checked_multiply(Money{std::numeric_limits<std::int64_t>::max() / 2}, 3));
  EXPECT_FALSE(checked_add(Money{std::numeric_limits<std::int64_t>::max()}, Money{1}));
}

}  // namespace
}  // namespace salespipe
