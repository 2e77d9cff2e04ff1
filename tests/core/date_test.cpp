#include "core/date.hpp"

#include <gtest/gtest.h>

namespace salespipe {
namespace {

TEST(Date, MakesRealDatesOnly) {
  EXPECT_TRUE(make_date(2023, 2, 28));
  EXPECT_FALSE(make_date(2023, 2, 29));
  EXPECT_TRUE(make_date(2024, 2, 29));
  EXPECT_FALSE(make_date(2023, 2, 30));
  EXPECT_FALSE(make_date(2023, 13, 1));
  EXPECT_FALSE(make_date(2023, 0, 1));
  EXPECT_FALSE(make_date(0, 1, 1));
}

TEST(Date, FormatsIso) {
  EXPECT_EQ(format_date(*make_date(2023, 1, 5)), "2023-01-05");
  EXPECT_EQ(format_date(*make_date(999, 12, 31)), "0999-12-31");
  EXPECT_EQ(format_date(Date{}), "1970-01-01");
}

TEST(Date, ParsesIsoRoundTrip) {
  EXPECT_EQ(parse_iso_date("2023-03-31"), make_date(2023, 3, 31));
  EXPECT_FALSE(parse_iso_date("2023-3-31"));
  EXPECT_FALSE(parse_iso_date("2023-02-30"));
  EXPECT_FALSE(parse_iso_date("2023/03/31"));
}

}  // namespace
}  // namespace salespipe
