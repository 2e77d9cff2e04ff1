#include "io/xlsx/writer.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "io/xlsx/cells.hpp"

namespace salespipe::io::xlsx {
namespace fs = std::filesystem;
namespace {

/// How a column's values are stored and shown.
enum class Kind { Text, Integer, Decimal, Money, Date, Percent };
constexpr std::size_t kKindCount = 6;
/// Summary numbers keep up to this many decimals as written ("-12.50"); more show as General.
constexpr int kMaxFixedDecimals = 4;

constexpr std::size_t kMaxColumns = LXW_COL_MAX;
/// sale_id ... review_date and segment; the extra input columns follow.
constexpr std::size_t kSalesFixedColumns = 10;
/// A light gold: visible on screen and in print, dark text stays readable on it.
constexpr lxw_color_t kVipFill = 0xFFF2CC;

/// One column of a sheet: its header, how its values are stored, and the widest value (from the
/// pre-pass) in characters.
struct Column {
  std::string header;
  Kind kind = Kind::Text;
  std::size_t value_chars = 0;
};

struct WorkbookFree {
  void operator()(lxw_workbook* workbook) const noexcept { lxw_workbook_free(workbook); }
};

std::string cell_name(lxw_row_t row, lxw_col_t col) {
  char name[LXW_MAX_CELL_NAME_LENGTH];
  lxw_rowcol_to_cell(name, row, col);
  return name;
}

/// Creates (or truncates) the output before any work is done, so that a bad path fails fast with
/// the system's reason rather than after all rows are written, and without libxlsxwriter
/// printing its own message to stderr.
void check_creatable(const fs::path& path) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) {
    throw Error(ErrorKind::Output,
                fmt::format("{}: cannot create: {}", path.string(), std::strerror(errno)));
  }
  ::close(fd);
}

/// The open workbook with the formats every sheet shares. Formats are owned by the workbook.
class Workbook {
 public:
  Workbook(const fs::path& path, const XlsxOptions& options)
      : path_(path.string()), tmpdir_(path.parent_path().empty() ? "." : path.parent_path()) {
    lxw_workbook_options lxw_options{};
    lxw_options.constant_memory = LXW_TRUE;
    lxw_options.tmpdir = tmpdir_.data();
    lxw_options.use_zip64 = LXW_TRUE;
    workbook_.reset(workbook_new_opt(path_.c_str(), &lxw_options));
    if (!workbook_) {
      throw Error(ErrorKind::Output, fmt::format("{}: cannot start the workbook: {}", path_,
                                                 lxw_strerror(LXW_ERROR_MEMORY_MALLOC_FAILED)));
    }
    std::tm created = options.creation_time;
    lxw_doc_properties properties{};
    properties.created = ::timegm(&created);
    check(workbook_set_properties(workbook_.get(), &properties), "cannot set the properties");

    header_ = new_format();
    format_set_bold(header_);
    title_ = new_format();
    format_set_bold(title_);
    format_set_font_size(title_, 14);
    for (int vip = 0; vip < 2; ++vip) {
      for (std::size_t kind = 0; kind < kKindCount; ++kind) {
        const char* number_format = nullptr;
        switch (static_cast<Kind>(kind)) {
          case Kind::Money:
            number_format = "$#,##0.00";
            break;
          case Kind::Date:
            number_format = "yyyy-mm-dd";
            break;
          case Kind::Percent:
            number_format = "0.0%";
            break;
          case Kind::Text:
          case Kind::Integer:
          case Kind::Decimal:
            break;
        }
        // Plain cells of a plain row need no format at all (Excel's General).
        if (number_format == nullptr && vip == 0) {
          continue;
        }
        lxw_format* format = new_format();
        if (number_format != nullptr) {
          format_set_num_format(format, number_format);
        }
        if (static_cast<Kind>(kind) == Kind::Date) {
          // Centred, a date keeps clear of a right-aligned number or left-aligned text beside it.
          format_set_align(format, LXW_ALIGN_CENTER);
        }
        if (vip != 0) {
          format_set_bg_color(format, kVipFill);
        }
        cells_[vip][kind] = format;
      }
    }
    std::string fixed = "0.";
    for (int decimals = 1; decimals <= kMaxFixedDecimals; ++decimals) {
      fixed.push_back('0');
      fixed_[decimals] = new_format();
      format_set_num_format(fixed_[decimals], fixed.c_str());
    }
  }

  /// Adds the next sheet (sheets appear in the order they are added).
  lxw_worksheet* add_sheet(const std::string& name) {
    lxw_worksheet* sheet = workbook_add_worksheet(workbook_.get(), name.c_str());
    if (sheet == nullptr) {
      // libxlsxwriter gives no error code here; a valid, unique name leaves only a failed
      // allocation or temp file.
      throw Error(ErrorKind::Output, fmt::format("{}: cannot add sheet \"{}\": {}", path_, name,
                                                 lxw_strerror(LXW_ERROR_CREATING_TMPFILE)));
    }
    return sheet;
  }

  lxw_format* cell_format(Kind kind, bool vip) const noexcept {
    return cells_[vip ? 1 : 0][static_cast<std::size_t>(kind)];
  }
  /// "0.00" for decimals = 2: a number that keeps showing the digits its text had.
  lxw_format* fixed_format(int decimals) const noexcept { return fixed_[decimals]; }
  lxw_format* header_format() const noexcept { return header_; }
  lxw_format* title_format() const noexcept { return title_; }
  const std::string& path() const noexcept { return path_; }

  /// Writes the file. workbook_close frees the workbook whatever it returns.
  void close() {
    const lxw_error error = workbook_close(workbook_.release());
    check(error, "cannot write the workbook");
  }

  void check(lxw_error error, std::string_view what) const {
    if (error != LXW_NO_ERROR) {
      throw Error(ErrorKind::Output, fmt::format("{}: {}: {}", path_, what, lxw_strerror(error)));
    }
  }

 private:
  lxw_format* new_format() {
    lxw_format* format = workbook_add_format(workbook_.get());
    if (format == nullptr) {
      check(LXW_ERROR_MEMORY_MALLOC_FAILED, "cannot add a cell format");
    }
    return format;
  }

  std::string path_;
  std::string tmpdir_;
  std::unique_ptr<lxw_workbook, WorkbookFree> workbook_;
  lxw_format* header_ = nullptr;
  lxw_format* title_ = nullptr;
  lxw_format* cells_[2][kKindCount] = {};
  lxw_format* fixed_[kMaxFixedDecimals + 1] = {};
};

/// One worksheet being filled row by row (constant-memory mode: rows strictly in order).
class Sheet {
 public:
  Sheet(const Workbook& book, lxw_worksheet* sheet, std::string name)
      : book_(book), sheet_(sheet), name_(std::move(name)) {}

  void text(lxw_row_t row, lxw_col_t col, std::string_view value, bool vip) {
    text_with(row, col, value, book_.cell_format(Kind::Text, vip));
  }
  void text_with(lxw_row_t row, lxw_col_t col, std::string_view value, lxw_format* format) {
    // The C API wants a NUL-terminated string; a NUL inside would cut the value silently.
    if (value.find('\0') != std::string_view::npos) {
      fail(row, col, "text holds a NUL byte, which XLSX cannot store");
    }
    scratch_.assign(value);
    // worksheet_write_string always stores a string cell, never a formula: "=1+1" stays text.
    check(worksheet_write_string(sheet_, row, col, scratch_.c_str(), format), row, col);
  }
  void number(lxw_row_t row, lxw_col_t col, double value, Kind kind, bool vip) {
    number_with(row, col, value, book_.cell_format(kind, vip));
  }
  void number_with(lxw_row_t row, lxw_col_t col, double value, lxw_format* format) {
    check(worksheet_write_number(sheet_, row, col, value, format), row, col);
  }
  void integer(lxw_row_t row, lxw_col_t col, std::int64_t value, bool vip) {
    // Exact up to 2^53, far above any count or day number we store.
    number(row, col, static_cast<double>(value), Kind::Integer, vip);
  }
  void money(lxw_row_t row, lxw_col_t col, Money value, bool vip) {
    number(row, col, money_value(value), Kind::Money, vip);
  }
  void date(lxw_row_t row, lxw_col_t col, Date value, bool vip) {
    if (const auto serial = excel_serial(value)) {
      number(row, col, *serial, Kind::Date, vip);
    } else {
      text(row, col, format_date(value), vip);
    }
  }
  /// An empty cell; in a highlighted row it still carries the fill, so the band is unbroken.
  void blank(lxw_row_t row, lxw_col_t col, bool vip) {
    if (vip) {
      check(worksheet_write_blank(sheet_, row, col, book_.cell_format(Kind::Text, true)), row, col);
    }
  }

  /// The header row at `row`, frozen below, with widths and an autofilter down to last_row.
  void header(lxw_row_t row, std::span<const Column> columns, lxw_row_t last_row) {
    for (std::size_t c = 0; c < columns.size(); ++c) {
      const auto col = static_cast<lxw_col_t>(c);
      text_with(row, col, columns[c].header, book_.header_format());
      book_.check(
          worksheet_set_column(
              sheet_, col, col,
              column_width(text_display_width(columns[c].header), columns[c].value_chars), nullptr),
          fmt::format("sheet \"{}\": cannot set a column width", name_));
    }
    worksheet_freeze_panes(sheet_, row + 1, 0);
    // On paper: landscape, one page wide, the header repeated on every page (a wide sales sheet
    // would otherwise print five columns per page).
    worksheet_set_landscape(sheet_);
    worksheet_fit_to_pages(sheet_, 1, 0);
    book_.check(worksheet_repeat_rows(sheet_, 0, row),
                fmt::format("sheet \"{}\": cannot repeat the header rows", name_));
    const auto last_col = static_cast<lxw_col_t>(columns.size() - 1);
    book_.check(worksheet_autofilter(sheet_, row, 0, last_row, last_col),
                fmt::format("sheet \"{}\": cannot set the autofilter", name_));
  }

 private:
  void check(lxw_error error, lxw_row_t row, lxw_col_t col) const {
    if (error != LXW_NO_ERROR) {
      fail(row, col, lxw_strerror(error));
    }
  }
  [[noreturn]] void fail(lxw_row_t row, lxw_col_t col, std::string_view what) const {
    throw Error(ErrorKind::Output, fmt::format("{}: sheet \"{}\" cell {}: {}", book_.path(), name_,
                                               cell_name(row, col), what));
  }

  const Workbook& book_;
  lxw_worksheet* sheet_;
  std::string name_;
  std::string scratch_;
};

/// How many sheets a table of `rows` rows takes (at least one, for the header).
std::size_t sheets_for(std::size_t rows, const XlsxOptions& options) noexcept {
  return std::max<std::size_t>(
      1, (rows + options.max_rows_per_sheet - 1) / options.max_rows_per_sheet);
}

/// Checks, before anything is written, that a table fits the sheets and columns allowed.
void check_fits(const fs::path& path, const std::string& name, std::size_t rows,
                std::size_t columns, const XlsxOptions& options) {
  if (columns > kMaxColumns) {
    throw Error(ErrorKind::Output,
                fmt::format("{}: sheet \"{}\" would need {} columns; a worksheet holds at most {}",
                            path.string(), name, columns, kMaxColumns));
  }
  const std::size_t sheets = sheets_for(rows, options);
  if (sheets > options.max_sheets_per_table) {
    throw Error(ErrorKind::Output,
                fmt::format("{}: {} rows need {} \"{}\" sheets of {} rows; at most {} are "
                            "allowed (max_sheets_per_table)",
                            path.string(), rows, sheets, name, options.max_rows_per_sheet,
                            options.max_sheets_per_table));
  }
}

/// Writes a table of `rows` rows on as many sheets as it needs ("Sales", "Sales 2", ...), each
/// with its own header. write_row(sheet, excel_row, data_row) writes one row. check_fits has
/// passed for the table.
template <typename WriteRow>
void write_table(Workbook& book, const std::string& name, std::span<const Column> columns,
                 std::size_t rows, const XlsxOptions& options, WriteRow write_row) {
  const std::size_t per_sheet = options.max_rows_per_sheet;
  const std::size_t sheets = sheets_for(rows, options);
  for (std::size_t s = 0; s < sheets; ++s) {
    std::string sheet_name = s == 0 ? name : fmt::format("{} {}", name, s + 1);
    lxw_worksheet* worksheet = book.add_sheet(sheet_name);
    Sheet sheet(book, worksheet, std::move(sheet_name));
    const std::size_t first = s * per_sheet;
    const std::size_t count = std::min(per_sheet, rows - std::min(rows, first));
    sheet.header(0, columns, static_cast<lxw_row_t>(count));
    for (std::size_t i = 0; i < count; ++i) {
      write_row(sheet, static_cast<lxw_row_t>(i + 1), first + i);
    }
  }
}

[[noreturn]] void inconsistent(std::string_view what) {
  throw Error(ErrorKind::Internal, fmt::format("XLSX export: {}", what));
}

/// Widest text of a string column.
std::size_t widest(const StringColumn& column) {
  std::size_t chars = 0;
  for (std::size_t i = 0; i < column.size(); ++i) {
    chars = std::max(chars, text_display_width(column[i]));
  }
  return chars;
}

/// Tracks the smallest and largest value of an integer-like column: the widest display is at one
/// of them, so the pre-pass does not format every value.
struct Range {
  std::int64_t low = 0;
  std::int64_t high = 0;
  bool any = false;
  void add(std::int64_t value) noexcept {
    low = any ? std::min(low, value) : value;
    high = any ? std::max(high, value) : value;
    any = true;
  }
  std::size_t money_chars() const noexcept {
    return any ? std::max(money_display_width(Money{low}), money_display_width(Money{high})) : 0;
  }
  std::size_t integer_chars() const noexcept {
    return any ? std::max(integer_display_width(low), integer_display_width(high)) : 0;
  }
};

/// Characters of a double shown in the currency format (the Customers' average transaction).
std::size_t money_chars(double value) noexcept {
  if (!std::isfinite(value) || std::fabs(value) >= 9e14) {
    return 20;
  }
  return money_display_width(Money{std::llround(value * static_cast<double>(Money::kScale))});
}

// ---- Sales ---------------------------------------------------------------------------------

void check_sales(const ExportData& data) {
  const SalesTable& sales = *data.sales;
  const std::size_t n = sales.size();
  if (sales.sale_id.size() != n || sales.customer.size() != n || sales.sale_price.size() != n ||
      sales.quantity.size() != n || sales.sale_date.size() != n ||
      sales.total_revenue.size() != n || sales.has_review.size() != n ||
      sales.sentiment.size() != n || sales.review_date.size() != n) {
    inconsistent("the sales table's columns differ in length");
  }
  if (sales.extra.values.size() != sales.extra.names.size()) {
    inconsistent("the sales table has extra column names without values");
  }
  for (const StringColumn& values : sales.extra.values) {
    if (values.size() != n) {
      inconsistent("an extra column of the sales table differs in length");
    }
  }
  if (!data.segment_of_customer.empty() &&
      data.segment_of_customer.size() != sales.customers.size()) {
    inconsistent(fmt::format("{} segments for {} customer codes", data.segment_of_customer.size(),
                             sales.customers.size()));
  }
  for (std::size_t r = 0; r < n; ++r) {
    if (sales.product[r] >= sales.products.size() || sales.customer[r] >= sales.customers.size()) {
      inconsistent(fmt::format("sale {} has an id code outside its dictionary", r));
    }
  }
}

std::vector<Column> sales_columns(const ExportData& data) {
  std::vector<Column> columns = {
      {"sale_id", Kind::Text},        {"product_id", Kind::Text},
      {"customer_id", Kind::Text},    {"sale_price", Kind::Money},
      {"quantity", Kind::Integer},    {"sale_date", Kind::Date},
      {"total_revenue", Kind::Money}, {"sentiment_score", Kind::Decimal},
      {"review_date", Kind::Date},    {"segment", Kind::Text},
  };
  if (data.sales == nullptr) {
    return columns;
  }
  const SalesTable& sales = *data.sales;
  for (const std::string& name : sales.extra.names) {
    columns.push_back({name, Kind::Text});
  }
  columns[0].value_chars = widest(sales.sale_id);
  columns[1].value_chars = widest(sales.products.names);
  columns[2].value_chars = widest(sales.customers.names);
  Range price;
  Range quantity;
  Range revenue;
  std::size_t sentiment_chars = 0;
  for (std::size_t r = 0; r < sales.size(); ++r) {
    price.add(sales.sale_price[r].units);
    quantity.add(sales.quantity[r]);
    revenue.add(sales.total_revenue[r].units);
    if (sales.has_review[r] != 0 && sentiment_chars < 11) {
      sentiment_chars = std::max(sentiment_chars, decimal_display_width(sales.sentiment[r]));
    }
  }
  columns[3].value_chars = price.money_chars();
  columns[4].value_chars = quantity.integer_chars();
  columns[5].value_chars = 10;
  columns[6].value_chars = revenue.money_chars();
  columns[7].value_chars = sentiment_chars;
  columns[8].value_chars = 10;
  for (const std::string& segment : data.segment_of_customer) {
    columns[9].value_chars = std::max(columns[9].value_chars, text_display_width(segment));
  }
  for (std::size_t e = 0; e < sales.extra.values.size(); ++e) {
    columns[kSalesFixedColumns + e].value_chars = widest(sales.extra.values[e]);
  }
  return columns;
}

void write_sales(Workbook& book, const ExportData& data, const XlsxOptions& options) {
  const std::vector<Column> columns = sales_columns(data);
  if (data.sales == nullptr) {
    write_table(book, "Sales", columns, 0, options, [](Sheet&, lxw_row_t, std::size_t) {});
    return;
  }
  const SalesTable& sales = *data.sales;
  // By customer code: does this customer's row get the highlight?
  std::vector<std::uint8_t> vip(sales.customers.size(), 0);
  for (std::size_t c = 0; c < data.segment_of_customer.size(); ++c) {
    vip[c] = !options.vip_segment.empty() && data.segment_of_customer[c] == options.vip_segment;
  }
  write_table(book, "Sales", columns, sales.size(), options,
              [&](Sheet& sheet, lxw_row_t row, std::size_t r) {
                const std::uint32_t customer = sales.customer[r];
                const bool highlighted = vip[customer] != 0;
                sheet.text(row, 0, sales.sale_id[r], highlighted);
                sheet.text(row, 1, sales.products.name(sales.product[r]), highlighted);
                sheet.text(row, 2, sales.customers.name(customer), highlighted);
                sheet.money(row, 3, sales.sale_price[r], highlighted);
                sheet.integer(row, 4, sales.quantity[r], highlighted);
                sheet.date(row, 5, sales.sale_date[r], highlighted);
                sheet.money(row, 6, sales.total_revenue[r], highlighted);
                if (sales.has_review[r] != 0) {
                  sheet.number(row, 7, sales.sentiment[r], Kind::Decimal, highlighted);
                  sheet.date(row, 8, sales.review_date[r], highlighted);
                } else {
                  sheet.blank(row, 7, highlighted);
                  sheet.blank(row, 8, highlighted);
                }
                if (data.segment_of_customer.empty()) {
                  sheet.blank(row, 9, highlighted);
                } else {
                  sheet.text(row, 9, data.segment_of_customer[customer], highlighted);
                }
                for (std::size_t e = 0; e < sales.extra.values.size(); ++e) {
                  sheet.text(row, static_cast<lxw_col_t>(kSalesFixedColumns + e),
                             sales.extra.values[e][r], highlighted);
                }
              });
}

// ---- Customers -----------------------------------------------------------------------------

void write_customers(Workbook& book, const ExportData& data, const XlsxOptions& options) {
  const ExportCustomers& customers = data.customers;
  const std::size_t n = customers.size();
  if (customers.segment.size() != n || customers.total_purchase_amount.size() != n ||
      customers.purchase_frequency.size() != n || customers.avg_transaction_value.size() != n ||
      customers.recency_days.size() != n || customers.cluster.size() != n) {
    inconsistent("the customer table's columns differ in length");
  }
  std::vector<Column> columns = {
      {"customer_id", Kind::Text, widest(customers.customer_id)},
      {"segment", Kind::Text, widest(customers.segment)},
      {"total_purchase_amount", Kind::Money},
      {"purchase_frequency", Kind::Integer},
      {"avg_transaction_value", Kind::Money},
      {"recency_days", Kind::Integer},
      {"cluster", Kind::Integer},
  };
  Range total;
  Range frequency;
  Range recency;
  Range cluster;
  for (std::size_t r = 0; r < n; ++r) {
    total.add(customers.total_purchase_amount[r].units);
    frequency.add(customers.purchase_frequency[r]);
    columns[4].value_chars =
        std::max(columns[4].value_chars, money_chars(customers.avg_transaction_value[r]));
    recency.add(customers.recency_days[r]);
    cluster.add(customers.cluster[r]);
  }
  columns[2].value_chars = total.money_chars();
  columns[3].value_chars = frequency.integer_chars();
  columns[5].value_chars = recency.integer_chars();
  columns[6].value_chars = cluster.integer_chars();
  write_table(
      book, "Customers", columns, n, options, [&](Sheet& sheet, lxw_row_t row, std::size_t r) {
        const std::string_view segment = customers.segment[r];
        const bool highlighted = !options.vip_segment.empty() && segment == options.vip_segment;
        sheet.text(row, 0, customers.customer_id[r], highlighted);
        sheet.text(row, 1, segment, highlighted);
        sheet.money(row, 2, customers.total_purchase_amount[r], highlighted);
        sheet.integer(row, 3, customers.purchase_frequency[r], highlighted);
        sheet.number(row, 4, customers.avg_transaction_value[r], Kind::Money, highlighted);
        sheet.integer(row, 5, customers.recency_days[r], highlighted);
        sheet.integer(row, 6, customers.cluster[r], highlighted);
      });
}

// ---- Summary -------------------------------------------------------------------------------

/// How a plain number of a Summary column is shown, from the column's name.
Kind summary_number_kind(std::string_view header) {
  if (header.find("revenue") != std::string_view::npos || header == "change") {
    return Kind::Money;
  }
  if (header == "share") {
    return Kind::Percent;
  }
  return Kind::Decimal;
}

bool is_id_column(std::string_view header) {
  return header == "id" || (header.size() > 3 && header.substr(header.size() - 3) == "_id");
}

/// A Summary cell resolved to what is written: kind, value, and how wide it shows.
struct SummaryValue {
  Kind kind = Kind::Text;
  double number = 0.0;
  std::size_t chars = 0;
  int decimals = 0;  ///< of a plain number, as its text had them
};

SummaryValue summary_value(std::string_view header, std::string_view text) {
  const SummaryCell cell =
      is_id_column(header) ? SummaryCell{SummaryKind::Text, 0.0, 0} : parse_summary_cell(text);
  switch (cell.kind) {
    case SummaryKind::Blank:
    case SummaryKind::Text:
      break;
    case SummaryKind::Money:
      return {Kind::Money, cell.value, money_chars(cell.value), cell.decimals};
    case SummaryKind::Percent:
      return {Kind::Percent, cell.value, text_display_width(text) + 1, cell.decimals};
    case SummaryKind::Number: {
      const Kind kind = summary_number_kind(header);
      const std::size_t chars =
          kind == Kind::Money ? money_chars(cell.value) : text_display_width(text) + 1;
      return {kind, cell.value, chars, cell.decimals};
    }
  }
  return {Kind::Text, 0.0, text_display_width(text), 0};
}

/// Columns of the Summary sheet: the header's or the longest row's, and at least one.
std::size_t summary_width(const ExportData& data) noexcept {
  std::size_t width = std::max<std::size_t>(data.top_products_header.size(), 1);
  for (const auto& row : data.top_products_rows) {
    width = std::max(width, row.size());
  }
  return width;
}

void write_summary(Workbook& book, const ExportData& data) {
  const auto& header = data.top_products_header;
  const auto& rows = data.top_products_rows;
  std::vector<Column> columns(summary_width(data));
  for (std::size_t c = 0; c < header.size(); ++c) {
    columns[c].header = header[c];
  }
  for (const auto& row : rows) {
    for (std::size_t c = 0; c < row.size(); ++c) {
      columns[c].value_chars =
          std::max(columns[c].value_chars, summary_value(columns[c].header, row[c]).chars);
    }
  }
  Sheet sheet(book, book.add_sheet("Summary"), "Summary");
  const std::string title = data.period_label.empty()
                                ? std::string("Top products")
                                : fmt::format("Top products, {}", data.period_label);
  sheet.text_with(0, 0, title, book.title_format());
  sheet.header(1, columns, static_cast<lxw_row_t>(1 + rows.size()));
  for (std::size_t r = 0; r < rows.size(); ++r) {
    const auto row = static_cast<lxw_row_t>(2 + r);
    for (std::size_t c = 0; c < rows[r].size(); ++c) {
      const auto col = static_cast<lxw_col_t>(c);
      const SummaryValue value = summary_value(columns[c].header, rows[r][c]);
      if (value.kind == Kind::Text) {
        sheet.text(row, col, rows[r][c], false);
      } else if (value.kind == Kind::Decimal && value.decimals > 0 &&
                 value.decimals <= kMaxFixedDecimals) {
        sheet.number_with(row, col, value.number, book.fixed_format(value.decimals));
      } else {
        sheet.number(row, col, value.number, value.kind, false);
      }
    }
  }
}

bool same_time(const std::tm& a, const std::tm& b) noexcept {
  return a.tm_year == b.tm_year && a.tm_mon == b.tm_mon && a.tm_mday == b.tm_mday &&
         a.tm_hour == b.tm_hour && a.tm_min == b.tm_min && a.tm_sec == b.tm_sec;
}

}  // namespace

std::tm default_creation_time() noexcept {
  std::tm time{};
  time.tm_year = 2023 - 1900;
  time.tm_mon = 0;
  time.tm_mday = 1;
  return time;
}

void XlsxOptions::validate() const {
  if (max_rows_per_sheet == 0 || max_rows_per_sheet > kMaxDataRowsPerSheet) {
    throw Error(ErrorKind::Usage,
                fmt::format("xlsx: max_rows_per_sheet must be between 1 and {}, got {}",
                            kMaxDataRowsPerSheet, max_rows_per_sheet));
  }
  if (max_sheets_per_table == 0) {
    throw Error(ErrorKind::Usage, "xlsx: max_sheets_per_table must be at least 1, got 0");
  }
  std::tm normalized = creation_time;
  const std::time_t seconds = ::timegm(&normalized);
  // timegm quietly turns 2023-13-01 into 2024-01-01; a time that changes is not a valid one.
  if (seconds == -1 || !same_time(normalized, creation_time)) {
    throw Error(ErrorKind::Usage, "xlsx: creation_time is not a valid date and time");
  }
  if (seconds <= 0 || creation_time.tm_year + 1900 > 9999) {
    throw Error(ErrorKind::Usage,
                fmt::format("xlsx: creation_time must be after 1970-01-01 00:00:00 and before "
                            "year 10000, got year {}",
                            creation_time.tm_year + 1900));
  }
}

void write_xlsx(const fs::path& path, const ExportData& data, const XlsxOptions& options) {
  options.validate();
  // Everything that can be known before writing is checked before the file is created.
  std::size_t sales_rows = 0;
  std::size_t extra_columns = 0;
  if (data.sales != nullptr) {
    check_sales(data);
    sales_rows = data.sales->size();
    extra_columns = data.sales->extra.names.size();
  }
  check_fits(path, "Sales", sales_rows, kSalesFixedColumns + extra_columns, options);
  check_fits(path, "Customers", data.customers.size(), 7, options);
  check_fits(path, "Summary", 1, summary_width(data), options);
  check_creatable(path);
  Workbook book(path, options);
  write_sales(book, data, options);
  write_customers(book, data, options);
  write_summary(book, data);
  book.close();
}

}  // namespace salespipe::io::xlsx
