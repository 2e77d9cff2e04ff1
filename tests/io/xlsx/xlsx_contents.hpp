#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "testing/testing.hpp"

// Reading a written workbook back for tests: the package is unpacked with the `unzip` tool and
// its XML parts are searched as text. Enough for the simple, regular XML libxlsxwriter writes;
// not a general XML parser.
namespace salespipe::io::xlsx::testing {

/// Every element <tag ...>...</tag> or <tag .../> in xml, in document order (not nested ones of
/// the same tag).
std::vector<std::string> elements(std::string_view xml, std::string_view tag);
/// The first element <tag ...> of xml, or "" when there is none.
std::string element(std::string_view xml, std::string_view tag);
/// The value of attribute name="..." in the start tag of element, or "" when absent.
std::string attribute(std::string_view element, std::string_view name);
/// The text between the start and end tags of the first <tag> in xml.
std::string inner_text(std::string_view xml, std::string_view tag);

/// An unpacked .xlsx file.
class Xlsx {
 public:
  /// Unpacks the file; fails the current test when unzip fails.
  explicit Xlsx(const std::filesystem::path& file);

  /// The bytes of one part, e.g. "xl/workbook.xml"; "" (and a test failure) when it is missing.
  std::string part(std::string_view name) const;
  /// The part names, sorted.
  std::vector<std::string> parts() const;
  /// Sheet names in workbook order.
  std::vector<std::string> sheet_names() const;
  /// The XML of the sheet with this name.
  std::string sheet(std::string_view name) const;
  std::string styles() const { return part("xl/styles.xml"); }

 private:
  salespipe::testing::TempDir dir_;
};

/// The <c> element of a cell ("B2") in sheet XML, or "" when the cell is not written.
std::string cell(std::string_view sheet_xml, std::string_view reference);
/// What the cell shows as stored: the inline string's text, or the <v> value.
std::string cell_value(std::string_view cell_xml);
/// Number of <row> elements of a sheet.
std::size_t row_count(std::string_view sheet_xml);

/// The style of a cell: its format code ("General" when none), whether its font is bold, its
/// fill's foreground colour ("" when it has none) and its horizontal alignment ("" by default).
struct CellStyle {
  std::string number_format;
  bool bold = false;
  std::string fill_rgb;
  std::string horizontal;
};
CellStyle cell_style(std::string_view styles_xml, std::string_view cell_xml);

/// The width of column `column` (1-based) from the sheet's <cols>, or -1 when it is not set.
double column_width(std::string_view sheet_xml, int column);

/// Runs a shell command; returns its exit status (or -1 when it did not exit normally).
int run(const std::string& command);
/// Single-quotes text for the shell.
std::string shell_quote(std::string_view text);

}  // namespace salespipe::io::xlsx::testing
