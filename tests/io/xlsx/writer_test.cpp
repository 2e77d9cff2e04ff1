#include "io/xlsx/writer.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/error.hpp"
#include "io/xlsx/cells.hpp"
#include "io/xlsx/sample_export.hpp"
#include "io/xlsx/xlsx_contents.hpp"
#include "testing/testing.hpp"

namespace salespipe::io::xlsx {
namespace {
namespace fs = std::filesystem;
using salespipe::testing::TempDir;
using testing::cell;
using testing::cell_style;
using testing::cell_value;
using testing::make_sample;
using testing::row_count;
using testing::Xlsx;

using Strings = std::vector<std::string>;

constexpr const char* kCurrency = "$#,##0.00";
constexpr const char* kIsoDate = "yyyy-mm-dd";
constexpr const char* kVipFill = "FFFFF2CC";

/// "B2" for column 'B', row 2. Built by append: GCC 12 at -O3 gives a false -Wrestrict on
/// std::string + std::string here (PR 105329).
std::string ref(char column, int row) {
  std::string reference(1, column);
  reference.append(std::to_string(row));
  return reference;
}

/// The values of one row of a sheet, columns A.. up to `columns`, "" for unwritten cells.
Strings row_values(const std::string& sheet_xml, int row, int columns) {
  Strings values;
  for (int c = 0; c < columns; ++c) {
    const std::string reference = ref(static_cast<char>('A' + c), row);
    values.push_back(cell_value(cell(sheet_xml, reference)));
  }
  return values;
}

/// The width libxlsxwriter stores in <col> for a width set in characters: whole pixels of the
/// 7-pixel digit plus 5 pixels of padding, back in 1/256 characters.
double stored_width(double width) {
  const auto pixels = static_cast<int>(width * 7 + 0.5) + 5;
  return static_cast<int>(pixels / 7.0 * 256.0) / 256.0;
}

/// Runs write_xlsx and returns the Error it throws (failing the test when it does not).
Error write_error(const fs::path& path, const ExportData& data, const XlsxOptions& options = {}) {
  try {
    write_xlsx(path, data, options);
  } catch (const Error& error) {
    return error;
  }
  ADD_FAILURE() << "write_xlsx did not throw";
  return Error(ErrorKind::Internal, "no error");
}

class XlsxWriter : public ::testing::Test {
 protected:
  TempDir dir;
  fs::path path = dir / "export.xlsx";
};

TEST_F(XlsxWriter, WritesSalesCustomersAndSummarySheetsInOrder) {
  const auto sample = make_sample();
  write_xlsx(path, sample->data);
  const Xlsx book(path);
  EXPECT_EQ(book.sheet_names(), (Strings{"Sales", "Customers", "Summary"}));
}

TEST_F(XlsxWriter, SalesSheetHasFixedColumnsThenSegmentThenExtras) {
  const auto sample = make_sample();
  write_xlsx(path, sample->data);
  const std::string sales = Xlsx(path).sheet("Sales");
  EXPECT_EQ(
      row_values(sales, 1, 12),
      (Strings{"sale_id", "product_id", "customer_id", "sale_price", "quantity", "sale_date",
               "total_revenue", "sentiment_score", "review_date", "segment", "region", "note"}));
  EXPECT_EQ(row_count(sales), 5u);
  EXPECT_EQ(row_values(sales, 2, 12), (Strings{"S1", "P001", "C1", "150.05", "2", "44941", "300.1",
                                               "4.5", "44946", "VIP", "North", "=1+1"}));
  // libxlsxwriter prints numbers with 16 significant digits; that text reads back as the very
  // double 99.9 is.
  EXPECT_EQ(row_values(sales, 4, 12),
            (Strings{"S3", "P001", "C2", "9.99", "10", "45000", "99.90000000000001", "2", "45001",
                     "Non-VIP", "East", "-2"}));
  EXPECT_EQ(std::stod(cell_value(cell(sales, "G4"))), 99.9);
}

TEST_F(XlsxWriter, CustomersSheetHasOneRowPerCustomer) {
  const auto sample = make_sample();
  write_xlsx(path, sample->data);
  const std::string customers = Xlsx(path).sheet("Customers");
  EXPECT_EQ(row_values(customers, 1, 7),
            (Strings{"customer_id", "segment", "total_purchase_amount", "purchase_frequency",
                     "avg_transaction_value", "recency_days", "cluster"}));
  EXPECT_EQ(row_count(customers), 4u);
  EXPECT_EQ(row_values(customers, 2, 7), (Strings{"C1", "VIP", "1534.6", "2", "767.3", "58", "1"}));
  EXPECT_EQ(row_values(customers, 4, 7), (Strings{"C3", "Non-VIP", "1.5", "1", "1.5", "0", "0"}));
  const std::string styles = Xlsx(path).styles();
  EXPECT_EQ(cell_style(styles, cell(customers, "C2")).number_format, kCurrency);
  EXPECT_EQ(cell_style(styles, cell(customers, "E3")).number_format, kCurrency);
  EXPECT_EQ(cell_style(styles, cell(customers, "D3")).number_format, "General");
}

TEST_F(XlsxWriter, SummaryHasThePeriodTitleThenTheTopProducts) {
  const auto sample = make_sample();
  write_xlsx(path, sample->data);
  const std::string summary = Xlsx(path).sheet("Summary");
  EXPECT_EQ(cell_value(cell(summary, "A1")), "Top products, 2023 Q1");
  EXPECT_EQ(row_values(summary, 2, 7), (Strings{"rank", "product_id", "revenue", "share", "units",
                                                "avg_sentiment", "change_pct"}));
  EXPECT_EQ(row_count(summary), 5u);
  EXPECT_EQ(row_values(summary, 3, 7), (Strings{"1", "P002", "1234.5", "0.758", "1", "", "new"}));
}

TEST_F(XlsxWriter, SummaryStoresNumbersAsNumbersWithTheirFormats) {
  auto sample = make_sample();
  sample->data.top_products_rows[0][3] = "75.8%";
  write_xlsx(path, sample->data);
  const Xlsx book(path);
  const std::string summary = book.sheet("Summary");
  const std::string styles = book.styles();
  // "$1,234.50" and a plain "400.00" in the revenue column are both money.
  EXPECT_EQ(cell_value(cell(summary, "C3")), "1234.5");
  EXPECT_EQ(cell_style(styles, cell(summary, "C3")).number_format, kCurrency);
  EXPECT_EQ(cell_value(cell(summary, "C4")), "400");
  EXPECT_EQ(cell_style(styles, cell(summary, "C4")).number_format, kCurrency);
  // "75.8%" and a plain fraction in the share column are percentages.
  EXPECT_EQ(cell_value(cell(summary, "D3")), "0.758");
  EXPECT_EQ(cell_style(styles, cell(summary, "D3")).number_format, "0.0%");
  EXPECT_EQ(cell_value(cell(summary, "D4")), "0.2454");
  EXPECT_EQ(cell_style(styles, cell(summary, "D4")).number_format, "0.0%");
  // Plain numbers elsewhere are numbers showing the decimals their text had; words stay text.
  EXPECT_EQ(cell_value(cell(summary, "G4")), "-12.5");
  EXPECT_EQ(testing::attribute(cell(summary, "G4"), "t"), "");
  EXPECT_EQ(cell_style(styles, cell(summary, "G4")).number_format, "0.00");
  EXPECT_EQ(cell_style(styles, cell(summary, "F4")).number_format, "0.00");
  EXPECT_EQ(cell_style(styles, cell(summary, "A4")).number_format, "General");
  EXPECT_EQ(testing::attribute(cell(summary, "G3"), "t"), "inlineStr");
  // An id column stays text even when the id looks like a number.
  EXPECT_EQ(testing::attribute(cell(summary, "B5"), "t"), "inlineStr");
  EXPECT_EQ(cell_value(cell(summary, "B5")), "123");
  // The empty avg_sentiment is no cell at all.
  EXPECT_EQ(cell(summary, "F3"), "");
}

TEST_F(XlsxWriter, SummaryWithoutPeriodOrRowsStillHasTitleAndHeader) {
  auto sample = make_sample();
  sample->data.period_label.clear();
  sample->data.top_products_rows.clear();
  write_xlsx(path, sample->data);
  const std::string summary = Xlsx(path).sheet("Summary");
  EXPECT_EQ(cell_value(cell(summary, "A1")), "Top products");
  EXPECT_EQ(cell_value(cell(summary, "A2")), "rank");
  EXPECT_EQ(row_count(summary), 2u);
}

TEST_F(XlsxWriter, SplitsSalesOverMaxRowsPerSheet) {
  const auto sample = make_sample(3);  // 7 sales
  write_xlsx(path, sample->data, {.max_rows_per_sheet = 3});
  const Xlsx book(path);
  EXPECT_EQ(book.sheet_names(), (Strings{"Sales", "Sales 2", "Sales 3", "Customers", "Summary"}));
  EXPECT_EQ(row_count(book.sheet("Sales")), 4u);
  EXPECT_EQ(row_count(book.sheet("Sales 2")), 4u);
  EXPECT_EQ(row_count(book.sheet("Sales 3")), 2u);
  // Every sheet starts with the header and continues where the previous one stopped.
  EXPECT_EQ(cell_value(cell(book.sheet("Sales 2"), "A1")), "sale_id");
  EXPECT_EQ(cell_value(cell(book.sheet("Sales 2"), "A2")), "S4");
  EXPECT_EQ(cell_value(cell(book.sheet("Sales 3"), "A1")), "sale_id");
  EXPECT_EQ(cell_value(cell(book.sheet("Sales 3"), "A2")), "S7");
  EXPECT_EQ(testing::element(book.sheet("Sales 3"), "autoFilter"), R"(<autoFilter ref="A1:L2"/>)");
}

TEST_F(XlsxWriter, SplitsCustomersOverMaxRowsPerSheetToo) {
  const auto sample = make_sample();  // 4 sales, 3 customers
  write_xlsx(path, sample->data, {.max_rows_per_sheet = 2});
  const Xlsx book(path);
  EXPECT_EQ(book.sheet_names(),
            (Strings{"Sales", "Sales 2", "Customers", "Customers 2", "Summary"}));
  EXPECT_EQ(row_count(book.sheet("Customers")), 3u);
  EXPECT_EQ(row_count(book.sheet("Customers 2")), 2u);
  EXPECT_EQ(row_values(book.sheet("Customers 2"), 2, 2), (Strings{"C3", "Non-VIP"}));
  // The Summary is never split: it holds the top products only.
  EXPECT_EQ(row_count(book.sheet("Summary")), 5u);
}

TEST_F(XlsxWriter, AnExactMultipleOfMaxRowsAddsNoEmptySheet) {
  const auto sample = make_sample(2);  // 6 sales
  write_xlsx(path, sample->data, {.max_rows_per_sheet = 3});
  const Xlsx book(path);
  EXPECT_EQ(book.sheet_names(), (Strings{"Sales", "Sales 2", "Customers", "Summary"}));
  EXPECT_EQ(row_count(book.sheet("Sales 2")), 4u);
}

TEST_F(XlsxWriter, WithoutSalesTheSalesSheetHasOnlyItsHeader) {
  auto sample = make_sample();
  sample->data.sales = nullptr;
  write_xlsx(path, sample->data);
  const std::string sales = Xlsx(path).sheet("Sales");
  EXPECT_EQ(row_count(sales), 1u);
  EXPECT_EQ(cell_value(cell(sales, "J1")), "segment");
  EXPECT_EQ(cell(sales, "K1"), "");
}

TEST_F(XlsxWriter, WithoutSegmentsTheSegmentColumnIsEmpty) {
  auto sample = make_sample();
  sample->data.segment_of_customer.clear();
  write_xlsx(path, sample->data);
  const std::string sales = Xlsx(path).sheet("Sales");
  EXPECT_EQ(cell_value(cell(sales, "J1")), "segment");
  EXPECT_EQ(cell(sales, "J2"), "");
  EXPECT_EQ(cell_value(cell(sales, "K2")), "North");
}

TEST_F(XlsxWriter, HeaderIsBoldFrozenAndFiltered) {
  const auto sample = make_sample();
  write_xlsx(path, sample->data);
  const Xlsx book(path);
  const std::string styles = book.styles();
  for (const char* name : {"Sales", "Customers"}) {
    const std::string sheet = book.sheet(name);
    EXPECT_TRUE(cell_style(styles, cell(sheet, "A1")).bold) << name;
    EXPECT_FALSE(cell_style(styles, cell(sheet, "A2")).bold) << name;
    const std::string pane = testing::element(sheet, "pane");
    EXPECT_EQ(testing::attribute(pane, "ySplit"), "1") << name;
    EXPECT_EQ(testing::attribute(pane, "topLeftCell"), "A2") << name;
    EXPECT_EQ(testing::attribute(pane, "state"), "frozen") << name;
  }
  EXPECT_EQ(testing::element(book.sheet("Sales"), "autoFilter"), R"(<autoFilter ref="A1:L5"/>)");
  EXPECT_EQ(testing::element(book.sheet("Customers"), "autoFilter"),
            R"(<autoFilter ref="A1:G4"/>)");
  // The Summary's title is bold too, and both title and header stay in view.
  const std::string summary = book.sheet("Summary");
  EXPECT_TRUE(cell_style(styles, cell(summary, "A1")).bold);
  EXPECT_TRUE(cell_style(styles, cell(summary, "A2")).bold);
  EXPECT_EQ(testing::attribute(testing::element(summary, "pane"), "ySplit"), "2");
  EXPECT_EQ(testing::element(summary, "autoFilter"), R"(<autoFilter ref="A2:G5"/>)");
  // The filter is also a defined name, as Excel expects.
  EXPECT_NE(book.part("xl/workbook.xml").find("_xlnm._FilterDatabase"), std::string::npos);
}

TEST_F(XlsxWriter, MoneyIsANumberWithTheCurrencyFormat) {
  const auto sample = make_sample();
  write_xlsx(path, sample->data);
  const Xlsx book(path);
  const std::string sales = book.sheet("Sales");
  for (const char* reference : {"D2", "G2", "D3", "G5"}) {
    const std::string c = cell(sales, reference);
    EXPECT_EQ(testing::attribute(c, "t"), "") << reference;
    EXPECT_EQ(cell_style(book.styles(), c).number_format, kCurrency) << reference;
  }
  EXPECT_EQ(cell_value(cell(sales, "D3")), "1234.5");
  EXPECT_EQ(cell_value(cell(sales, "D5")), "0.5");
}

TEST_F(XlsxWriter, DatesAreExcelSerialsWithTheIsoDateFormat) {
  const auto sample = make_sample();
  write_xlsx(path, sample->data);
  const Xlsx book(path);
  const std::string sales = book.sheet("Sales");
  EXPECT_EQ(cell_value(cell(sales, "F5")), "45016");  // 2023-03-31
  EXPECT_EQ(cell_value(cell(sales, "I5")), "45017");  // 2023-04-01
  for (const char* reference : {"F2", "I2", "F5", "I5"}) {
    EXPECT_EQ(testing::attribute(cell(sales, reference), "t"), "") << reference;
    EXPECT_EQ(cell_style(book.styles(), cell(sales, reference)).number_format, kIsoDate)
        << reference;
    EXPECT_EQ(cell_style(book.styles(), cell(sales, reference)).horizontal, "center") << reference;
  }
}

TEST_F(XlsxWriter, ADateBefore1900IsWrittenAsIsoText) {
  auto sample = make_sample();
  sample->sales.sale_date[2] = make_date(1899, 12, 31).value();
  write_xlsx(path, sample->data);
  const std::string sales = Xlsx(path).sheet("Sales");
  EXPECT_EQ(testing::attribute(cell(sales, "F4"), "t"), "inlineStr");
  EXPECT_EQ(cell_value(cell(sales, "F4")), "1899-12-31");
}

TEST_F(XlsxWriter, CountsAndSentimentsAreNumbers) {
  const auto sample = make_sample();
  write_xlsx(path, sample->data);
  const Xlsx book(path);
  const std::string sales = book.sheet("Sales");
  for (const char* reference : {"E2", "H2", "E4", "H5"}) {
    EXPECT_EQ(testing::attribute(cell(sales, reference), "t"), "") << reference;
  }
  EXPECT_EQ(cell_value(cell(sales, "E4")), "10");
  EXPECT_EQ(cell_value(cell(sales, "H5")), "3.25");
  EXPECT_EQ(cell_style(book.styles(), cell(sales, "H5")).number_format, "General");
}

TEST_F(XlsxWriter, ASaleWithoutReviewHasBlankSentimentAndReviewDate) {
  auto sample = make_sample();
  write_xlsx(path, sample->data);
  const std::string sales = Xlsx(path).sheet("Sales");
  // S2 is a VIP sale: its blank cells exist only to carry the fill.
  EXPECT_EQ(cell_value(cell(sales, "H3")), "");
  EXPECT_EQ(cell_value(cell(sales, "I3")), "");
  EXPECT_NE(cell(sales, "H3"), "");

  sample->data.segment_of_customer = {"Non-VIP", "Non-VIP", "Non-VIP"};
  write_xlsx(path, sample->data);
  const std::string plain = Xlsx(path).sheet("Sales");
  EXPECT_EQ(cell(plain, "H3"), "");
  EXPECT_EQ(cell(plain, "I3"), "");
}

TEST_F(XlsxWriter, VipRowsAreFilledAndOthersAreNot) {
  const auto sample = make_sample();
  write_xlsx(path, sample->data);
  const Xlsx book(path);
  const std::string styles = book.styles();
  const std::string sales = book.sheet("Sales");
  // S1 and S2 are C1's (VIP); every column of their rows carries the fill, blanks included.
  for (const int row : {2, 3}) {
    for (char column = 'A'; column <= 'L'; ++column) {
      const std::string reference = ref(column, row);
      EXPECT_EQ(cell_style(styles, cell(sales, reference)).fill_rgb, kVipFill) << reference;
    }
  }
  // The highlight keeps the number formats.
  EXPECT_EQ(cell_style(styles, cell(sales, "D2")).number_format, kCurrency);
  EXPECT_EQ(cell_style(styles, cell(sales, "F2")).number_format, kIsoDate);
  for (const char* reference : {"A1", "A4", "D4", "F4", "L5"}) {
    EXPECT_EQ(cell_style(styles, cell(sales, reference)).fill_rgb, "") << reference;
  }
  const std::string customers = book.sheet("Customers");
  EXPECT_EQ(cell_style(styles, cell(customers, "A2")).fill_rgb, kVipFill);
  EXPECT_EQ(cell_style(styles, cell(customers, "G2")).fill_rgb, kVipFill);
  EXPECT_EQ(cell_style(styles, cell(customers, "A3")).fill_rgb, "");
}

TEST_F(XlsxWriter, TheHighlightedSegmentIsAnOption) {
  const auto sample = make_sample();
  write_xlsx(path, sample->data, {.vip_segment = "Non-VIP"});
  const Xlsx book(path);
  const std::string sales = book.sheet("Sales");
  EXPECT_EQ(cell_style(book.styles(), cell(sales, "A2")).fill_rgb, "");
  EXPECT_EQ(cell_style(book.styles(), cell(sales, "A4")).fill_rgb, kVipFill);

  write_xlsx(path, sample->data, {.vip_segment = ""});
  const Xlsx plain(path);
  for (const char* reference : {"A2", "A4"}) {
    EXPECT_EQ(cell_style(plain.styles(), cell(plain.sheet("Sales"), reference)).fill_rgb, "");
  }
}

TEST_F(XlsxWriter, FormulaLikeTextIsStoredAsAStringNotAFormula) {
  auto sample = make_sample();
  sample->sales.sale_id = StringColumn();
  for (const char* id : {"=1+1", "+1", "-1", "@SUM(A1)"}) {
    sample->sales.sale_id.push_back(id);
  }
  write_xlsx(path, sample->data);
  const std::string sales = Xlsx(path).sheet("Sales");
  EXPECT_EQ(sales.find("<f>"), std::string::npos);
  const Strings expected = {"=1+1", "+1", "-1", "@SUM(A1)"};
  for (int row = 2; row <= 5; ++row) {
    for (const char column : {'A', 'L'}) {
      const std::string c = cell(sales, ref(column, row));
      EXPECT_EQ(testing::attribute(c, "t"), "inlineStr") << c;
    }
    // Stored as given: no quote prefix is needed in a string cell, so none is added.
    EXPECT_EQ(cell_value(cell(sales, ref('A', row))), expected[static_cast<std::size_t>(row - 2)]);
  }
  EXPECT_EQ(cell_value(cell(sales, "L2")), "=1+1");
  EXPECT_EQ(cell_value(cell(sales, "L5")), "@cmd");
}

TEST_F(XlsxWriter, TextIsEscapedForXml) {
  auto sample = make_sample();
  sample->sales.extra.values[1] = StringColumn();
  for (const char* note : {"<b>&amp;</b>", "caf\xc3\xa9", "tab\there", "bell\x07"}) {
    sample->sales.extra.values[1].push_back(note);
  }
  write_xlsx(path, sample->data);
  const std::string sales = Xlsx(path).sheet("Sales");
  EXPECT_EQ(cell_value(cell(sales, "L2")), "&lt;b&gt;&amp;amp;&lt;/b&gt;");
  EXPECT_EQ(cell_value(cell(sales, "L3")), "caf\xc3\xa9");
  // A control byte is not allowed in XML; Excel's own escape keeps the value.
  EXPECT_EQ(cell_value(cell(sales, "L5")), "bell_x0007_");
}

TEST_F(XlsxWriter, ColumnWidthsFollowTheWidestValueUpToACap) {
  auto sample = make_sample();
  sample->sales.extra.values[0] = StringColumn();
  const std::string long_region(100, 'x');
  for (const std::string_view region : {std::string_view("North"), std::string_view(long_region),
                                        std::string_view(), std::string_view("West")}) {
    sample->sales.extra.values[0].push_back(region);
  }
  write_xlsx(path, sample->data);
  const std::string sales = Xlsx(path).sheet("Sales");
  EXPECT_EQ(testing::column_width(sales, 11), stored_width(kMaxColumnChars));
  // sale_id: the header (7 bold characters and the filter button) is wider than "S1".
  EXPECT_EQ(testing::column_width(sales, 1), stored_width(7 * 1.1 + 3));
  // sale_price: the header (10 characters) is wider than "$1,234.50" too.
  EXPECT_EQ(testing::column_width(sales, 4), stored_width(10 * 1.1 + 3));
  // note: "+SUM(A1:A2)" and its margin (13 characters) are wider than the header.
  EXPECT_EQ(testing::column_width(sales, 12), stored_width(13));
}

TEST_F(XlsxWriter, TwoRunsGiveByteIdenticalFiles) {
  const auto sample = make_sample(20);
  const fs::path second = dir / "second.xlsx";
  write_xlsx(path, sample->data, {.max_rows_per_sheet = 7});
  write_xlsx(second, sample->data, {.max_rows_per_sheet = 7});
  EXPECT_EQ(salespipe::testing::read_file(path), salespipe::testing::read_file(second));
}

TEST_F(XlsxWriter, DocumentTimesAreTheFixedCreationTime) {
  const auto sample = make_sample();
  write_xlsx(path, sample->data);
  const std::string core = Xlsx(path).part("docProps/core.xml");
  EXPECT_EQ(testing::inner_text(core, "dcterms:created"), "2023-01-01T00:00:00Z");
  EXPECT_EQ(testing::inner_text(core, "dcterms:modified"), "2023-01-01T00:00:00Z");

  std::tm time = default_creation_time();
  time.tm_year = 2024 - 1900;
  time.tm_mon = 5;
  time.tm_mday = 30;
  time.tm_hour = 12;
  time.tm_min = 34;
  time.tm_sec = 56;
  write_xlsx(path, sample->data, {.creation_time = time});
  EXPECT_EQ(testing::inner_text(Xlsx(path).part("docProps/core.xml"), "dcterms:created"),
            "2024-06-30T12:34:56Z");
}

TEST_F(XlsxWriter, ZipEntriesCarryAFixedTimestamp) {
  // Equal bytes from two quick runs could also come from a clock that did not tick; the
  // entries' own timestamps show that no clock is read at all.
  const auto sample = make_sample();
  write_xlsx(path, sample->data);
  const fs::path listing = dir / "listing.txt";
  ASSERT_EQ(testing::run("unzip -Z -T " + testing::shell_quote(path.string()) + " > " +
                         testing::shell_quote(listing.string())),
            0);
  const std::string text = salespipe::testing::read_file(listing);
  std::size_t entries = 0;
  for (std::size_t pos = 0; (pos = text.find(".xml", pos)) != std::string::npos; pos += 4) {
    const std::size_t line = text.rfind('\n', pos) + 1;
    EXPECT_NE(text.substr(line, pos - line).find(" 19800101.000000 "), std::string::npos)
        << text.substr(line, pos - line);
    ++entries;
  }
  EXPECT_GE(entries, 9u);
}

TEST_F(XlsxWriter, LeavesNoTempFilesBesideTheOutput) {
  const auto sample = make_sample(10);
  write_xlsx(path, sample->data, {.max_rows_per_sheet = 4});
  Strings names;
  for (const auto& entry : fs::directory_iterator(dir.path())) {
    names.push_back(entry.path().filename().string());
  }
  EXPECT_EQ(names, (Strings{"export.xlsx"}));
}

TEST_F(XlsxWriter, OverwritesAnExistingFile) {
  salespipe::testing::write_file(path, std::string(100'000, 'x'));
  const auto sample = make_sample();
  write_xlsx(path, sample->data);
  EXPECT_EQ(Xlsx(path).sheet_names().size(), 3u);
}

// ---- errors ---------------------------------------------------------------------------------

TEST_F(XlsxWriter, FailsWhenTheParentIsARegularFile) {
  salespipe::testing::write_file(dir / "file", "not a folder");
  const fs::path bad = dir / "file" / "export.xlsx";
  const auto sample = make_sample();
  ::testing::internal::CaptureStderr();
  const Error error = write_error(bad, sample->data);
  // Caught before libxlsxwriter could print its own "[ERROR] workbook_close()" line.
  EXPECT_EQ(::testing::internal::GetCapturedStderr(), "");
  EXPECT_EQ(error.kind(), ErrorKind::Output);
  EXPECT_EQ(std::string(error.what()), bad.string() + ": cannot create: Not a directory");
}

TEST_F(XlsxWriter, FailsWhenTheFolderIsMissing) {
  const fs::path bad = dir / "missing" / "export.xlsx";
  const auto sample = make_sample();
  const Error error = write_error(bad, sample->data);
  EXPECT_EQ(error.kind(), ErrorKind::Output);
  EXPECT_EQ(std::string(error.what()), bad.string() + ": cannot create: No such file or directory");
  EXPECT_FALSE(fs::exists(dir / "missing"));
}

TEST_F(XlsxWriter, FailsWhenThePathIsAFolder) {
  fs::create_directory(path);
  const auto sample = make_sample();
  const Error error = write_error(path, sample->data);
  EXPECT_EQ(error.kind(), ErrorKind::Output);
  EXPECT_EQ(std::string(error.what()), path.string() + ": cannot create: Is a directory");
}

TEST_F(XlsxWriter, RefusesTextLongerThanExcelsCellLimit) {
  auto sample = make_sample();
  sample->sales.extra.values[1] = StringColumn();
  for (const std::size_t length :
       {std::size_t{5}, std::size_t{32'767}, std::size_t{32'768}, std::size_t{2}}) {
    sample->sales.extra.values[1].push_back(std::string(length, 'a'));
  }
  const Error error = write_error(path, sample->data);
  EXPECT_EQ(error.kind(), ErrorKind::Output);
  EXPECT_EQ(std::string(error.what()),
            path.string() +
                ": sheet \"Sales\" cell L4: String exceeds Excel's limit of 32,767 characters.");
}

TEST_F(XlsxWriter, RefusesTextWithANulByte) {
  auto sample = make_sample(5);
  sample->sales.sale_id = StringColumn();
  for (std::size_t i = 0; i < sample->sales.size(); ++i) {
    sample->sales.sale_id.push_back(i == 6 ? std::string_view("S\0X", 3) : "S");
  }
  const Error error = write_error(path, sample->data, {.max_rows_per_sheet = 4});
  EXPECT_EQ(error.kind(), ErrorKind::Output);
  EXPECT_EQ(std::string(error.what()),
            path.string() +
                ": sheet \"Sales 2\" cell A4: text holds a NUL byte, which XLSX cannot store");
}

TEST_F(XlsxWriter, RefusesMoreSheetsThanAllowed) {
  const auto sample = make_sample(3);  // 7 sales
  const Error error =
      write_error(path, sample->data, {.max_rows_per_sheet = 3, .max_sheets_per_table = 2});
  EXPECT_EQ(error.kind(), ErrorKind::Output);
  EXPECT_EQ(std::string(error.what()),
            path.string() +
                ": 7 rows need 3 \"Sales\" sheets of 3 rows; at most 2 are allowed "
                "(max_sheets_per_table)");
  // Checked before anything is written.
  EXPECT_FALSE(fs::exists(path));
}

TEST_F(XlsxWriter, RefusesMoreColumnsThanAWorksheetHolds) {
  auto sample = make_sample();
  SalesTable& sales = sample->sales;
  while (sales.extra.names.size() < 16'384 - 9) {
    sales.extra.names.push_back("x");
    sales.extra.values.emplace_back();
    for (std::size_t r = 0; r < sales.size(); ++r) {
      sales.extra.values.back().push_back("");
    }
  }
  const Error error = write_error(path, sample->data);
  EXPECT_EQ(error.kind(), ErrorKind::Output);
  EXPECT_EQ(std::string(error.what()),
            path.string() +
                ": sheet \"Sales\" would need 16385 columns; a worksheet holds at "
                "most 16384");
  EXPECT_FALSE(fs::exists(path));
}

TEST_F(XlsxWriter, RefusesColumnsOfDifferentLengths) {
  auto sample = make_sample();
  sample->sales.quantity.pop_back();
  const Error error = write_error(path, sample->data);
  EXPECT_EQ(error.kind(), ErrorKind::Internal);
  EXPECT_EQ(error.message(), "XLSX export: the sales table's columns differ in length");
  EXPECT_FALSE(fs::exists(path));

  auto other = make_sample();
  other->data.customers.cluster.pop_back();
  const Error customers = write_error(path, other->data);
  EXPECT_EQ(customers.kind(), ErrorKind::Internal);
  EXPECT_EQ(customers.message(), "XLSX export: the customer table's columns differ in length");
}

TEST_F(XlsxWriter, RefusesSegmentsThatDoNotMatchTheCustomers) {
  auto sample = make_sample();
  sample->data.segment_of_customer.pop_back();
  const Error error = write_error(path, sample->data);
  EXPECT_EQ(error.kind(), ErrorKind::Internal);
  EXPECT_EQ(error.message(), "XLSX export: 2 segments for 3 customer codes");
}

TEST_F(XlsxWriter, RefusesAnIdCodeOutsideItsDictionary) {
  auto sample = make_sample();
  sample->sales.customer[3] = 3;
  const Error error = write_error(path, sample->data);
  EXPECT_EQ(error.kind(), ErrorKind::Internal);
  EXPECT_EQ(error.message(), "XLSX export: sale 3 has an id code outside its dictionary");
}

TEST(XlsxOptions, DefaultsAreValid) {
  EXPECT_NO_THROW(XlsxOptions{}.validate());
  EXPECT_NO_THROW(XlsxOptions{.max_rows_per_sheet = 1}.validate());
  EXPECT_NO_THROW(XlsxOptions{.max_rows_per_sheet = kMaxDataRowsPerSheet}.validate());
}

void expect_usage(const XlsxOptions& options, const std::string& message) {
  try {
    options.validate();
    ADD_FAILURE() << "validate() did not throw; expected: " << message;
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::Usage);
    EXPECT_EQ(std::string(error.what()), message);
  }
}

TEST(XlsxOptions, RejectsRowLimitsExcelCannotHold) {
  expect_usage({.max_rows_per_sheet = 0},
               "xlsx: max_rows_per_sheet must be between 1 and 1048575, got 0");
  expect_usage({.max_rows_per_sheet = kMaxDataRowsPerSheet + 1},
               "xlsx: max_rows_per_sheet must be between 1 and 1048575, got 1048576");
  expect_usage({.max_sheets_per_table = 0}, "xlsx: max_sheets_per_table must be at least 1, got 0");
}

TEST(XlsxOptions, RejectsACreationTimeThatIsNotOne) {
  std::tm time = default_creation_time();
  time.tm_mon = 12;
  expect_usage({.creation_time = time}, "xlsx: creation_time is not a valid date and time");
  time = default_creation_time();
  time.tm_mday = 0;
  expect_usage({.creation_time = time}, "xlsx: creation_time is not a valid date and time");
  time = default_creation_time();
  time.tm_hour = 24;
  expect_usage({.creation_time = time}, "xlsx: creation_time is not a valid date and time");
}

TEST(XlsxOptions, RejectsTheEpochAsCreationTime) {
  std::tm time{};
  time.tm_year = 70;
  time.tm_mday = 1;
  expect_usage({.creation_time = time},
               "xlsx: creation_time must be after 1970-01-01 00:00:00 and before year 10000, got "
               "year 1970");
  time.tm_year = 10'000 - 1900;
  expect_usage({.creation_time = time},
               "xlsx: creation_time must be after 1970-01-01 00:00:00 and before year 10000, got "
               "year 10000");
}

TEST_F(XlsxWriter, BadOptionsFailBeforeTheFileIsCreated) {
  const auto sample = make_sample();
  const Error error = write_error(path, sample->data, {.max_rows_per_sheet = 0});
  EXPECT_EQ(error.kind(), ErrorKind::Usage);
  EXPECT_FALSE(fs::exists(path));
}

}  // namespace
}  // namespace salespipe::io::xlsx
