#include "io/xlsx/xlsx_contents.hpp"

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <algorithm>
#include <cstdlib>

namespace salespipe::io::xlsx::testing {
namespace fs = std::filesystem;

namespace {

/// Position of the next start tag <tag followed by a space, '>' or '/', from pos.
std::size_t find_start(std::string_view xml, std::string_view tag, std::size_t pos) {
  // Built by append: GCC 12 at -O3 gives a false -Wrestrict on "<" + std::string (PR 105329).
  std::string open("<");
  open.append(tag);
  while ((pos = xml.find(open, pos)) != std::string_view::npos) {
    const std::size_t after = pos + open.size();
    if (after < xml.size() && (xml[after] == ' ' || xml[after] == '>' || xml[after] == '/')) {
      return pos;
    }
    pos = after;
  }
  return std::string_view::npos;
}

/// End (one past) of the element starting at start.
std::size_t element_end(std::string_view xml, std::string_view tag, std::size_t start) {
  const std::size_t close = xml.find('>', start);
  if (close == std::string_view::npos) {
    return xml.size();
  }
  if (xml[close - 1] == '/') {
    return close + 1;
  }
  std::string end_tag("</");
  end_tag.append(tag).append(">");
  const std::size_t end = xml.find(end_tag, close);
  return end == std::string_view::npos ? xml.size() : end + end_tag.size();
}

}  // namespace

std::vector<std::string> elements(std::string_view xml, std::string_view tag) {
  std::vector<std::string> found;
  std::size_t pos = 0;
  while ((pos = find_start(xml, tag, pos)) != std::string_view::npos) {
    const std::size_t end = element_end(xml, tag, pos);
    found.emplace_back(xml.substr(pos, end - pos));
    pos = end;
  }
  return found;
}

std::string element(std::string_view xml, std::string_view tag) {
  const std::size_t pos = find_start(xml, tag, 0);
  if (pos == std::string_view::npos) {
    return "";
  }
  return std::string(xml.substr(pos, element_end(xml, tag, pos) - pos));
}

std::string attribute(std::string_view element_xml, std::string_view name) {
  const std::string_view start_tag = element_xml.substr(0, element_xml.find('>'));
  std::string key(" ");
  key.append(name).append("=\"");
  const std::size_t pos = start_tag.find(key);
  if (pos == std::string_view::npos) {
    return "";
  }
  const std::size_t begin = pos + key.size();
  return std::string(start_tag.substr(begin, start_tag.find('"', begin) - begin));
}

std::string inner_text(std::string_view xml, std::string_view tag) {
  const std::string found = element(xml, tag);
  const std::size_t open = found.find('>');
  const std::size_t close = found.rfind("</");
  if (open == std::string::npos || close == std::string::npos || close < open) {
    return "";
  }
  return found.substr(open + 1, close - open - 1);
}

int run(const std::string& command) {
  const int status = std::system(command.c_str());
  if (status == -1 || !WIFEXITED(status)) {
    return -1;
  }
  return WEXITSTATUS(status);
}

std::string shell_quote(std::string_view text) {
  std::string quoted = "'";
  for (const char c : text) {
    if (c == '\'') {
      quoted += "'\\''";
    } else {
      quoted.push_back(c);
    }
  }
  quoted.push_back('\'');
  return quoted;
}

Xlsx::Xlsx(const fs::path& file) {
  const int status =
      run("unzip -q -o " + shell_quote(file.string()) + " -d " + shell_quote(dir_.path().string()));
  EXPECT_EQ(status, 0) << "unzip failed on " << file;
}

std::string Xlsx::part(std::string_view name) const {
  const fs::path path = dir_.path() / name;
  if (!fs::exists(path)) {
    ADD_FAILURE() << "the package has no part " << name;
    return "";
  }
  return salespipe::testing::read_file(path);
}

std::vector<std::string> Xlsx::parts() const {
  std::vector<std::string> names;
  for (const auto& entry : fs::recursive_directory_iterator(dir_.path())) {
    if (entry.is_regular_file()) {
      names.push_back(fs::relative(entry.path(), dir_.path()).generic_string());
    }
  }
  std::sort(names.begin(), names.end());
  return names;
}

std::vector<std::string> Xlsx::sheet_names() const {
  std::vector<std::string> names;
  for (const std::string& sheet : elements(part("xl/workbook.xml"), "sheet")) {
    names.push_back(attribute(sheet, "name"));
  }
  return names;
}

std::string Xlsx::sheet(std::string_view name) const {
  // libxlsxwriter numbers the sheet parts in workbook order: sheet1.xml, sheet2.xml, ...
  const std::vector<std::string> names = sheet_names();
  const auto found = std::find(names.begin(), names.end(), name);
  if (found == names.end()) {
    ADD_FAILURE() << "no sheet named " << name;
    return "";
  }
  const auto index = static_cast<std::size_t>(found - names.begin()) + 1;
  std::string name_of_part("xl/worksheets/sheet");
  name_of_part.append(std::to_string(index)).append(".xml");
  return part(name_of_part);
}

std::string cell(std::string_view sheet_xml, std::string_view reference) {
  for (std::string& c : elements(sheet_xml, "c")) {
    if (attribute(c, "r") == reference) {
      return std::move(c);
    }
  }
  return "";
}

std::string cell_value(std::string_view cell_xml) {
  if (attribute(cell_xml, "t") == "inlineStr") {
    return inner_text(cell_xml, "t");
  }
  return inner_text(cell_xml, "v");
}

std::size_t row_count(std::string_view sheet_xml) { return elements(sheet_xml, "row").size(); }

CellStyle cell_style(std::string_view styles_xml, std::string_view cell_xml) {
  const std::string s = attribute(cell_xml, "s");
  const std::size_t index = s.empty() ? 0 : std::stoul(s);
  const auto xfs = elements(element(styles_xml, "cellXfs"), "xf");
  if (index >= xfs.size()) {
    ADD_FAILURE() << "style " << index << " is not in cellXfs";
    return {};
  }
  const std::string& xf = xfs[index];
  CellStyle style;
  const std::string format_id = attribute(xf, "numFmtId");
  style.number_format = "General";
  for (const std::string& format : elements(element(styles_xml, "numFmts"), "numFmt")) {
    if (attribute(format, "numFmtId") == format_id) {
      style.number_format = attribute(format, "formatCode");
    }
  }
  if (format_id != "0" && style.number_format == "General") {
    style.number_format = "builtin " + format_id;
  }
  const auto fonts = elements(element(styles_xml, "fonts"), "font");
  const std::size_t font = std::stoul(attribute(xf, "fontId"));
  style.bold = font < fonts.size() && fonts[font].find("<b/>") != std::string::npos;
  const auto fills = elements(element(styles_xml, "fills"), "fill");
  const std::size_t fill = std::stoul(attribute(xf, "fillId"));
  if (fill < fills.size()) {
    style.fill_rgb = attribute(element(fills[fill], "fgColor"), "rgb");
  }
  style.horizontal = attribute(element(xf, "alignment"), "horizontal");
  return style;
}

double column_width(std::string_view sheet_xml, int column) {
  for (const std::string& col : elements(element(sheet_xml, "cols"), "col")) {
    const int min = std::stoi(attribute(col, "min"));
    const int max = std::stoi(attribute(col, "max"));
    if (min <= column && column <= max) {
      return std::stod(attribute(col, "width"));
    }
  }
  return -1.0;
}

}  // namespace salespipe::io::xlsx::testing
