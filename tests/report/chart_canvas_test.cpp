// Painter's text layout helpers, measured with the real fonts on a scratch surface.
#include "report/chart_canvas.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace salespipe::report::detail {
namespace {

constexpr double kSize = 16.0;
constexpr std::string_view kNote =
    "20 of 20 VIP customers, highest total spend first. Spend and purchases are over all loaded "
    "sales; days are counted back from the latest sale.";

/// wrap() at kSize, with each line's width.
struct Wrapped {
  std::vector<std::string> lines;
  std::vector<double> widths;
};

Wrapped wrap(std::string_view text, double max_width, std::size_t max_lines) {
  const Fonts fonts;
  Wrapped out;
  with_scratch_painter(fonts, [&](Painter& p) {
    p.font(kSize);
    out.lines = p.wrap(std::string(text), max_width, max_lines);
    for (const auto& line : out.lines) {
      out.widths.push_back(p.text_width(line));
    }
  });
  return out;
}

std::string joined(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& line : lines) {
    out += out.empty() ? "" : " ";
    out += line;
  }
  return out;
}

TEST(PainterWrap, TextThatFitsIsOneLine) {
  const Wrapped wrapped = wrap("Highest total spend first", 800, 3);
  EXPECT_EQ(wrapped.lines, std::vector<std::string>{"Highest total spend first"});
}

TEST(PainterWrap, BreaksBetweenWordsAndKeepsEveryWord) {
  const Wrapped wrapped = wrap(kNote, 500, 3);
  ASSERT_EQ(wrapped.lines.size(), 3u);
  EXPECT_EQ(joined(wrapped.lines), kNote);
  for (std::size_t i = 0; i < wrapped.lines.size(); ++i) {
    EXPECT_LE(wrapped.widths[i], 500) << wrapped.lines[i];
    EXPECT_NE(wrapped.lines[i].front(), ' ');
    EXPECT_NE(wrapped.lines[i].back(), ' ');
  }
}

TEST(PainterWrap, TextLeftOverAfterTheLastLineIsCutWithAnEllipsis) {
  const Wrapped wrapped = wrap(kNote, 300, 2);
  ASSERT_EQ(wrapped.lines.size(), 2u);
  EXPECT_EQ(kNote.rfind(wrapped.lines[0], 0), 0u);
  EXPECT_EQ(wrapped.lines[1].substr(wrapped.lines[1].size() - 3), "\xE2\x80\xA6");
  EXPECT_LE(wrapped.widths[1], 300);
}

TEST(PainterWrap, AWordWiderThanTheLineGetsALineOfItsOwnCut) {
  const std::string word(60, 'W');
  const Wrapped wrapped = wrap("Customer " + word + " spend", 200, 3);
  ASSERT_EQ(wrapped.lines.size(), 3u);
  EXPECT_EQ(wrapped.lines[0], "Customer");
  EXPECT_EQ(wrapped.lines[1].substr(wrapped.lines[1].size() - 3), "\xE2\x80\xA6");
  EXPECT_LE(wrapped.widths[1], 200);
  EXPECT_EQ(wrapped.lines[2], "spend");
}

TEST(PainterWrap, EmptyTextOrOnlySpacesIsNoLine) {
  EXPECT_TRUE(wrap("", 300, 3).lines.empty());
  EXPECT_TRUE(wrap("   ", 300, 3).lines.empty());
}

}  // namespace
}  // namespace salespipe::report::detail
