#include "clean/dates.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "clean/date_column.hpp"
#include "testing/testing.hpp"

namespace salespipe::clean {
namespace {

std::string iso(Date date) { return format_date(date); }

// ---------------------------------------------------------------------------------------------
// parse_date: shapes

void expect_date(std::string_view text, std::string_view expected, char separator,
                 DateEvidence evidence, bool year_first) {
  SCOPED_TRACE(::testing::Message() << "date \"" << text << "\"");
  const ParsedDate parsed = parse_date(text);
  ASSERT_EQ(status_name(parsed.status), "ok") << parsed.problem;
  EXPECT_FALSE(parsed.ambiguous);
  EXPECT_EQ(iso(parsed.date), expected);
  EXPECT_EQ(iso(parsed.day_first), expected);
  EXPECT_EQ(iso(parsed.month_first), expected);
  EXPECT_EQ(parsed.separator, separator);
  EXPECT_EQ(parsed.evidence, evidence);
  EXPECT_EQ(parsed.year_first, year_first);
  EXPECT_EQ(parsed.problem, "");
}

void expect_ambiguous(std::string_view text, std::string_view day_first,
                      std::string_view month_first, char separator) {
  SCOPED_TRACE(::testing::Message() << "date \"" << text << "\"");
  const ParsedDate parsed = parse_date(text);
  ASSERT_EQ(status_name(parsed.status), "ok") << parsed.problem;
  EXPECT_TRUE(parsed.ambiguous);
  EXPECT_EQ(iso(parsed.day_first), day_first);
  EXPECT_EQ(iso(parsed.month_first), month_first);
  EXPECT_EQ(parsed.separator, separator);
  EXPECT_EQ(parsed.evidence, DateEvidence::None);
  EXPECT_FALSE(parsed.year_first);
}

void expect_bad_date(std::string_view text, std::string_view problem) {
  SCOPED_TRACE(::testing::Message() << "date \"" << text << "\"");
  const ParsedDate parsed = parse_date(text);
  EXPECT_EQ(status_name(parsed.status), "bad");
  EXPECT_EQ(parsed.problem, problem);
  EXPECT_FALSE(parsed.ambiguous);
  EXPECT_EQ(shape_name(parsed), "");
}

TEST(ParseDate, ReadsYearFirstWithEachSeparator) {
  expect_date("2023-01-15", "2023-01-15", '-', DateEvidence::None, true);
  expect_date("2023/01/15", "2023-01-15", '/', DateEvidence::None, true);
  expect_date("2023.01.15", "2023-01-15", '.', DateEvidence::None, true);
}

TEST(ParseDate, YearFirstIsAlwaysYearMonthDay) {
  expect_date("2023-02-01", "2023-02-01", '-', DateEvidence::None, true);
  expect_date("2023/12/11", "2023-12-11", '/', DateEvidence::None, true);
}

TEST(ParseDate, ReadsCompactYearMonthDay) {
  expect_date("20230115", "2023-01-15", 0, DateEvidence::None, true);
  expect_date("20241231", "2024-12-31", 0, DateEvidence::None, true);
  expect_date("20240229", "2024-02-29", 0, DateEvidence::None, true);
}

TEST(ParseDate, DayAbove12InFirstPlaceProvesDayFirst) {
  expect_date("15-01-2023", "2023-01-15", '-', DateEvidence::DayFirst, false);
  expect_date("15/01/2023", "2023-01-15", '/', DateEvidence::DayFirst, false);
  expect_date("15.01.2023", "2023-01-15", '.', DateEvidence::DayFirst, false);
  expect_date("31-12-2023", "2023-12-31", '-', DateEvidence::DayFirst, false);
  expect_date("13.12.2023", "2023-12-13", '.', DateEvidence::DayFirst, false);
}

TEST(ParseDate, DayAbove12InSecondPlaceProvesMonthFirst) {
  expect_date("01/20/2023", "2023-01-20", '/', DateEvidence::MonthFirst, false);
  expect_date("01-20-2023", "2023-01-20", '-', DateEvidence::MonthFirst, false);
  expect_date("12.31.2023", "2023-12-31", '.', DateEvidence::MonthFirst, false);
}

TEST(ParseDate, DayEqualToMonthIsUnambiguousWithoutEvidence) {
  expect_date("05-05-2023", "2023-05-05", '-', DateEvidence::None, false);
  expect_date("12/12/2023", "2023-12-12", '/', DateEvidence::None, false);
  expect_date("1.1.2023", "2023-01-01", '.', DateEvidence::None, false);
}

TEST(ParseDate, BothPartsUpTo12AreAmbiguousWithTwoReadings) {
  expect_ambiguous("01-09-2023", "2023-09-01", "2023-01-09", '-');
  expect_ambiguous("01/12/2023", "2023-12-01", "2023-01-12", '/');
  expect_ambiguous("03.04.2023", "2023-04-03", "2023-03-04", '.');
  expect_ambiguous("12-11-2023", "2023-11-12", "2023-12-11", '-');
}

TEST(ParseDate, AcceptsMissingZeroPadding) {
  expect_date("2023-1-9", "2023-01-09", '-', DateEvidence::None, true);
  expect_date("2023/12/5", "2023-12-05", '/', DateEvidence::None, true);
  expect_date("15-1-2023", "2023-01-15", '-', DateEvidence::DayFirst, false);
  expect_date("1/20/2023", "2023-01-20", '/', DateEvidence::MonthFirst, false);
  expect_ambiguous("1-9-2023", "2023-09-01", "2023-01-09", '-');
  expect_ambiguous("9/1/2023", "2023-01-09", "2023-09-01", '/');
  expect_ambiguous("01-9-2023", "2023-09-01", "2023-01-09", '-');
}

TEST(ParseDate, IgnoresATimePart) {
  expect_date("2023-01-15 10:30", "2023-01-15", '-', DateEvidence::None, true);
  expect_date("2023-01-15T10:30:00Z", "2023-01-15", '-', DateEvidence::None, true);
  expect_date("01/20/2023 08:00:00", "2023-01-20", '/', DateEvidence::MonthFirst, false);
  expect_date("15-01-2023 9:05", "2023-01-15", '-', DateEvidence::DayFirst, false);
  expect_date("2023-01-15T10:30:00.123", "2023-01-15", '-', DateEvidence::None, true);
  expect_date("2023-01-15T10:30:00.123456789Z", "2023-01-15", '-', DateEvidence::None, true);
  expect_date("2023-01-15   10:30", "2023-01-15", '-', DateEvidence::None, true);
  expect_date("2023-06-30 23:59:60", "2023-06-30", '-', DateEvidence::None, true);
  expect_date("20230115 10:30", "2023-01-15", 0, DateEvidence::None, true);
  expect_date("20230115T10:30", "2023-01-15", 0, DateEvidence::None, true);
  expect_ambiguous("01-09-2023 00:00", "2023-09-01", "2023-01-09", '-');
  EXPECT_TRUE(parse_date("2023-01-15 10:30").has_time);
  EXPECT_FALSE(parse_date("2023-01-15").has_time);
}

TEST(ParseDate, AcceptsAmPmTimes) {
  expect_date("01/20/2023 8:00 AM", "2023-01-20", '/', DateEvidence::MonthFirst, false);
  expect_date("01/20/2023 8:00PM", "2023-01-20", '/', DateEvidence::MonthFirst, false);
  expect_date("01/20/2023 12:59:59 pm", "2023-01-20", '/', DateEvidence::MonthFirst, false);
}

TEST(ParseDate, KeepsTheWrittenDayWhateverTheZone) {
  // The time is ignored, zone included: 23:30 at -05:00 is still the 15th as written.
  expect_date("2023-01-15T23:30:00-05:00", "2023-01-15", '-', DateEvidence::None, true);
  expect_date("2023-01-15T00:30:00+01:00", "2023-01-15", '-', DateEvidence::None, true);
  expect_date("2023-01-15T00:30+0100", "2023-01-15", '-', DateEvidence::None, true);
  expect_date("2023-01-15T00:30+01", "2023-01-15", '-', DateEvidence::None, true);
}

TEST(ParseDate, IgnoresSpacesAround) {
  expect_date("  2023-01-15  ", "2023-01-15", '-', DateEvidence::None, true);
  expect_date("\t15-01-2023\t", "2023-01-15", '-', DateEvidence::DayFirst, false);
}

TEST(ParseDate, AcceptsLeapDaysOnlyInLeapYears) {
  expect_date("29-02-2024", "2024-02-29", '-', DateEvidence::DayFirst, false);
  expect_date("2000-02-29", "2000-02-29", '-', DateEvidence::None, true);
  expect_bad_date("29-02-2023", "impossible date");
  expect_bad_date("1900-02-29", "impossible date");
}

TEST(ParseDate, EmptyOrBlankIsMissing) {
  for (const std::string_view text : {"", "   ", "\t"}) {
    const ParsedDate parsed = parse_date(text);
    EXPECT_EQ(parsed.status, CellStatus::Missing) << '"' << text << '"';
    EXPECT_EQ(parsed.problem, "empty");
    EXPECT_EQ(shape_name(parsed), "");
  }
}

TEST(ParseDate, RejectsImpossibleDates) {
  expect_bad_date("2023-02-30", "impossible date");
  expect_bad_date("2023-13-01", "impossible date");
  expect_bad_date("2023-00-10", "impossible date");
  expect_bad_date("2023-01-00", "impossible date");
  expect_bad_date("2023-04-31", "impossible date");
  expect_bad_date("0000-01-01", "impossible date");
  expect_bad_date("20231301", "impossible date");
  expect_bad_date("20230230", "impossible date");
  expect_bad_date("31-04-2023", "impossible date");
  expect_bad_date("04-31-2023", "impossible date");
  expect_bad_date("32-01-2023", "impossible date");
  expect_bad_date("00-05-2023", "impossible date");
  expect_bad_date("05-00-2023", "impossible date");
  expect_bad_date("00-00-2023", "impossible date");
  expect_bad_date("00-13-2023", "impossible date");
  expect_bad_date("01-01-0000", "impossible date");
}

TEST(ParseDate, RejectsBothLeadingPartsAbove12) {
  expect_bad_date("13-13-2023", "day and month both above 12");
  expect_bad_date("20/31/2023", "day and month both above 12");
}

TEST(ParseDate, RejectsTwoDigitYears) {
  expect_bad_date("23-01-15", "two-digit year");
  expect_bad_date("01/15/23", "two-digit year");
  expect_bad_date("15.01.23", "two-digit year");
}

TEST(ParseDate, RejectsMixedSeparators) {
  expect_bad_date("2023-01/15", "mixed separators");
  expect_bad_date("15-01/2023", "mixed separators");
  expect_bad_date("15.01-2023", "mixed separators");
}

TEST(ParseDate, RejectsMonthNamesAndOtherShapes) {
  expect_bad_date("15-Jan-2023", "not a date");
  expect_bad_date("Jan 15, 2023", "not a date");
  expect_bad_date("January 15 2023", "not a date");
  expect_bad_date("2023 01 15", "not a date");
  expect_bad_date("2023_01_15", "not a date");
  expect_bad_date("2023--01-15", "not a date");
  expect_bad_date("-2023-01-15", "not a date");
  expect_bad_date("+2023-01-15", "not a date");
  expect_bad_date("2023-01", "not a date");
  expect_bad_date("2023-01-", "not a date");
  expect_bad_date("2023", "not a date");
  expect_bad_date("1/2023", "not a date");
  expect_bad_date("2023011", "not a date");
  expect_bad_date("202301150", "not a date");
  expect_bad_date("2023-001-15", "not a date");
  expect_bad_date("001-01-2023", "not a date");
  expect_bad_date("15-01-02023", "not a date");
  expect_bad_date("15-01-202", "not a date");
  expect_bad_date("20-2023-01", "not a date");
  expect_bad_date("2023-01-15-", "not a date");
  expect_bad_date("2023-01-15x", "not a date");
  expect_bad_date("15/01/2023T10:30", "not a date");
  expect_bad_date("today", "not a date");
  expect_bad_date("2023-01-15Z", "not a date");
}

TEST(ParseDate, RejectsATimePartItCannotRead) {
  expect_bad_date("2023-01-15 garbage", "unrecognised time part");
  expect_bad_date("2023-01-15 10", "unrecognised time part");
  expect_bad_date("2023-01-15 10:5", "unrecognised time part");
  expect_bad_date("2023-01-15 10:60", "unrecognised time part");
  expect_bad_date("2023-01-15 24:00", "unrecognised time part");
  expect_bad_date("2023-01-15 100:00", "unrecognised time part");
  expect_bad_date("2023-01-15 10:30:61", "unrecognised time part");
  expect_bad_date("2023-01-15 10:30:0", "unrecognised time part");
  expect_bad_date("2023-01-15 10:30:00.", "unrecognised time part");
  expect_bad_date("2023-01-15 10:30:00.1234567890", "unrecognised time part");
  expect_bad_date("2023-01-15T", "unrecognised time part");
  expect_bad_date("2023-01-15 13:00 PM", "unrecognised time part");
  expect_bad_date("2023-01-15 00:30 AM", "unrecognised time part");
  expect_bad_date("2023-01-15 10:30 AMX", "unrecognised time part");
  expect_bad_date("2023-01-15 10:30 +01:00", "unrecognised time part");
  expect_bad_date("2023-01-15T10:30Z1", "unrecognised time part");
  expect_bad_date("2023-01-15T10:30+1", "unrecognised time part");
  expect_bad_date("2023-01-15T10:30+24:00", "unrecognised time part");
  expect_bad_date("2023-01-15T10:30+01:60", "unrecognised time part");
  expect_bad_date("2023-01-15T10:30+01:0", "unrecognised time part");
  expect_bad_date("2023-01-15T10:30+0160", "unrecognised time part");
  expect_bad_date("2023-01-15T10:30+01-00", "unrecognised time part");
  expect_bad_date("2023-01-15 10:30 2023-01-16", "unrecognised time part");
}

TEST(ParseDate, ChecksTheDateEvenWithAValidTime) {
  expect_bad_date("2023-02-30 10:30", "impossible date");
  expect_bad_date("13/13/2023 08:00", "day and month both above 12");
}

TEST(ParseDateOrder, ReadsTheThreeSpellings) {
  EXPECT_EQ(parse_date_order("auto"), DateOrder::Auto);
  EXPECT_EQ(parse_date_order("dmy"), DateOrder::DayFirst);
  EXPECT_EQ(parse_date_order("mdy"), DateOrder::MonthFirst);
  EXPECT_FALSE(parse_date_order("DMY"));
  EXPECT_FALSE(parse_date_order("ymd"));
  EXPECT_FALSE(parse_date_order(""));
}

// ---------------------------------------------------------------------------------------------
// Shape names

TEST(ShapeName, NamesEachLayoutWithItsSeparator) {
  EXPECT_EQ(shape_name(parse_date("2023-01-15")), "yyyy-mm-dd");
  EXPECT_EQ(shape_name(parse_date("2023/1/5")), "yyyy/mm/dd");
  EXPECT_EQ(shape_name(parse_date("2023.01.15")), "yyyy.mm.dd");
  EXPECT_EQ(shape_name(parse_date("20230115")), "yyyymmdd");
  EXPECT_EQ(shape_name(parse_date("15-01-2023")), "dd-mm-yyyy");
  EXPECT_EQ(shape_name(parse_date("15/1/2023")), "dd/mm/yyyy");
  EXPECT_EQ(shape_name(parse_date("15.01.2023")), "dd.mm.yyyy");
  EXPECT_EQ(shape_name(parse_date("01-20-2023")), "mm-dd-yyyy");
  EXPECT_EQ(shape_name(parse_date("01/20/2023 08:00:00")), "mm/dd/yyyy");
  EXPECT_EQ(shape_name(parse_date("1.20.2023")), "mm.dd.yyyy");
  EXPECT_EQ(shape_name(parse_date("01-09-2023")), "nn-nn-yyyy");
  EXPECT_EQ(shape_name(parse_date("01/09/2023")), "nn/nn/yyyy");
  EXPECT_EQ(shape_name(parse_date("01.09.2023")), "nn.nn.yyyy");
}

TEST(ShapeName, DayEqualToMonthHasNoKnownOrder) {
  EXPECT_EQ(shape_name(parse_date("05-05-2023")), "nn-nn-yyyy");
}

TEST(DateShapeCounts, CountsShapesMissingAndBad) {
  DateShapeCounts counts;
  for (const std::string_view text :
       {"15-01-2023", "16-01-2023", "01/20/2023", "01-09-2023", "2023-01-15", "", "  ",
        "2023-02-30", "15-Jan-2023", "20230115", "17-01-2023"}) {
    counts.add(parse_date(text));
  }
  EXPECT_EQ(counts.count("dd-mm-yyyy"), 3u);
  EXPECT_EQ(counts.count("mm/dd/yyyy"), 1u);
  EXPECT_EQ(counts.count("nn-nn-yyyy"), 1u);
  EXPECT_EQ(counts.count("yyyy-mm-dd"), 1u);
  EXPECT_EQ(counts.count("yyyymmdd"), 1u);
  EXPECT_EQ(counts.count("dd/mm/yyyy"), 0u);
  EXPECT_EQ(counts.count("not a shape"), 0u);
  EXPECT_EQ(counts.missing(), 2u);
  EXPECT_EQ(counts.bad(), 2u);
  using Entry = std::pair<std::string_view, std::uint64_t>;
  const std::vector<Entry> expected = {
      {"dd-mm-yyyy", 3}, {"mm/dd/yyyy", 1}, {"nn-nn-yyyy", 1}, {"yyyy-mm-dd", 1}, {"yyyymmdd", 1}};
  EXPECT_EQ(counts.shapes(), expected);
}

TEST(DateShapeCounts, StartsEmpty) {
  const DateShapeCounts counts;
  EXPECT_TRUE(counts.shapes().empty());
  EXPECT_EQ(counts.missing(), 0u);
  EXPECT_EQ(counts.bad(), 0u);
}

// ---------------------------------------------------------------------------------------------
// DateResolver

/// A resolver that has observed every value of the column.
DateResolver observed(std::initializer_list<std::string_view> column,
                      DateOrder order = DateOrder::Auto) {
  DateResolver resolver(order);
  for (const std::string_view text : column) {
    resolver.observe(parse_date(text));
  }
  return resolver;
}

struct Outcome {
  std::string date;
  ResolutionStep step;
};

Outcome resolve(const DateResolver& resolver, std::string_view text) {
  const ParsedDate parsed = parse_date(text);
  EXPECT_EQ(parsed.status, CellStatus::Ok) << text;
  const DateResolver::Resolved resolved = resolver.resolve(parsed);
  return {iso(resolved.date), resolved.step};
}

void expect_resolved(const DateResolver& resolver, std::string_view text, std::string_view expected,
                     ResolutionStep step) {
  const Outcome outcome = resolve(resolver, text);
  EXPECT_EQ(outcome.date, expected) << text;
  EXPECT_EQ(step_name(outcome.step), step_name(step)) << text;
}

TEST(DateResolver, LeavesUnambiguousValuesAlone) {
  const DateResolver resolver = observed({"15-01-2023", "01/20/2023"});
  expect_resolved(resolver, "15-01-2023", "2023-01-15", ResolutionStep::Unambiguous);
  expect_resolved(resolver, "01/20/2023", "2023-01-20", ResolutionStep::Unambiguous);
  expect_resolved(resolver, "2023-12-01", "2023-12-01", ResolutionStep::Unambiguous);
  expect_resolved(resolver, "05-05-2023", "2023-05-05", ResolutionStep::Unambiguous);
  EXPECT_EQ(resolver.resolve(parse_date("15-01-2023")).order, DateOrder::Auto);
}

TEST(DateResolver, ForcedOrderDoesNotChangeUnambiguousValues) {
  const DateResolver resolver = observed({"01/20/2023"}, DateOrder::DayFirst);
  expect_resolved(resolver, "01/20/2023", "2023-01-20", ResolutionStep::Unambiguous);
}

TEST(DateResolver, ForcedDayFirstWinsOverTheRange) {
  // Only the month-first reading of 01-09-2023 (2023-01-09) is inside the range, so auto takes
  // it by step 2; a forced order comes first.
  const DateResolver automatic = observed({"2023-01-01", "15-01-2023", "31-01-2023"});
  expect_resolved(automatic, "01-09-2023", "2023-01-09", ResolutionStep::Range);
  const DateResolver resolver =
      observed({"2023-01-01", "15-01-2023", "31-01-2023"}, DateOrder::DayFirst);
  expect_resolved(resolver, "01-09-2023", "2023-09-01", ResolutionStep::Forced);
  EXPECT_EQ(resolver.resolve(parse_date("01-09-2023")).order, DateOrder::DayFirst);
}

TEST(DateResolver, ForcedMonthFirstWinsOverSeparatorEvidence) {
  // Both readings inside the range and '-' evidence is day-first, so auto goes by step 3a; the
  // forced order decides instead.
  const DateResolver automatic = observed({"13-01-2023", "14-01-2023", "28-12-2023"});
  expect_resolved(automatic, "03-04-2023", "2023-04-03", ResolutionStep::SeparatorMajority);
  const DateResolver resolver =
      observed({"13-01-2023", "14-01-2023", "28-12-2023"}, DateOrder::MonthFirst);
  expect_resolved(resolver, "03-04-2023", "2023-03-04", ResolutionStep::Forced);
  EXPECT_EQ(resolver.resolve(parse_date("03-04-2023")).order, DateOrder::MonthFirst);
}

TEST(DateResolver, RangePicksTheOnlyReadingInside) {
  const DateResolver resolver = observed({"2023-01-01", "31-03-2023", "01-09-2023"});
  expect_resolved(resolver, "01-09-2023", "2023-01-09", ResolutionStep::Range);
  EXPECT_EQ(resolver.resolve(parse_date("01-09-2023")).order, DateOrder::MonthFirst);
  expect_resolved(resolver, "09-01-2023", "2023-01-09", ResolutionStep::Range);
  EXPECT_EQ(resolver.resolve(parse_date("09-01-2023")).order, DateOrder::DayFirst);
}

TEST(DateResolver, RangeWinsOverSeparatorMajority) {
  // '-' values are day-first 3 to 0 (and so is the column), but only the month-first reading
  // of 01-12-2023 falls inside 2023-01-01..2023-01-25: step 2 decides before separator
  // evidence is looked at.
  const DateResolver resolver = observed({"13-01-2023", "20-01-2023", "25-01-2023", "01/01/2023"});
  EXPECT_EQ(resolver.evidence('-'), (EvidenceCounts{3, 0}));
  expect_resolved(resolver, "01-12-2023", "2023-01-12", ResolutionStep::Range);
  EXPECT_EQ(resolver.resolve(parse_date("01-12-2023")).order, DateOrder::MonthFirst);
}

TEST(DateResolver, RangeCountsUnambiguousDatesOfEverySeparator) {
  // The range 2023-01-14..2023-03-10 comes from '/' and year-first values; the '.' value is
  // resolved day-first by it, although the column's only evidence is month-first.
  const DateResolver resolver = observed({"01/14/2023", "2023-03-10"});
  expect_resolved(resolver, "10.02.2023", "2023-02-10", ResolutionStep::Range);
}

TEST(DateResolver, RangeBoundsAreInclusive) {
  const DateResolver resolver = observed({"2023-01-09", "2023-01-31"});
  expect_resolved(resolver, "01-09-2023", "2023-01-09", ResolutionStep::Range);
  const DateResolver upper = observed({"2023-08-01", "2023-09-01"});
  expect_resolved(upper, "01-09-2023", "2023-09-01", ResolutionStep::Range);
}

TEST(DateResolver, DayEqualToMonthValuesFeedTheRange) {
  const DateResolver resolver = observed({"01-01-2023", "02/02/2023"});
  EXPECT_EQ(iso(*resolver.min_unambiguous()), "2023-01-01");
  EXPECT_EQ(iso(*resolver.max_unambiguous()), "2023-02-02");
  EXPECT_EQ(resolver.evidence(), (EvidenceCounts{0, 0}));
  expect_resolved(resolver, "01-10-2023", "2023-01-10", ResolutionStep::Range);
}

TEST(DateResolver, BothReadingsInsideTheRangeFallThroughToEvidence) {
  const DateResolver resolver = observed({"2023-01-01", "2023-12-31", "13/01/2023"});
  // 2023-04-03 and 2023-03-04 are both inside: no step 2, '/' evidence is day-first.
  expect_resolved(resolver, "03/04/2023", "2023-04-03", ResolutionStep::SeparatorMajority);
}

TEST(DateResolver, NeitherReadingInsideTheRangeFallsThroughToEvidence) {
  const DateResolver resolver = observed({"2023-01-01", "2023-01-31", "13/01/2023"});
  // 2023-06-05 and 2023-05-06 are both outside: no step 2.
  expect_resolved(resolver, "05/06/2023", "2023-06-05", ResolutionStep::SeparatorMajority);
}

TEST(DateResolver, AmbiguousValuesDoNotMakeARange) {
  const DateResolver resolver = observed({"01-09-2023", "02-03-2023", "", "2023-02-30"});
  EXPECT_FALSE(resolver.min_unambiguous());
  EXPECT_FALSE(resolver.max_unambiguous());
  EXPECT_EQ(resolver.ambiguous_count(), 2u);
  EXPECT_EQ(resolver.unambiguous_count(), 0u);
  expect_resolved(resolver, "01-09-2023", "2023-01-09", ResolutionStep::DefaultMonthFirst);
}

TEST(DateResolver, SeparatorMajorityComesBeforeColumnMajority) {
  // Column: day-first 2 ('-'), month-first 3 ('/'). The range is wide enough that both readings
  // of each ambiguous value fall inside.
  const DateResolver resolver =
      observed({"13-01-2023", "14-12-2023", "01/20/2023", "02/20/2023", "03/20/2023"});
  EXPECT_EQ(resolver.evidence(), (EvidenceCounts{2, 3}));
  expect_resolved(resolver, "05-06-2023", "2023-06-05", ResolutionStep::SeparatorMajority);
  expect_resolved(resolver, "05/06/2023", "2023-05-06", ResolutionStep::SeparatorMajority);
  EXPECT_EQ(resolver.resolve(parse_date("05-06-2023")).order, DateOrder::DayFirst);
}

TEST(DateResolver, ColumnMajorityDecidesWhenTheSeparatorHasNoEvidence) {
  const DateResolver month_first =
      observed({"13-01-2023", "14-12-2023", "01/20/2023", "02/20/2023", "03/20/2023"});
  expect_resolved(month_first, "05.06.2023", "2023-05-06", ResolutionStep::ColumnMajority);
  const DateResolver day_first = observed({"13-01-2023", "14-12-2023", "15-06-2023", "01/20/2023"});
  expect_resolved(day_first, "05.06.2023", "2023-06-05", ResolutionStep::ColumnMajority);
}

TEST(DateResolver, ColumnMajorityDecidesASeparatorTie) {
  // '-' is tied 1 to 1; the column is day-first 3 to 1.
  const DateResolver resolver = observed({"13-01-2023", "12-20-2023", "14/01/2023", "15/06/2023"});
  EXPECT_EQ(resolver.evidence('-'), (EvidenceCounts{1, 1}));
  expect_resolved(resolver, "05-06-2023", "2023-06-05", ResolutionStep::ColumnMajority);
}

TEST(DateResolver, ColumnTieFallsBackToMonthFirst) {
  const DateResolver resolver = observed({"13-01-2023", "12/20/2023", "2023-01-01", "2023-12-31"});
  EXPECT_EQ(resolver.evidence(), (EvidenceCounts{1, 1}));
  expect_resolved(resolver, "05.06.2023", "2023-05-06", ResolutionStep::DefaultMonthFirst);
  expect_resolved(resolver, "06.05.2023", "2023-06-05", ResolutionStep::DefaultMonthFirst);
}

TEST(DateResolver, NoEvidenceAtAllFallsBackToMonthFirst) {
  const DateResolver resolver;
  expect_resolved(resolver, "01-09-2023", "2023-01-09", ResolutionStep::DefaultMonthFirst);
  EXPECT_EQ(resolver.resolve(parse_date("01-09-2023")).order, DateOrder::MonthFirst);
}

TEST(DateResolver, IgnoresMissingAndBadValues) {
  const DateResolver resolver = observed({"", "2023-02-30", "13-13-2023", "today"});
  EXPECT_EQ(resolver.unambiguous_count(), 0u);
  EXPECT_EQ(resolver.ambiguous_count(), 0u);
  EXPECT_FALSE(resolver.min_unambiguous());
  EXPECT_EQ(resolver.evidence(), (EvidenceCounts{0, 0}));
}

TEST(DateResolver, ReportsRangeAndEvidenceCounts) {
  const DateResolver resolver = observed({"15-01-2023", "16-01-2023", "01/20/2023", "17.03.2023",
                                          "2022-12-31", "20230401", "01-09-2023", "05-05-2023"});
  EXPECT_EQ(iso(*resolver.min_unambiguous()), "2022-12-31");
  EXPECT_EQ(iso(*resolver.max_unambiguous()), "2023-05-05");  // day == month counts
  EXPECT_EQ(resolver.evidence('-'), (EvidenceCounts{2, 0}));
  EXPECT_EQ(resolver.evidence('/'), (EvidenceCounts{0, 1}));
  EXPECT_EQ(resolver.evidence('.'), (EvidenceCounts{1, 0}));
  EXPECT_EQ(resolver.evidence(0), (EvidenceCounts{0, 0}));
  EXPECT_EQ(resolver.evidence(), (EvidenceCounts{3, 1}));
  EXPECT_EQ(resolver.unambiguous_count(), 7u);
  EXPECT_EQ(resolver.ambiguous_count(), 1u);
  EXPECT_EQ(resolver.order(), DateOrder::Auto);
}

TEST(DateResolver, ResultDoesNotDependOnRowOrder) {
  const std::array<std::string_view, 6> column = {"13-01-2023", "02/14/2023", "03-04-2023",
                                                  "2023-03-01", "01-09-2023", "10/11/2023"};
  DateResolver forward;
  DateResolver backward;
  for (std::size_t i = 0; i < column.size(); ++i) {
    forward.observe(parse_date(column[i]));
    backward.observe(parse_date(column[column.size() - 1 - i]));
  }
  for (const std::string_view text : column) {
    const Outcome a = resolve(forward, text);
    const Outcome b = resolve(backward, text);
    EXPECT_EQ(a.date, b.date) << text;
    EXPECT_EQ(a.step, b.step) << text;
  }
}

TEST(DateResolver, MergedChunksResolveLikeOneColumn) {
  const std::array<std::string_view, 8> column = {"13-01-2023", "20-01-2023", "01/20/2023",
                                                  "2023-03-01", "01-09-2023", "02-03-2023",
                                                  "",           "03.04.2023"};
  DateResolver whole;
  DateResolver first;
  DateResolver second;
  for (std::size_t i = 0; i < column.size(); ++i) {
    whole.observe(parse_date(column[i]));
    (i < 4 ? first : second).observe(parse_date(column[i]));
  }
  DateResolver empty;
  empty.merge(first);
  empty.merge(second);
  EXPECT_EQ(empty.min_unambiguous(), whole.min_unambiguous());
  EXPECT_EQ(empty.max_unambiguous(), whole.max_unambiguous());
  EXPECT_EQ(empty.evidence('-'), whole.evidence('-'));
  EXPECT_EQ(empty.evidence('/'), whole.evidence('/'));
  EXPECT_EQ(empty.unambiguous_count(), whole.unambiguous_count());
  EXPECT_EQ(empty.ambiguous_count(), whole.ambiguous_count());
  for (const std::string_view text : column) {
    if (text.empty()) {
      continue;
    }
    const Outcome a = resolve(whole, text);
    const Outcome b = resolve(empty, text);
    EXPECT_EQ(a.date, b.date) << text;
    EXPECT_EQ(a.step, b.step) << text;
  }
  // Merging into a resolver with its own range keeps the wider bounds.
  DateResolver narrow = observed({"2023-02-01"});
  narrow.merge(observed({"2022-01-01", "2024-01-01"}));
  EXPECT_EQ(iso(*narrow.min_unambiguous()), "2022-01-01");
  EXPECT_EQ(iso(*narrow.max_unambiguous()), "2024-01-01");
}

TEST(ResolutionStep, HasStableNames) {
  EXPECT_EQ(step_name(ResolutionStep::Unambiguous), "unambiguous");
  EXPECT_EQ(step_name(ResolutionStep::Forced), "forced");
  EXPECT_EQ(step_name(ResolutionStep::Range), "range");
  EXPECT_EQ(step_name(ResolutionStep::SeparatorMajority), "separator_majority");
  EXPECT_EQ(step_name(ResolutionStep::ColumnMajority), "column_majority");
  EXPECT_EQ(step_name(ResolutionStep::DefaultMonthFirst), "default_month_first");
}

// ---------------------------------------------------------------------------------------------
// The lab's seed: sale_date is the 6th column of sale_price.csv (no quotes in that file).

std::vector<std::string> seed_sale_dates() {
  const std::string text =
      salespipe::testing::read_file(salespipe::testing::seed_dir() / "sale_price.csv");
  std::vector<std::string> dates;
  std::size_t begin = 0;
  bool header = true;
  while (begin < text.size()) {
    std::size_t end = text.find('\n', begin);
    if (end == std::string::npos) {
      end = text.size();
    }
    std::string_view line(text.data() + begin, end - begin);
    begin = end + 1;
    if (!line.empty() && line.back() == '\r') {
      line.remove_suffix(1);
    }
    if (line.empty()) {
      continue;
    }
    std::vector<std::string_view> fields;
    std::size_t start = 0;
    for (std::size_t comma = line.find(','); comma != std::string_view::npos;
         comma = line.find(',', start)) {
      fields.push_back(line.substr(start, comma - start));
      start = comma + 1;
    }
    fields.push_back(line.substr(start));
    if (header) {
      EXPECT_EQ(fields.size(), 6u);
      EXPECT_EQ(fields.at(5), "sale_date");
      header = false;
      continue;
    }
    EXPECT_EQ(fields.size(), 6u) << line;
    if (fields.size() == 6) {
      dates.emplace_back(fields[5]);
    }
  }
  return dates;
}

TEST(SeedDates, EveryNonEmptyDateParses) {
  SALESPIPE_REQUIRE_SEED();
  const std::vector<std::string> dates = seed_sale_dates();
  ASSERT_EQ(dates.size(), 1000u);
  for (const std::string& text : dates) {
    const ParsedDate parsed = parse_date(text);
    if (parsed.status != CellStatus::Missing) {
      EXPECT_EQ(parsed.status, CellStatus::Ok) << text << ": " << parsed.problem;
    }
  }
}

TEST(SeedDates, EveryResolvedDateFallsInTheFirstQuarterOf2023) {
  SALESPIPE_REQUIRE_SEED();
  const std::vector<std::string> dates = seed_sale_dates();
  DateResolver resolver;
  for (const std::string& text : dates) {
    resolver.observe(parse_date(text));
  }
  EXPECT_EQ(iso(*resolver.min_unambiguous()), "2023-01-01");
  EXPECT_EQ(iso(*resolver.max_unambiguous()), "2023-03-31");
  // The lab's sample writes day-first with '-' and month-first with '/'.
  EXPECT_EQ(resolver.evidence('-'), (EvidenceCounts{380, 0}));
  EXPECT_EQ(resolver.evidence('/'), (EvidenceCounts{0, 202}));

  std::array<std::size_t, kResolutionStepCount> steps{};
  const Date first = *make_date(2023, 1, 1);
  const Date last = *make_date(2023, 3, 31);
  for (const std::string& text : dates) {
    const ParsedDate parsed = parse_date(text);
    if (parsed.status != CellStatus::Ok) {
      continue;
    }
    const DateResolver::Resolved resolved = resolver.resolve(parsed);
    ++steps[static_cast<std::size_t>(resolved.step)];
    EXPECT_TRUE(first <= resolved.date && resolved.date <= last)
        << text << " -> " << iso(resolved.date) << " by " << step_name(resolved.step);
  }
  // Counted by an independent reading of the rule over the same file.
  EXPECT_EQ(steps[static_cast<std::size_t>(ResolutionStep::Unambiguous)], 616u);
  EXPECT_EQ(steps[static_cast<std::size_t>(ResolutionStep::Range)], 330u);
  EXPECT_EQ(steps[static_cast<std::size_t>(ResolutionStep::SeparatorMajority)], 54u);
  EXPECT_EQ(steps[static_cast<std::size_t>(ResolutionStep::Forced)], 0u);
  EXPECT_EQ(steps[static_cast<std::size_t>(ResolutionStep::ColumnMajority)], 0u);
  EXPECT_EQ(steps[static_cast<std::size_t>(ResolutionStep::DefaultMonthFirst)], 0u);
}

TEST(SeedDates, AmbiguousFirstOfDecemberBecomesTwelfthOfJanuaryByRange) {
  SALESPIPE_REQUIRE_SEED();
  const std::vector<std::string> dates = seed_sale_dates();
  DateResolver resolver;
  std::size_t occurrences = 0;
  for (const std::string& text : dates) {
    resolver.observe(parse_date(text));
    occurrences += text == "01-12-2023" ? 1u : 0u;
  }
  ASSERT_GT(occurrences, 0u);
  // Day-first would give 2023-12-01, outside 2023-01-01..2023-03-31; month-first 2023-01-12 is
  // the only reading inside, so step 2 takes it although '-' evidence is all day-first.
  const DateResolver::Resolved resolved = resolver.resolve(parse_date("01-12-2023"));
  EXPECT_EQ(iso(resolved.date), "2023-01-12");
  EXPECT_EQ(resolved.step, ResolutionStep::Range);
  // With both readings inside the quarter, '-' evidence decides: day-first.
  expect_resolved(resolver, "02-03-2023", "2023-03-02", ResolutionStep::SeparatorMajority);
}

TEST(SeedDates, ProfileNamesTheShapes) {
  SALESPIPE_REQUIRE_SEED();
  DateShapeCounts counts;
  for (const std::string& text : seed_sale_dates()) {
    counts.add(parse_date(text));
  }
  EXPECT_EQ(counts.count("dd-mm-yyyy"), 380u);
  EXPECT_EQ(counts.count("mm/dd/yyyy"), 202u);
  EXPECT_EQ(counts.count("nn-nn-yyyy"), 418u);
  EXPECT_EQ(counts.missing(), 0u);
  EXPECT_EQ(counts.bad(), 0u);
}

}  // namespace
}  // namespace salespipe::clean

namespace salespipe::clean {
namespace {

TEST(PendingDate, KeepsBothReadingsAndTheSeparator) {
  for (const std::string_view text :
       {"01-09-2023", "01/09/2023", "01.09.2023", "15-01-2023", "2023-01-15", "20230115",
        "02/03/0001", "12/11/9999", "07.07.2020"}) {
    const ParsedDate parsed = parse_date(text);
    ASSERT_EQ(parsed.status, CellStatus::Ok) << text;
    const ParsedDate back = PendingDate::of(parsed).parsed();
    EXPECT_EQ(back.ambiguous, parsed.ambiguous) << text;
    EXPECT_EQ(back.separator, parsed.separator) << text;
    const DateResolver resolver;
    EXPECT_EQ(resolver.resolve(back).date, resolver.resolve(parsed).date) << text;
    if (parsed.ambiguous) {
      EXPECT_EQ(back.day_first, parsed.day_first) << text;
      EXPECT_EQ(back.month_first, parsed.month_first) << text;
    }
  }
  EXPECT_EQ(sizeof(PendingDate), 8u);
}

}  // namespace
}  // namespace salespipe::clean

namespace salespipe::clean {
namespace {

// ---------------------------------------------------------------------------------------------
// DateColumn

TEST(DateColumn, RepeatedValuesReadAsTheyParseWhateverItRemembers) {
  // More distinct values than the column remembers, in several shapes, each seen many times in
  // a scrambled order: every observation must equal parse_date, and the evidence must count
  // every one of them.
  std::vector<std::string> distinct;
  for (int day = 0; day < 2000; ++day) {
    const Date date = Date{} + std::chrono::days{19'000 + day};
    const std::string iso_text = iso(date);  // yyyy-mm-dd
    const std::string year = iso_text.substr(0, 4);
    const std::string month = iso_text.substr(5, 2);
    const std::string dom = iso_text.substr(8, 2);
    distinct.push_back(iso_text);
    distinct.push_back(month + "/" + dom + "/" + year);
    distinct.push_back(dom + "." + month + "." + year + " 10:30");
  }
  distinct.push_back("31/02/2023");  // impossible
  distinct.push_back("not a date");
  std::mt19937 random(3);
  std::vector<std::string> stream;
  for (int i = 0; i < 40'000; ++i) {
    stream.push_back(distinct[random() % distinct.size()]);
  }

  DateColumn column(DateOrder::Auto);
  DateResolver reference(DateOrder::Auto);
  std::vector<PendingDate> pending;
  for (const auto& text : stream) {
    const ParsedDate expected = parse_date(text);
    const ParsedDate got = column.observe(text);
    reference.observe(expected);
    ASSERT_EQ(got.status, expected.status) << text;
    ASSERT_EQ(got.ambiguous, expected.ambiguous) << text;
    ASSERT_EQ(got.separator, expected.separator) << text;
    ASSERT_EQ(got.evidence, expected.evidence) << text;
    ASSERT_EQ(got.date, expected.date) << text;
    ASSERT_EQ(got.day_first, expected.day_first) << text;
    ASSERT_EQ(got.month_first, expected.month_first) << text;
    ASSERT_EQ(got.year_first, expected.year_first) << text;
    ASSERT_EQ(got.has_time, expected.has_time) << text;
    ASSERT_EQ(got.problem, expected.problem) << text;
    if (got.status == CellStatus::Ok) {
      pending.push_back(PendingDate::of(got));
    }
  }
  DateColumnQuality quality;
  column.resolve(pending, quality);
  const EvidenceCounts all = reference.evidence();
  ASSERT_FALSE(quality.evidence.empty());
  EXPECT_EQ(quality.evidence.back().separator, "all");
  EXPECT_EQ(quality.evidence.back().day_first, all.day_first);
  EXPECT_EQ(quality.evidence.back().month_first, all.month_first);
  EXPECT_EQ(quality.min_unambiguous, iso(*reference.min_unambiguous()));
  EXPECT_EQ(quality.max_unambiguous, iso(*reference.max_unambiguous()));
}

}  // namespace
}  // namespace salespipe::clean
