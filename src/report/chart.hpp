#pragma once

// Chart drawing for the report: bar charts, line charts and table images, each drawn once
// through cairo and rendered to both PNG and SVG bytes. Nothing here knows about sales; the
// analyze stage fills these generic descriptions from its tables.

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace salespipe::report {

/// Turns a value into the text shown on a chart (a value label or an axis tick).
using ValueFormat = std::function<std::string(double)>;

/// The words around a chart. Empty strings are not drawn and take no space. Every text drawn
/// (these, categories, table cells) is cut at 4 KiB, made valid UTF-8 (bad bytes show as U+FFFD)
/// with control bytes as spaces, and cut with an ellipsis where it would not fit.
struct ChartText {
  std::string title;     ///< bold, top left
  std::string subtitle;  ///< grey, under the title
  std::string x_title;   ///< centred under the category labels
  std::string y_title;   ///< rotated, left of the tick labels
};

/// Vertical bars, one per category, from a zero baseline. Negative values hang below the
/// baseline in a second (muted red) colour; the y axis always includes 0.
///
/// Category labels (shared with LineChart) sit horizontally under their slot when they fit or
/// the slots are wide; otherwise they are turned 40 degrees (90 when slots are very narrow, then
/// only every n-th label is shown) and cut in the middle ("Wireless noi…model 103") so the end,
/// where similar names tend to differ, stays readable. No categories draws the frame with
/// "No data".
struct BarChart {
  ChartText text;
  std::vector<std::string> categories;
  std::vector<double> values;  ///< one per category, finite
  /// Labels above the bars; empty: format_number(value, 2). When a label is wider than its bar
  /// slot the tick format is tried, then a smaller font; labels that still do not fit are left
  /// out (the ticks and grid still give the value).
  ValueFormat format_value;
  /// Y axis ticks; empty: format_value when set, else plain numbers with the decimals the tick
  /// step needs ("2.5", "5", "7.5"). All-zero values get a single tick at 0.
  ValueFormat format_tick;
  int width = 1200;  ///< pixels (PNG) and user units (SVG)
  int height = 675;
};

/// A line through one point per category, with circle markers and value labels, on a fixed
/// y range (for example sentiment 1..5), with an optional dashed reference line.
struct LineChart {
  ChartText text;
  std::vector<std::string> categories;
  /// One per category; nullopt means "no data": no marker, the line breaks there and the slot
  /// says "no data".
  std::vector<std::optional<double>> values;
  /// The y axis runs from y_min to y_max. A value or reference line outside widens the axis to
  /// the nice ticks covering it (drawing is never clipped silently).
  double y_min = 0.0;
  double y_max = 1.0;
  std::optional<double> reference_line;
  /// Legend text of the reference line (e.g. "all-product average 3.21"); empty: the
  /// reference value through format_value.
  std::string reference_label;
  ValueFormat format_value;  ///< marker labels; empty: format_number(value, 2)
  ValueFormat format_tick;   ///< y axis ticks; empty: as BarChart::format_tick
  int width = 1200;
  int height = 675;
};

/// A table drawn as an image: bold header on a tinted band, zebra rows, highlighted rows,
/// columns sized from their text (a cell wider than the column cap is cut with an ellipsis).
struct TableImage {
  std::string title;     ///< bold, above the table; empty: none
  std::string subtitle;  ///< grey, under the title (e.g. "20 of 153 customers"); empty: none
  std::vector<std::string> headers;
  std::vector<std::vector<std::string>> rows;  ///< each row has headers.size() cells
  std::vector<bool> right_align;               ///< per column; empty: every column left aligned
  std::vector<bool> highlight_row;             ///< per row; empty: no highlighted row
  /// The image is at least this wide; spare width is shared among the columns.
  int min_width = 1000;
};

/// How the bytes are produced; the defaults suit a file on its own.
struct RenderOptions {
  /// Prepended to every id in the SVG (glyphs, clips, surfaces) and to every reference to one,
  /// so several SVGs can sit inline in one HTML page without their glyph ids clashing.
  /// Letters, digits, '-' and '_', starting with a letter; empty: ids as cairo names them.
  std::string svg_id_prefix;
};

/// One drawing in both formats. The bytes are whole files, ready to be written.
struct Rendered {
  std::string png;  ///< RGB PNG, width x height pixels, white background
  std::string svg;  ///< SVG 1.1, width x height user units, text as glyph outlines
  int width = 0;
  int height = 0;
};

/// The bar chart as PNG and SVG. Same input, same bytes (SVG ids are renumbered in order of
/// appearance, since cairo's own surface ids count across the process). Throws
/// Error(Internal) when categories and values differ in length, a value is not finite, the size
/// is outside 480x320..16384x16384 (or leaves no room for a plot under the titles), the font
/// "DejaVu Sans" is not installed, or cairo fails; exceptions from the formatters pass through.
Rendered render(const BarChart& chart, const RenderOptions& options = {});

/// The line chart as PNG and SVG; deterministic as render(BarChart). Throws Error(Internal) for
/// mismatched lengths, a non-finite value or reference line, y_min >= y_max (or not finite),
/// a size out of range, a missing font or a cairo failure.
Rendered render(const LineChart& chart, const RenderOptions& options = {});

/// The table as PNG and SVG; its height follows the rows, its width the text (at least
/// min_width); no rows draws the header over a "No rows" line. Throws Error(Internal) when there
/// are no headers, a row or right_align or highlight_row has the wrong length, the image would pass
/// 16384 pixels either way (cut the rows first), the font is missing or cairo fails.
Rendered render(const TableImage& table, const RenderOptions& options = {});

/// "Nice" axis ticks: equally spaced multiples of a step in {1, 2, 2.5, 5} x 10^n, the first
/// at or below min, the last at or above max; the number of intervals is as close to `target`
/// as possible, and among equally close steps the one covering the least beyond [min, max]
/// wins. min > max are swapped; min == max (or closer than rounding noise) widens the range to
/// include 0 ([0, 1] when both are 0). `target` is clamped to 1..100. Ticks are exact multiples
/// (0.3, not 0.30000000000000004) and never -0. Throws Error(Internal) when min or max is not
/// finite or beyond +-1e300.
std::vector<double> nice_ticks(double min, double max, int target = 5);

/// The value with `decimals` (0..9, clamped) digits after the point, rounded half away from
/// zero, with ',' between thousands and a leading '-' for negatives (never "-0.00"):
/// format_number(12345.678, 2) == "12,345.68". Rounding sees the binary value, so 1.005 (stored
/// as 1.00499...) gives "1.00"; print exact Money with format_money instead. Not finite: "n/a".
std::string format_number(double value, int decimals);

/// A money amount: format_currency(12345.6, 2) == "$12,345.60", format_currency(-5, 0) == "-$5".
/// Not finite: "n/a".
std::string format_currency(double value, int decimals = 0, std::string_view symbol = "$");

/// A short money amount for ticks and tight labels: below 1,000 whole amounts or cents
/// ("$950", "$0.50"); from 1,000 on three significant digits with k, M, B or T, trailing zeros
/// dropped ("$12.3k", "$10k", "$1.23M", "$2.5B"); 999,999 is "$1M", not "$1000k". Not finite:
/// "n/a".
std::string format_currency_compact(double value, std::string_view symbol = "$");

}  // namespace salespipe::report
