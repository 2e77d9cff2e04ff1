#pragma once

#include <cstddef>
#include <ctime>
#include <filesystem>
#include <string>

#include "core/export_tables.hpp"

namespace salespipe::io::xlsx {

/// Excel's last row is 1,048,576; the first row of each sheet is the header.
inline constexpr std::size_t kMaxDataRowsPerSheet = 1'048'575;

/// The default document creation time: 2023-01-01 00:00:00 UTC. Any fixed time will do; it only
/// has to be the same on every run so two runs give byte-identical files.
std::tm default_creation_time() noexcept;

/// How to write the workbook. Designated initializers at call sites:
/// `write_xlsx(path, data, {.max_rows_per_sheet = 3})`.
struct XlsxOptions {
  /// Data rows per sheet; a table with more continues on "Sales 2", "Sales 3", ...
  std::size_t max_rows_per_sheet = kMaxDataRowsPerSheet;
  /// At most this many sheets per table. In constant-memory mode libxlsxwriter keeps one open
  /// temp file per sheet until the workbook is written, so the count is bounded by open files.
  std::size_t max_sheets_per_table = 200;
  /// The document's created and modified time, in UTC; it must be after 1970-01-01 00:00:00
  /// (libxlsxwriter writes the current time when given the epoch itself).
  std::tm creation_time = default_creation_time();
  /// Rows of customers in this segment get a light fill. The pipeline passes the top tier's name
  /// (segment::Options::names()[0]); empty highlights nothing.
  std::string vip_segment = "VIP";

  /// Throws Error{Usage} naming the first bad setting.
  void validate() const;
};

/// Writes the export workbook to `path`, a temp path in the final folder given by the caller,
/// who renames it into place (and removes it when this throws). libxlsxwriter's own temp files
/// are created in the same folder and unlinked as soon as they are opened, so none are left
/// behind even when the process is killed.
///
/// Sheets, in this order:
/// - "Sales" (then "Sales 2", ... above max_rows_per_sheet rows): every sale of data.sales in
///   table order: sale_id, product_id, customer_id, sale_price, quantity, sale_date,
///   total_revenue, sentiment_score, review_date, segment, then the extra input columns. A sale
///   without a review has blank sentiment_score and review_date. Only the header when
///   data.sales is null.
/// - "Customers" (split the same way): customer_id, segment, total_purchase_amount,
///   purchase_frequency, avg_transaction_value, recency_days, cluster.
/// - "Summary" (never split): the title "Top products, <period_label>", then
///   top_products_header and the rows. A value that reads as a number ("12", "-12.50",
///   "$1,234.50", "35.2%") is stored as a number: dollars in the currency format, percentages in
///   "0.0%", plain numbers showing the decimals their text had ("-12.50" in "0.00"). A plain
///   number in a column named like *revenue* or "change" gets the currency format, one in "share"
///   the percent format; columns named "id" or *_id are always text.
///
/// Every sheet has a bold header row frozen in place, an autofilter over header and data, column
/// widths from a pre-pass over the values (capped at kMaxColumnChars), and a landscape page setup
/// one page wide with the header repeated on each printed page. Rows of customers in
/// options.vip_segment get a light fill on every cell, blanks included. Money is a number in
/// the format "$#,##0.00", dates are Excel dates in "yyyy-mm-dd" (a date before 1900, which
/// Excel cannot hold, is its ISO text), other numbers are numbers. Text is always stored as a
/// string, never as a formula, so "=1+1" shows as "=1+1" (DESIGN.md section 11.5) with no quote
/// prefix added. The workbook is written in constant-memory mode (rows go out in order, memory
/// does not grow with rows) with ZIP64; the creation time is fixed and libxlsxwriter stamps every
/// zip entry 1980-01-01 00:00, so equal data and options give byte-identical files. While it
/// writes, the folder needs free space of about twice the uncompressed sheet XML (measured: 0.97
/// GB for 1M sales with two short extra columns, for a 69 MB file).
///
/// Throws Error{Usage} for bad options, Error{Internal} when the columns of data disagree in
/// length or an id code or segment list does not match its dictionary, and Error{Output} when the
/// file cannot be created or written, when the data needs more sheets or columns than allowed, or
/// when a text value holds a NUL byte or more than 32,767 characters (Excel's cell limit; nothing
/// is cut silently). Output messages start with the path, name the cell when one is at fault, and
/// carry libxlsxwriter's own error text. Everything that can be checked before writing (options,
/// data, sheet and column counts, the path) is checked before the file is created. libxlsxwriter
/// prints its own line to stderr when writing the finished package fails (a full disk, say);
/// nothing can turn that off in 1.1.4.
void write_xlsx(const std::filesystem::path& path, const ExportData& data,
                const XlsxOptions& options = {});

}  // namespace salespipe::io::xlsx
