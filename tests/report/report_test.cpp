#include "report/report.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <functional>
#include <set>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "testing/testing.hpp"

namespace salespipe::report {
namespace {

// A small report with every section filled, the way the pipeline fills it.
ReportModel sample_model() {
  ReportModel model;
  model.title = "Sales report: 2023 Q1";
  model.business_question =
      "Which 3 products brought the most revenue in 2023 Q1, and how do customers rate them?";
  model.period = "2023 Q1 (1 Jan 2023 to 31 Mar 2023)";
  model.previous_period = "2022 Q4 (1 Oct 2022 to 31 Dec 2022)";
  model.headline = {{"Revenue", "$1,234.50", "12 sales in 2023 Q1"},
                    {"Top product", "P1", "$800.00, 64.8% of revenue"}};
  model.summary = {"In 2023 Q1, 12 sales of 3 products brought $1,234.50 in revenue.",
                   "P1 led with $800.00 (64.8% of revenue)."};
  TopProductsSection& top = model.top_products;
  top.heading = "Top 3 products by revenue";
  top.table.headers = {"Rank", "Product", "Revenue", "Avg sentiment"};
  top.table.numeric = {true, false, true, true};
  top.table.rows = {{"1", "P1", "$800.00", "4.50"},
                    {"2", "P2", "$300.00", "2.00"},
                    {"3", "P3", "$134.50", "n/a"}};
  top.product_ids = {"P1", "P2", "P3"};
  top.revenue = {800.0, 300.0, 134.5};
  top.avg_sentiment = {4.5, 2.0, std::nullopt};
  top.all_product_avg_sentiment = 3.25;
  top.revenue_chart_title = "Revenue by product, 2023 Q1";
  top.sentiment_chart_title = "Average sentiment by product";
  top.notes = {"Share of revenue: the product's part of all 2023 Q1 revenue."};
  model.insights = {{"Revenue is concentrated: P1 alone brought 64.8% of 2023 Q1 revenue.",
                     {{"share", "64.8%", ""}, {"revenue", "$800.00", ""}}}};
  model.recommendations = {"Reduce the dependence on P1: promote the next products (P2, P3)."};
  model.quality.overview = {{"Sales rows read", "15", ""}, {"Sales loaded", "12", "80.0%"}};
  model.quality.rejects.headers = {"Input", "Reason", "Rows", "Examples"};
  model.quality.rejects.numeric = {false, false, true, false};
  model.quality.rejects.rows = {{"Sales", "missing_price", "3", "line 4: (empty)"}};
  model.quality.missing.headers = {"Input", "Column", "Missing values"};
  model.quality.missing.numeric = {false, false, true};
  model.quality.dates.headers = {"Column", "How the date was read", "Values", "Examples"};
  model.quality.dates.numeric = {false, false, true, false};
  model.quality.dates.rows = {{"sale_date", "Unambiguous", "12", "15-01-2023 \u2192 2023-01-15"}};
  model.quality.notes = {"Quantity was empty on 2 loaded sales; they count as 1."};
  model.provenance.inputs.headers = {"Input", "File", "Size", "XXH3-128 fingerprint"};
  model.provenance.inputs.numeric = {false, false, true, false};
  model.provenance.inputs.rows = {
      {"Sales", "sales.csv", "120 bytes", "0123456789abcdef0123456789abcdef"}};
  model.provenance.parameters = {{"Period", "latest-quarter", ""}, {"Top products", "3", ""}};
  model.provenance.version = "salespipe 9.9.9";
  return model;
}

SegmentationSection sample_segmentation() {
  SegmentationSection s;
  s.summary = "K-Means grouped the 4 customers who bought into 2 segments.";
  s.quality = {{"Silhouette score", "0.612", "from -1 to 1"}};
  s.segments.headers = {"Segment", "Customers", "Share of revenue"};
  s.segments.numeric = {false, true, true};
  s.segments.rows = {{"VIP", "1", "64.8%"}, {"Non-VIP", "3", "35.2%"}};
  s.vip_customers.headers = {"Customer", "Total spend", "Segment"};
  s.vip_customers.numeric = {false, true, false};
  s.vip_customers.rows = {{"C1", "$800.00", "VIP"}};
  s.vip_customers_title = "Top VIP customer by spend";
  s.vip_customers_note = "1 of 1 VIP customer";
  return s;
}

// A chart stand-in: rendering real charts for every renderer test would only slow them down.
Charts fake_charts() {
  Charts charts;
  charts.revenue.svg =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" "
      "xmlns:xlink=\"http://www.w3.org/1999/xlink\" width=\"1200\" height=\"675\" "
      "viewBox=\"0 0 1200 675\" version=\"1.1\">\n<g id=\"r-1\"><rect width=\"5\" "
      "height=\"5\"/></g>\n</svg>\n";
  charts.sentiment.svg =
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"600\" height=\"400\"><use "
      "xlink:href=\"#s-1\" x=\"1\"/><g id=\"s-1\"></g></svg>";
  return charts;
}

// Exit status of a Python check over the text (0: passed).
int python_check(const std::string& script, const std::string& text) {
  testing::TempDir dir;
  testing::write_file(dir / "input.txt", text);
  testing::write_file(dir / "check.py", script);
  const std::string command = "/usr/bin/python3 '" + (dir / "check.py").string() + "' '" +
                              (dir / "input.txt").string() + "' >/dev/null 2>&1";
  return std::system(command.c_str());
}

// Every element closed in order (void elements and self-closed SVG elements aside), one <html>,
// one <head>, one <body>: what a strict reader needs to call the page well-formed.
constexpr const char* kBalanceCheck = R"py(
import sys
from html.parser import HTMLParser
VOID = {"area","base","br","col","embed","hr","img","input","link","meta","source","track","wbr"}
class Check(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.seen = [], {}
    def handle_starttag(self, tag, attrs):
        self.seen[tag] = self.seen.get(tag, 0) + 1
        if tag not in VOID:
            self.stack.append(tag)
    def handle_startendtag(self, tag, attrs):
        self.seen[tag] = self.seen.get(tag, 0) + 1
    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            sys.exit("unbalanced </%s>, open: %s" % (tag, self.stack[-5:]))
        self.stack.pop()
c = Check()
c.feed(open(sys.argv[1], encoding="utf-8").read())
c.close()
if c.stack:
    sys.exit("unclosed: %s" % c.stack)
for tag in ("html", "head", "body", "title", "style"):
    if c.seen.get(tag) != 1:
        sys.exit("%s appears %s times" % (tag, c.seen.get(tag)))
)py";

std::string error_message(const std::function<void()>& action) {
  try {
    action();
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::Internal);
    return error.what();
  }
  ADD_FAILURE() << "no salespipe::Error thrown";
  return {};
}

std::size_t count(const std::string& text, const std::string& needle) {
  std::size_t n = 0;
  for (std::size_t at = text.find(needle); at != std::string::npos;
       at = text.find(needle, at + needle.size())) {
    ++n;
  }
  return n;
}

// The cells of a Markdown table row, split at pipes that no backslash escapes.
std::vector<std::string> markdown_cells(const std::string& row) {
  std::vector<std::string> cells;
  std::string cell;
  for (std::size_t i = 1; i < row.size(); ++i) {
    if (row[i] == '\\' && i + 1 < row.size()) {
      cell += row.substr(i, 2);
      ++i;
    } else if (row[i] == '|') {
      cells.push_back(cell);
      cell.clear();
    } else {
      cell += row[i];
    }
  }
  return cells;
}

std::string line_containing(const std::string& text, const std::string& needle) {
  const std::size_t at = text.find(needle);
  if (at == std::string::npos) {
    return {};
  }
  const std::size_t start = text.rfind('\n', at) + 1;
  return text.substr(start, text.find('\n', at) - start);
}

// ---------------------------------------------------------------------------------------------

TEST(HtmlEscape, ReplacesTheFiveSpecialCharacters) {
  EXPECT_EQ(html_escape("a<b>&\"c'd"), "a&lt;b&gt;&amp;&quot;c&#39;d");
  EXPECT_EQ(html_escape("caf\u00e9 \u2192 ok"), "caf\u00e9 \u2192 ok");
  EXPECT_EQ(html_escape(""), "");
}

TEST(MarkdownEscape, EscapesPipesAndInlineMarkup) {
  EXPECT_EQ(markdown_escape("a|b"), "a\\|b");
  EXPECT_EQ(markdown_escape("*bold* _it_ `code` [x](y) <b> ~s~ \\ &amp;"),
            "\\*bold\\* \\_it\\_ \\`code\\` \\[x\\](y) \\<b\\> \\~s\\~ \\\\ \\&amp;");
}

TEST(MarkdownEscape, KeepsUnderscoresInsideWords) {
  EXPECT_EQ(markdown_escape("C_017 sale_date"), "C_017 sale_date");
  EXPECT_EQ(markdown_escape("_x_ a_ _b __c__"), "\\_x\\_ a\\_ \\_b \\_\\_c\\_\\_");
}

TEST(MarkdownEscape, LineBreaksBecomeSpacesSoATableRowStaysOneLine) {
  EXPECT_EQ(markdown_escape("a\nb\r\nc\rd"), "a b c d");
}

TEST(MarkdownEscape, EscapesWhatWouldStartABlockOnlyAtTheStart) {
  EXPECT_EQ(markdown_escape("# not a heading"), "\\# not a heading");
  EXPECT_EQ(markdown_escape("- not an item"), "\\- not an item");
  EXPECT_EQ(markdown_escape("+1"), "\\+1");
  EXPECT_EQ(markdown_escape("2023. was a year"), "2023\\. was a year");
  EXPECT_EQ(markdown_escape("P-1 2023-01-01 #3 4.5"), "P-1 2023-01-01 #3 4.5");
}

TEST(InlineSvg, DropsTheDeclarationAndNamespacesAndScalesWithThePage) {
  const std::string svg = fake_charts().revenue.svg;
  const std::string inlined = inline_svg(svg, "Revenue <by> product");
  EXPECT_EQ(inlined.rfind("<svg viewBox=\"0 0 1200 675\" role=\"img\" aria-label=\"Revenue "
                          "&lt;by&gt; product\">",
                          0),
            0u)
      << inlined;
  EXPECT_EQ(inlined.find("<?xml"), std::string::npos);
  EXPECT_EQ(inlined.find("http"), std::string::npos);
  EXPECT_EQ(inlined.find("width=\"1200\""), std::string::npos);
  EXPECT_NE(inlined.find("<g id=\"r-1\"><rect width=\"5\" height=\"5\"/></g>"), std::string::npos);
  EXPECT_EQ(inlined.substr(inlined.size() - 6), "</svg>");
}

TEST(InlineSvg, MakesAViewBoxFromWidthAndHeightWhenThereIsNone) {
  const std::string inlined = inline_svg(fake_charts().sentiment.svg, "s");
  EXPECT_EQ(inlined.rfind("<svg viewBox=\"0 0 600 400\"", 0), 0u) << inlined;
  EXPECT_NE(inlined.find("xlink:href=\"#s-1\""), std::string::npos);
}

TEST(InlineSvg, RefusesTextWithoutAnSvgElement) {
  EXPECT_EQ(error_message([] { inline_svg("<html></html>", "x"); }),
            "report: a chart has no <svg> element");
  EXPECT_EQ(error_message([] { inline_svg("<svg id=\"a\">", "x"); }),
            "report: a chart's <svg> element has neither a viewBox nor a width and height");
}

TEST(ReportModel, ValidateNamesTheTableWithARowOfTheWrongLength) {
  ReportModel model = sample_model();
  model.quality.rejects.rows.push_back({"Sales", "bad_price"});
  EXPECT_EQ(error_message([&] { model.validate(); }),
            "report: row 2 of the rejects table has 2 cells for 4 headers");
  model = sample_model();
  model.top_products.table.numeric = {true};
  EXPECT_EQ(error_message([&] { model.validate(); }),
            "report: the top products table has 4 headers but 1 numeric flags");
  model = sample_model();
  model.top_products.revenue.pop_back();
  EXPECT_EQ(error_message([&] { model.validate(); }),
            "report: the top-products chart series have 3, 2 and 3 entries for 3 rows");
}

TEST(ReportModel, RenderersRefuseAnInvalidModel) {
  ReportModel model = sample_model();
  model.segmentation = sample_segmentation();
  model.segmentation->vip_customers.rows.push_back({"C2"});
  EXPECT_NE(error_message([&] { render_html(model, fake_charts()); }).find("VIP customers table"),
            std::string::npos);
  EXPECT_NE(error_message([&] { render_markdown(model); }).find("VIP customers table"),
            std::string::npos);
}

TEST(RenderHtml, IsWellFormed) {
  ReportModel model = sample_model();
  model.segmentation = sample_segmentation();
  EXPECT_EQ(python_check(kBalanceCheck, render_html(model, fake_charts())), 0);
  model.partial_note = "2023 Q2 is not complete in the data.";
  EXPECT_EQ(python_check(kBalanceCheck, render_html(model, fake_charts())), 0);
}

TEST(RenderHtml, IsSelfContained) {
  ReportModel model = sample_model();
  model.segmentation = sample_segmentation();
  const std::string html = render_html(model, fake_charts());
  EXPECT_EQ(html.rfind("<!DOCTYPE html>\n<html lang=\"en\">", 0), 0u);
  EXPECT_NE(html.find("<meta charset=\"utf-8\">"), std::string::npos);
  for (const char* banned : {"http://", "https://", "<script", "<link", "<img", "<iframe",
                             "@import", "src=", "//fonts", "javascript:"}) {
    EXPECT_EQ(html.find(banned), std::string::npos) << banned;
  }
  // CSS url() only for in-page references, and there are none in our style.
  EXPECT_EQ(html.find("url("), std::string::npos);
  // Both charts inline, each once.
  EXPECT_EQ(count(html, "<svg viewBox="), 2u);
  EXPECT_NE(html.find("aria-label=\"Revenue by product, 2023 Q1\""), std::string::npos);
  EXPECT_NE(html.find("aria-label=\"Average sentiment by product\""), std::string::npos);
}

TEST(RenderHtml, ShowsEverySectionWithItsContent) {
  ReportModel model = sample_model();
  model.segmentation = sample_segmentation();
  const std::string html = render_html(model, fake_charts());
  for (const char* text : {"<title>Sales report: 2023 Q1</title>",
                           "<h1>Sales report: 2023 Q1</h1>",
                           "Which 3 products brought the most revenue in 2023 Q1",
                           "2022 Q4 (1 Oct 2022 to 31 Dec 2022)",
                           "<h2>Executive summary</h2>",
                           "<div class=\"label\">Revenue</div><div class=\"value\">$1,234.50</div>",
                           "<li>P1 led with $800.00 (64.8% of revenue).</li>",
                           "<h2>Top 3 products by revenue</h2>",
                           "<th class=\"num\">Revenue</th>",
                           "<td class=\"num\">$800.00</td><td class=\"num\">4.50",
                           "<h2>Insights</h2>",
                           "<span>share </span>64.8%",
                           "<h2>Recommendations</h2>",
                           "<li>Reduce the dependence on P1",
                           "<h2>Customer segments</h2>",
                           "<h3>Top VIP customer by spend</h3>",
                           "<td>C1</td><td class=\"num\">$800.00</td>",
                           "<h2>Data quality</h2>",
                           "<td>missing_price</td><td class=\"num\">3</td>",
                           "<td class=\"examples\">line 4: (empty)</td>",
                           "No value is missing.",
                           "15-01-2023 \u2192 2023-01-15",
                           "<h2>How this report was made</h2>",
                           "0123456789abcdef0123456789abcdef",
                           "<meta name=\"generator\" content=\"salespipe 9.9.9\">",
                           "Made by salespipe 9.9.9."}) {
    EXPECT_NE(html.find(text), std::string::npos) << text;
  }
  // Sections in reading order.
  const std::size_t summary = html.find("id=\"summary\"");
  const std::size_t products = html.find("id=\"top-products\"");
  const std::size_t insights = html.find("id=\"insights\"");
  const std::size_t segments = html.find("id=\"segments\"");
  const std::size_t quality = html.find("id=\"data-quality\"");
  const std::size_t method = html.find("id=\"method\"");
  EXPECT_LT(summary, products);
  EXPECT_LT(products, insights);
  EXPECT_LT(insights, segments);
  EXPECT_LT(segments, quality);
  EXPECT_LT(quality, method);
  EXPECT_NE(method, std::string::npos);
}

TEST(RenderHtml, LeavesOutTheSegmentsWithoutASegmentation) {
  const std::string html = render_html(sample_model(), fake_charts());
  EXPECT_EQ(html.find("Customer segments"), std::string::npos);
  EXPECT_EQ(html.find("#segments"), std::string::npos);
}

TEST(RenderHtml, SaysSoWhenThereIsNoInsightOrRecommendation) {
  ReportModel model = sample_model();
  model.insights.clear();
  model.recommendations.clear();
  const std::string html = render_html(model, fake_charts());
  EXPECT_NE(html.find("No insight rule fired for this period."), std::string::npos);
  EXPECT_NE(html.find("Nothing in the numbers calls for action this period."), std::string::npos);
}

TEST(RenderHtml, EscapesEveryTextFromData) {
  ReportModel model = sample_model();
  const std::string evil = "<script>alert(\"x\")</script>&'";
  model.title = evil;
  model.summary = {evil};
  model.top_products.table.rows[0][1] = evil;
  model.insights[0].numbers[0].value = evil;
  model.quality.rejects.rows[0][3] = evil;
  model.provenance.version = evil;
  model.top_products.revenue_chart_title = evil;  // becomes an aria-label attribute
  const std::string html = render_html(model, fake_charts());
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("alert(\"x\")"), std::string::npos);
  const std::string escaped = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;";
  EXPECT_GE(count(html, escaped), 7u);
  EXPECT_EQ(python_check(kBalanceCheck, html), 0);
}

TEST(RenderHtml, KeepsEveryIdUniqueWithRealCharts) {
  ReportModel model = sample_model();
  model.segmentation = sample_segmentation();
  const Charts charts = draw_charts(model);
  const std::string html = render_html(model, charts);
  std::set<std::string> ids;
  const std::string opener = " id=\"";
  for (std::size_t at = html.find(opener); at != std::string::npos;
       at = html.find(opener, at + 1)) {
    const std::size_t start = at + opener.size();
    const std::string id = html.substr(start, html.find('"', start) - start);
    EXPECT_TRUE(ids.insert(id).second) << "duplicate id " << id;
  }
  EXPECT_GT(ids.size(), 10u);
  EXPECT_EQ(html.find("http://"), std::string::npos);
  EXPECT_EQ(python_check(kBalanceCheck, html), 0);
}

TEST(RenderHtml, SameModelSameBytes) {
  ReportModel model = sample_model();
  model.segmentation = sample_segmentation();
  const Charts first = draw_charts(model);
  const Charts second = draw_charts(model);
  EXPECT_TRUE(render_html(model, first) == render_html(model, second));
  EXPECT_TRUE(render_markdown(model) == render_markdown(model));
}

TEST(DrawCharts, DrawsTheVipTableOnlyWithASegmentation) {
  ReportModel model = sample_model();
  const Charts without = draw_charts(model);
  EXPECT_FALSE(without.vip_table.has_value());
  EXPECT_EQ(without.revenue.png.substr(1, 3), "PNG");
  EXPECT_EQ(without.sentiment.png.substr(1, 3), "PNG");
  EXPECT_NE(without.revenue.svg.find("id=\"revenue-"), std::string::npos);
  EXPECT_NE(without.sentiment.svg.find("id=\"sentiment-"), std::string::npos);
  model.segmentation = sample_segmentation();
  const Charts with = draw_charts(model);
  ASSERT_TRUE(with.vip_table.has_value());
  EXPECT_EQ(with.vip_table->png.substr(1, 3), "PNG");
  EXPECT_GE(with.vip_table->width, 900);
}

TEST(RenderMarkdown, HasTheSameContentAsThePage) {
  ReportModel model = sample_model();
  model.segmentation = sample_segmentation();
  const std::string md = render_markdown(model);
  for (const char* text :
       {"# Sales report: 2023 Q1\n\n",
        "**Business question:** Which 3 products brought the most revenue in 2023 Q1, and how "
        "do customers rate them?\n\n",
        "**Period:** 2023 Q1 (1 Jan 2023 to 31 Mar 2023)  \n**Compared with:** 2022 Q4",
        "## Executive summary\n\n| Key figure | Value | Note |\n| :--- | :--- | :--- |\n"
        "| Revenue | $1,234.50 | 12 sales in 2023 Q1 |\n",
        "- P1 led with $800.00 (64.8% of revenue).\n",
        "## Top 3 products by revenue\n\n| Rank | Product | Revenue | Avg sentiment |\n"
        "| ---: | :--- | ---: | ---: |\n| 1 | P1 | $800.00 | 4.50 |\n",
        "![Revenue by product, 2023 Q1](../images/revenue_chart.png)\n",
        "![Average sentiment by product](../images/sentiment_chart.png)\n",
        "## Insights\n\n- Revenue is concentrated: P1 alone brought 64.8% of 2023 Q1 revenue.  \n"
        "  *share* 64.8% · *revenue* $800.00\n",
        "## Recommendations\n\n1. Reduce the dependence on P1: promote the next products (P2, "
        "P3).\n",
        "## Customer segments\n", "### Top VIP customer by spend\n",
        "![Top VIP customer by spend](../images/vip_table.png)\n", "## Data quality\n",
        "| Sales | missing_price | 3 | line 4: (empty) |\n",
        "### Missing values by column\n\n*No value is missing.*\n", "## How this report was made\n",
        "Made by salespipe 9.9.9."}) {
    EXPECT_NE(md.find(text), std::string::npos) << text << "\n---\n" << md;
  }
  EXPECT_EQ(md.back(), '\n');
  EXPECT_NE(md.substr(md.size() - 2), "\n\n");
  EXPECT_EQ(render_markdown(sample_model()).find("vip_table.png"), std::string::npos);
}

TEST(RenderMarkdown, EscapesPipesSoATableKeepsItsColumns) {
  ReportModel model = sample_model();
  model.top_products.table.rows[0][1] = "P|1 *x* [y]";
  model.quality.rejects.rows[0][3] = "line 4: a|b|c\nd";
  const std::string md = render_markdown(model);
  const std::string product_row = line_containing(md, "P\\|1");
  EXPECT_EQ(markdown_cells(product_row).size(), 4u) << product_row;
  EXPECT_NE(product_row.find("P\\|1 \\*x\\* \\[y\\]"), std::string::npos);
  const std::string reject_row = line_containing(md, "line 4:");
  EXPECT_EQ(markdown_cells(reject_row).size(), 4u) << reject_row;
  EXPECT_NE(reject_row.find("a\\|b\\|c d"), std::string::npos);
}

TEST(RenderMarkdown, EscapesTextOutsideTablesToo) {
  ReportModel model = sample_model();
  model.title = "# <b>Q1</b>";
  model.summary = {"- *not* a list"};
  model.top_products.revenue_chart_title = "a](http://x)";
  const std::string md = render_markdown(model);
  EXPECT_EQ(md.rfind("# \\# \\<b\\>Q1\\</b\\>\n", 0), 0u) << md.substr(0, 40);
  EXPECT_NE(md.find("- \\- \\*not\\* a list\n"), std::string::npos);
  EXPECT_NE(md.find("![a\\](http://x)](../images/revenue_chart.png)"), std::string::npos);
}

TEST(RenderMarkdown, SaysSoForEmptyTables) {
  ReportModel model = sample_model();
  model.quality.rejects.rows.clear();
  model.quality.dates.rows.clear();
  const std::string md = render_markdown(model);
  EXPECT_NE(md.find("*No row was rejected.*"), std::string::npos);
  EXPECT_NE(md.find("*No date needed resolving.*"), std::string::npos);
}

}  // namespace
}  // namespace salespipe::report
