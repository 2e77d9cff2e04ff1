#include "analyze/period.hpp"

#include <gtest/gtest.h>

#include "tables.hpp"

namespace salespipe::analyze {
namespace {
using test::day;
using test::make_tables;
using test::throws_error;

// Sales from mid-January to 20 March 2023: the latest quarter is 2023 Q1, and partial.
test::Tables q1_sales() {
  return make_tables({{"P1", "C1", 1000, 1, "2023-01-15"},
                      {"P2", "C2", 2000, 1, "2023-03-20"},
                      {"P1", "C3", 1500, 2, "2023-02-01"}});
}

constexpr std::string_view kForms =
    "; the forms are: latest-quarter (the default; alias last-quarter), YYYYQn such as 2023Q1, "
    "YYYY such as 2023, YYYY-MM-DD..YYYY-MM-DD (both days included) or all";

std::string usage_message(std::string_view head) { return std::string(head) + std::string(kForms); }

TEST(PeriodSpec, ParsesEveryFormWithoutData) {
  EXPECT_EQ(parse_period_spec("latest-quarter").kind, PeriodKind::LatestQuarter);
  EXPECT_EQ(parse_period_spec("last-quarter").kind, PeriodKind::LatestQuarter);
  EXPECT_EQ(parse_period_spec("all").kind, PeriodKind::All);
  const PeriodSpec quarter = parse_period_spec("2023Q2");
  EXPECT_EQ(quarter.kind, PeriodKind::Quarter);
  EXPECT_EQ(quarter.year, 2023);
  EXPECT_EQ(quarter.quarter, 2u);
  const PeriodSpec year = parse_period_spec("2021");
  EXPECT_EQ(year.kind, PeriodKind::Year);
  EXPECT_EQ(year.year, 2021);
  const PeriodSpec range = parse_period_spec("2023-01-01..2023-02-15");
  EXPECT_EQ(range.kind, PeriodKind::Range);
  EXPECT_EQ(range.first, day("2023-01-01"));
  EXPECT_EQ(range.last, day("2023-02-15"));
}

TEST(PeriodSpec, IgnoresSurroundingSpacesAndLetterCase) {
  EXPECT_EQ(parse_period_spec("  Latest-Quarter ").kind, PeriodKind::LatestQuarter);
  EXPECT_EQ(parse_period_spec("ALL").kind, PeriodKind::All);
  EXPECT_EQ(parse_period_spec("2023q4").quarter, 4u);
}

TEST(PeriodSpec, RejectsUnknownTextWithTheForms) {
  for (const char* text : {"yesterday", "2023-Q1", "Q1 2023", "23Q1", "2023Q12", "20231",
                           "2023-01-01", "latest quarter"}) {
    EXPECT_TRUE(throws_error([&] { parse_period_spec(text); }, ErrorKind::Usage,
                             usage_message(std::string("bad period \"") + text + "\"")))
        << text;
  }
}

TEST(PeriodSpec, RejectsEmptyText) {
  EXPECT_TRUE(throws_error([] { parse_period_spec("  "); }, ErrorKind::Usage,
                           usage_message("bad period \"  \": it is empty")));
}

TEST(PeriodSpec, RejectsQuarterOutsideOneToFour) {
  EXPECT_TRUE(
      throws_error([] { parse_period_spec("2023Q5"); }, ErrorKind::Usage,
                   usage_message("bad period \"2023Q5\": the quarter must be Q1, Q2, Q3 or Q4")));
  EXPECT_TRUE(
      throws_error([] { parse_period_spec("2023Q0"); }, ErrorKind::Usage,
                   usage_message("bad period \"2023Q0\": the quarter must be Q1, Q2, Q3 or Q4")));
}

TEST(PeriodSpec, RejectsYearZero) {
  EXPECT_TRUE(throws_error([] { parse_period_spec("0000"); }, ErrorKind::Usage,
                           usage_message("bad period \"0000\": the year must be 0001 to 9999")));
  EXPECT_TRUE(throws_error([] { parse_period_spec("0000Q1"); }, ErrorKind::Usage,
                           usage_message("bad period \"0000Q1\": the year must be 0001 to 9999")));
}

TEST(PeriodSpec, RejectsImpossibleRangeDays) {
  EXPECT_TRUE(throws_error(
      [] { parse_period_spec("2023-02-30..2023-03-01"); }, ErrorKind::Usage,
      usage_message("bad period \"2023-02-30..2023-03-01\": \"2023-02-30\" is not a calendar "
                    "date written YYYY-MM-DD")));
  EXPECT_TRUE(
      throws_error([] { parse_period_spec("2023-01-01.."); }, ErrorKind::Usage,
                   usage_message("bad period \"2023-01-01..\": \"\" is not a calendar date written "
                                 "YYYY-MM-DD")));
  EXPECT_TRUE(throws_error(
      [] { parse_period_spec("2023-1-1..2023-02-01"); }, ErrorKind::Usage,
      usage_message("bad period \"2023-1-1..2023-02-01\": \"2023-1-1\" is not a calendar date "
                    "written YYYY-MM-DD")));
}

TEST(PeriodSpec, RejectsRangeEndingBeforeItStarts) {
  EXPECT_TRUE(throws_error(
      [] { parse_period_spec("2023-03-01..2023-02-01"); }, ErrorKind::Usage,
      usage_message("bad period \"2023-03-01..2023-02-01\": the range ends before it starts")));
}

TEST(PeriodSpec, EchoesOnlyTheStartOfLongText) {
  const std::string text(200, 'x');
  try {
    parse_period_spec(text);
    ADD_FAILURE() << "no error";
  } catch (const Error& error) {
    EXPECT_NE(std::string_view(error.what()).find(std::string(64, 'x') + "…[truncated]\""),
              std::string_view::npos)
        << error.what();
    EXPECT_EQ(std::string_view(error.what()).find(std::string(65, 'x')), std::string_view::npos);
  }
}

TEST(Period, QuarterCoversItsThreeMonths) {
  const test::Tables t = q1_sales();
  const Period period = parse_period("2023Q1", t.sales);
  EXPECT_EQ(period.kind, PeriodKind::Quarter);
  EXPECT_EQ(period.first, day("2023-01-01"));
  EXPECT_EQ(period.last, day("2023-03-31"));
  EXPECT_EQ(period.label, "2023 Q1");
  EXPECT_EQ(quarter_period(2024, 2).last, day("2024-06-30"));
  EXPECT_EQ(quarter_period(2024, 3).first, day("2024-07-01"));
  EXPECT_EQ(quarter_period(2024, 4).last, day("2024-12-31"));
}

TEST(Period, YearCoversJanuaryToDecember) {
  const test::Tables t = q1_sales();
  const Period period = parse_period("2023", t.sales);
  EXPECT_EQ(period.kind, PeriodKind::Year);
  EXPECT_EQ(period.first, day("2023-01-01"));
  EXPECT_EQ(period.last, day("2023-12-31"));
  EXPECT_EQ(period.label, "2023");
  EXPECT_EQ(period.days(), 365);
}

TEST(Period, RangeIncludesBothDays) {
  const test::Tables t = q1_sales();
  const Period period = parse_period("2023-01-15..2023-02-01", t.sales);
  EXPECT_EQ(period.kind, PeriodKind::Range);
  EXPECT_EQ(period.label, "2023-01-15..2023-02-01");
  EXPECT_TRUE(period.contains(day("2023-01-15")));
  EXPECT_TRUE(period.contains(day("2023-02-01")));
  EXPECT_FALSE(period.contains(day("2023-01-14")));
  EXPECT_FALSE(period.contains(day("2023-02-02")));
  EXPECT_EQ(period.days(), 18);
  EXPECT_EQ(parse_period("2023-03-20..2023-03-20", t.sales).days(), 1);
}

TEST(Period, AllSpansTheLoadedSales) {
  const test::Tables t = q1_sales();
  const Period period = parse_period("all", t.sales);
  EXPECT_EQ(period.kind, PeriodKind::All);
  EXPECT_EQ(period.first, day("2023-01-15"));
  EXPECT_EQ(period.last, day("2023-03-20"));
  EXPECT_EQ(period.label, "all time");
  EXPECT_FALSE(period.is_partial());
  EXPECT_EQ(describe(period), "all time");
}

TEST(Period, LatestQuarterHoldsTheLatestSaleDate) {
  // Row order does not matter: the latest date is in the middle.
  const test::Tables t = make_tables({{"P1", "C1", 1000, 1, "2022-11-30"},
                                      {"P1", "C1", 1000, 1, "2023-04-02"},
                                      {"P1", "C1", 1000, 1, "2023-01-10"}});
  for (const char* text : {"latest-quarter", "last-quarter"}) {
    const Period period = parse_period(text, t.sales);
    EXPECT_EQ(period.kind, PeriodKind::Quarter);
    EXPECT_EQ(period.label, "2023 Q2");
    EXPECT_EQ(period.first, day("2023-04-01"));
    EXPECT_EQ(period.last, day("2023-06-30"));
  }
}

TEST(Period, LatestQuarterEndingBeforeItsLastDayIsPartial) {
  const test::Tables t = q1_sales();
  const Period period = parse_period("latest-quarter", t.sales);
  ASSERT_TRUE(period.is_partial());
  EXPECT_EQ(*period.data_until, day("2023-03-20"));
  EXPECT_EQ(describe(period), "2023 Q1 (partial: data up to 2023-03-20)");
}

TEST(Period, QuarterWithSalesOnItsLastDayIsComplete) {
  const test::Tables t = make_tables({{"P1", "C1", 1000, 1, "2023-03-31"}});
  const Period period = parse_period("latest-quarter", t.sales);
  EXPECT_FALSE(period.is_partial());
  EXPECT_EQ(describe(period), "2023 Q1");
}

TEST(Period, YearHoldingTheLatestSaleIsPartial) {
  const test::Tables t = q1_sales();
  EXPECT_EQ(describe(parse_period("2023", t.sales)), "2023 (partial: data up to 2023-03-20)");
}

TEST(Period, EarlierQuarterIsNotPartial) {
  const test::Tables t =
      make_tables({{"P1", "C1", 1000, 1, "2022-11-30"}, {"P1", "C1", 1000, 1, "2023-01-10"}});
  EXPECT_FALSE(parse_period("2022Q4", t.sales).is_partial());
}

TEST(Period, PeriodWithoutSalesIsAnInputError) {
  const test::Tables t = q1_sales();
  EXPECT_TRUE(throws_error([&] { parse_period("2024Q1", t.sales); }, ErrorKind::Input,
                           "no loaded sales in 2024 Q1 (2024-01-01..2024-03-31); the loaded sales "
                           "run from 2023-01-15 to 2023-03-20"));
  EXPECT_TRUE(throws_error([&] { parse_period("2022", t.sales); }, ErrorKind::Input,
                           "no loaded sales in 2022 (2022-01-01..2022-12-31); the loaded sales run "
                           "from 2023-01-15 to 2023-03-20"));
  EXPECT_TRUE(throws_error([&] { parse_period("2023-03-21..2023-04-30", t.sales); },
                           ErrorKind::Input,
                           "no loaded sales in 2023-03-21..2023-04-30; the loaded sales run from "
                           "2023-01-15 to 2023-03-20"));
}

TEST(Period, EmptyTableHasNoPeriod) {
  const test::Tables t = make_tables({});
  EXPECT_TRUE(throws_error([&] { parse_period("latest-quarter", t.sales); }, ErrorKind::Input,
                           "there are no loaded sales to analyze"));
  EXPECT_TRUE(throws_error([&] { parse_period("all", t.sales); }, ErrorKind::Input,
                           "there are no loaded sales to analyze"));
  EXPECT_TRUE(throws_error([&] { parse_period("2023Q1", t.sales); }, ErrorKind::Input,
                           "no loaded sales in 2023 Q1 (2023-01-01..2023-03-31): there are no "
                           "loaded sales at all"));
}

TEST(Period, BadTextIsAUsageErrorEvenWithoutData) {
  const test::Tables t = make_tables({});
  EXPECT_TRUE(
      throws_error([&] { parse_period("2023Q9", t.sales); }, ErrorKind::Usage,
                   usage_message("bad period \"2023Q9\": the quarter must be Q1, Q2, Q3 or Q4")));
}

TEST(Period, BuildersRefuseImpossiblePeriods) {
  EXPECT_TRUE(throws_error([] { quarter_period(2023, 5); }, ErrorKind::Usage,
                           "there is no quarter 5 of year 2023"));
  EXPECT_TRUE(throws_error([] { year_period(0); }, ErrorKind::Usage,
                           "there is no year 0 (years are 1 to 9999)"));
  EXPECT_TRUE(throws_error([] { range_period(day("2023-02-01"), day("2023-01-31")); },
                           ErrorKind::Usage,
                           "the range 2023-02-01..2023-01-31 ends before it starts"));
}

TEST(PreviousPeriod, FirstQuarterFollowsTheFourthOfTheYearBefore) {
  const std::optional<Period> previous = previous_period(quarter_period(2023, 1));
  ASSERT_TRUE(previous);
  EXPECT_EQ(previous->kind, PeriodKind::Quarter);
  EXPECT_EQ(previous->label, "2022 Q4");
  EXPECT_EQ(previous->first, day("2022-10-01"));
  EXPECT_EQ(previous->last, day("2022-12-31"));
  EXPECT_FALSE(previous->is_partial());
}

TEST(PreviousPeriod, LaterQuarterFollowsTheOneBeforeInTheSameYear) {
  const std::optional<Period> previous = previous_period(quarter_period(2023, 3));
  ASSERT_TRUE(previous);
  EXPECT_EQ(previous->label, "2023 Q2");
  EXPECT_EQ(previous->first, day("2023-04-01"));
  EXPECT_EQ(previous->last, day("2023-06-30"));
}

TEST(PreviousPeriod, PartialLatestQuarterComparesWithTheWholeQuarterBefore) {
  const test::Tables t = q1_sales();
  const std::optional<Period> previous = previous_period(parse_period("latest-quarter", t.sales));
  ASSERT_TRUE(previous);
  EXPECT_EQ(previous->label, "2022 Q4");
  EXPECT_EQ(previous->last, day("2022-12-31"));
}

TEST(PreviousPeriod, YearFollowsTheYearBefore) {
  const std::optional<Period> previous = previous_period(year_period(2023));
  ASSERT_TRUE(previous);
  EXPECT_EQ(previous->label, "2022");
  EXPECT_EQ(previous->first, day("2022-01-01"));
  EXPECT_EQ(previous->last, day("2022-12-31"));
}

TEST(PreviousPeriod, RangeFollowsAsManyDaysImmediatelyBefore) {
  // 46 days: 1 January to 15 February.
  const std::optional<Period> previous =
      previous_period(range_period(day("2023-01-01"), day("2023-02-15")));
  ASSERT_TRUE(previous);
  EXPECT_EQ(previous->kind, PeriodKind::Range);
  EXPECT_EQ(previous->first, day("2022-11-16"));
  EXPECT_EQ(previous->last, day("2022-12-31"));
  EXPECT_EQ(previous->days(), 46);
  EXPECT_EQ(previous->label, "2022-11-16..2022-12-31");
}

TEST(PreviousPeriod, RangeCountsLeapDays) {
  const std::optional<Period> previous =
      previous_period(range_period(day("2024-03-01"), day("2024-03-31")));
  ASSERT_TRUE(previous);
  EXPECT_EQ(previous->first, day("2024-01-30"));
  EXPECT_EQ(previous->last, day("2024-02-29"));
}

TEST(PreviousPeriod, OneDayRangeFollowsTheDayBefore) {
  const std::optional<Period> previous =
      previous_period(range_period(day("2023-03-01"), day("2023-03-01")));
  ASSERT_TRUE(previous);
  EXPECT_EQ(previous->first, day("2023-02-28"));
  EXPECT_EQ(previous->last, day("2023-02-28"));
}

TEST(PreviousPeriod, AllTimeHasNone) {
  const test::Tables t = q1_sales();
  EXPECT_FALSE(previous_period(parse_period("all", t.sales)));
}

TEST(PreviousPeriod, NoneBeforeYearOne) {
  EXPECT_FALSE(previous_period(quarter_period(1, 1)));
  EXPECT_FALSE(previous_period(year_period(1)));
  EXPECT_FALSE(previous_period(range_period(day("0001-01-01"), day("0001-01-10"))));
  ASSERT_TRUE(previous_period(quarter_period(1, 2)));
  EXPECT_EQ(previous_period(range_period(day("0001-01-11"), day("0001-01-20")))->first,
            day("0001-01-01"));
}

}  // namespace
}  // namespace salespipe::analyze
