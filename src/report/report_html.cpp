// The HTML renderer: one self-contained page a business reader can open anywhere, print or mail.
// Everything it needs is inside the file (CSS in a <style> element, the charts as inline SVG),
// so it makes no network request and needs no script.

#include <string>
#include <string_view>

#include "report/report.hpp"
#include "report/report_detail.hpp"

namespace salespipe::report {
namespace {

// Grey scale and accent match the charts (report/chart.cpp), so the page and its drawings look
// like one document. System fonts only: a web font would be a network request.
constexpr std::string_view kStyle = R"css(
:root {
  --ink: #1f2937; --text: #374151; --muted: #6b7280; --faint: #9ca3af; --rule: #e5e7eb;
  --zebra: #f9fafb; --accent: #4c78a8; --accent-soft: #e8eef6; --warn: #b45309;
  --warn-soft: #fff7e6;
}
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body {
  margin: 0; background: #eef1f5; color: var(--text);
  font: 15px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", "DejaVu Sans",
    Arial, sans-serif;
}
.page {
  max-width: 1100px; margin: 32px auto; padding: 40px 48px 48px; background: #fff;
  border-radius: 12px; box-shadow: 0 1px 3px rgba(15, 23, 42, .08), 0 8px 24px rgba(15, 23, 42, .06);
}
h1, h2, h3 { color: var(--ink); line-height: 1.25; margin: 0; }
h1 { font-size: 30px; font-weight: 700; letter-spacing: -.01em; margin: 0 0 12px; }
h2 { font-size: 21px; font-weight: 650; margin: 0 0 14px; }
h3 { font-size: 16px; font-weight: 650; margin: 26px 0 10px; }
p { margin: 0 0 12px; }
.question {
  font-size: 17px; color: var(--ink); background: var(--accent-soft);
  border-left: 4px solid var(--accent); border-radius: 6px; padding: 12px 16px; margin: 16px 0 12px;
}
.question strong { color: var(--accent); }
.period { color: var(--muted); margin: 0; }
.period strong { color: var(--text); font-weight: 600; }
.callout {
  background: var(--warn-soft); border-left: 4px solid var(--warn); border-radius: 6px;
  color: #7c2d12; padding: 10px 14px; margin: 14px 0 0;
}
nav.toc { display: flex; flex-wrap: wrap; gap: 4px 18px; margin: 18px 0 0; }
nav.toc a { color: var(--accent); text-decoration: none; font-size: 14px; white-space: nowrap; }
nav.toc a:hover { text-decoration: underline; }
section { margin-top: 40px; padding-top: 28px; border-top: 1px solid var(--rule); }
.kpis {
  display: grid; grid-template-columns: repeat(auto-fit, minmax(190px, 1fr)); gap: 14px;
  margin: 0 0 20px;
}
.kpi { border: 1px solid var(--rule); border-radius: 10px; padding: 14px 16px 12px; }
.kpi .label {
  color: var(--muted); font-size: 12px; font-weight: 600; letter-spacing: .04em;
  text-transform: uppercase;
}
.kpi .value {
  color: var(--ink); font-size: 25px; font-weight: 700; font-variant-numeric: tabular-nums;
  margin-top: 2px; overflow-wrap: anywhere;
}
.kpi .note { color: var(--muted); font-size: 13px; }
ul.summary { margin: 0; padding-left: 20px; }
ul.summary li { margin: 6px 0; color: var(--ink); }
.table-wrap { overflow-x: auto; margin: 0 0 8px; }
table { border-collapse: collapse; width: 100%; font-size: 14px; font-variant-numeric: tabular-nums; }
th {
  text-align: left; color: var(--muted); font-size: 13px; font-weight: 600;
  border-bottom: 2px solid var(--rule); padding: 8px 12px; vertical-align: bottom;
}
td { border-bottom: 1px solid var(--rule); padding: 8px 12px; vertical-align: top; }
tbody tr:nth-child(even) td { background: var(--zebra); }
th.num, td.num { text-align: right; }
td.num { white-space: nowrap; }
td.mono { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace;
  font-size: 12.5px; }
td.examples { color: var(--muted); font-size: 13px; overflow-wrap: anywhere; }
table.facts { width: auto; min-width: 60%; }
table.facts th { font-size: 14px; color: var(--text); font-weight: 400;
  border-bottom: 1px solid var(--rule); vertical-align: top; }
table.facts td { font-weight: 600; color: var(--ink); }
table.facts td.note { font-weight: 400; color: var(--muted); }
table.facts tbody tr:nth-child(even) td { background: none; }
.notes { color: var(--muted); font-size: 13px; margin: 8px 0 0; padding-left: 18px; }
.notes li { margin: 3px 0; }
figure { margin: 26px 0 0; overflow-x: auto; }
figure svg {
  display: block; width: 100%; min-width: 560px; height: auto; border: 1px solid var(--rule);
  border-radius: 10px;
}
ul.insights { list-style: none; margin: 0; padding: 0; }
ul.insights li {
  border: 1px solid var(--rule); border-left: 4px solid var(--accent); border-radius: 8px;
  padding: 12px 16px; margin: 0 0 12px;
}
ul.insights .sentence { color: var(--ink); margin: 0 0 8px; }
.chips { display: flex; flex-wrap: wrap; gap: 6px; }
.chip {
  background: var(--accent-soft); color: var(--ink); border-radius: 999px; font-size: 12.5px;
  padding: 2px 10px; font-variant-numeric: tabular-nums;
}
.chip span { color: var(--muted); }
ol.recommendations { margin: 0; padding-left: 22px; }
ol.recommendations li { margin: 8px 0; color: var(--ink); }
.empty { color: var(--muted); font-style: italic; }
code { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 12.5px; }
footer {
  margin-top: 40px; padding-top: 16px; border-top: 1px solid var(--rule); color: var(--faint);
  font-size: 13px;
}
@media (max-width: 720px) {
  .page { margin: 0; padding: 24px 18px; border-radius: 0; box-shadow: none; }
  h1 { font-size: 24px; }
}
@media print {
  body { background: #fff; }
  .page { margin: 0; padding: 0; box-shadow: none; max-width: none; }
  nav.toc { display: none; }
  section, figure, table { break-inside: avoid-page; }
}
)css";

class Html {
 public:
  void raw(std::string_view text) { out_ += text; }
  void text(std::string_view text) { out_ += html_escape(text); }
  /// <tag class="...">escaped text</tag>
  void element(std::string_view tag, std::string_view css_class, std::string_view content) {
    open(tag, css_class);
    text(content);
    close(tag);
  }
  void open(std::string_view tag, std::string_view css_class = {}, std::string_view id = {}) {
    out_ += '<';
    out_ += tag;
    if (!id.empty()) {
      out_ += " id=\"";
      out_ += id;
      out_ += '"';
    }
    if (!css_class.empty()) {
      out_ += " class=\"";
      out_ += css_class;
      out_ += '"';
    }
    out_ += '>';
  }
  void close(std::string_view tag) {
    out_ += "</";
    out_ += tag;
    out_ += '>';
  }
  void newline() { out_ += '\n'; }
  std::string take() { return std::move(out_); }

 private:
  std::string out_;
};

bool is_numeric(const Table& table, std::size_t column) {
  return column < table.numeric.size() && table.numeric[column];
}

// Columns named "Examples" hold raw values from the inputs: smaller and muted. Fingerprints are
// hex strings a reader compares character by character: monospace.
std::string_view cell_class(const Table& table, std::size_t column) {
  if (is_numeric(table, column)) {
    return "num";
  }
  const std::string& header = table.headers[column];
  if (header == "Examples") {
    return "examples";
  }
  return header.find("fingerprint") != std::string::npos ? "mono" : "";
}

// <div class="table-wrap"><table class="...">: the wrapper lets a wide table scroll sideways;
// close_table ends the table's body, the table and the wrapper.
void open_table(Html& html, std::string_view css_class) {
  html.open("div", "table-wrap");
  html.open("table", css_class);
}

void close_table(Html& html) {
  html.close("tbody");
  html.close("table");
  html.close("div");
  html.newline();
}

// Ends a table row: one row a line.
void close_row(Html& html) {
  html.close("tr");
  html.newline();
}

void write_table(Html& html, const Table& table) {
  open_table(html, "");
  html.open("thead");
  html.open("tr");
  for (std::size_t c = 0; c < table.headers.size(); ++c) {
    html.element("th", is_numeric(table, c) ? "num" : "", table.headers[c]);
  }
  html.close("tr");
  html.close("thead");
  html.newline();
  html.open("tbody");
  for (const auto& row : table.rows) {
    html.open("tr");
    for (std::size_t c = 0; c < row.size(); ++c) {
      html.element("td", cell_class(table, c), row[c]);
    }
    close_row(html);
  }
  close_table(html);
}

// <section id="id"><h2>heading</h2>: how each part of the page starts; close_section ends it.
void open_section(Html& html, std::string_view id, std::string_view heading) {
  html.open("section", "", id);
  html.element("h2", "", heading);
}

void close_section(Html& html) {
  html.close("section");
  html.newline();
}

// The table, or when it has no rows the sentence that says so.
void write_table_or(Html& html, const Table& table, std::string_view when_empty) {
  if (table.empty()) {
    html.element("p", "empty", when_empty);
  } else {
    write_table(html, table);
  }
}

// A two-column table of label/value pairs (with an optional note column when any fact has one).
void write_facts(Html& html, const std::vector<Fact>& facts) {
  if (facts.empty()) {
    return;
  }
  const detail::FactsLayout layout = detail::facts_layout(facts);
  const std::string_view value_class = layout.figures ? "num" : "";
  open_table(html, "facts");
  html.open("tbody");
  for (const Fact& fact : facts) {
    html.open("tr");
    html.element("th", "", fact.label);
    html.element("td", value_class, fact.value);
    if (layout.notes) {
      html.element("td", "note", fact.note);
    }
    close_row(html);
  }
  close_table(html);
}

// A <ul> or <ol> of this class with one item a line.
void write_list(Html& html, std::string_view tag, std::string_view css_class,
                const std::vector<std::string>& items) {
  html.open(tag, css_class);
  for (const auto& item : items) {
    html.element("li", "", item);
    html.newline();
  }
  html.close(tag);
}

void write_notes(Html& html, const std::vector<std::string>& notes) {
  if (notes.empty()) {
    return;
  }
  html.open("ul", "notes");
  for (const auto& note : notes) {
    html.element("li", "", note);
  }
  html.close("ul");
  html.newline();
}

void write_figure(Html& html, const Rendered& chart, std::string_view label) {
  html.open("figure");
  html.raw(inline_svg(chart.svg, label));
  html.close("figure");
  html.newline();
}

void write_header(Html& html, const ReportModel& model) {
  html.open("header");
  html.element("h1", "", model.title);
  if (!model.business_question.empty()) {
    html.open("p", "question");
    html.element("strong", "", "Business question: ");
    html.text(model.business_question);
    html.close("p");
  }
  html.open("p", "period");
  html.element("strong", "", "Period: ");
  html.text(model.period);
  if (!model.previous_period.empty()) {
    html.raw(" &middot; ");
    html.element("strong", "", "Compared with: ");
    html.text(model.previous_period);
  }
  html.close("p");
  if (!model.partial_note.empty()) {
    html.element("p", "callout", model.partial_note);
  }
  html.open("nav", "toc");
  html.raw("<a href=\"#summary\">Summary</a><a href=\"#top-products\">Top products</a>");
  html.raw("<a href=\"#insights\">Insights</a><a href=\"#recommendations\">Recommendations</a>");
  if (model.segmentation) {
    html.raw("<a href=\"#segments\">Customer segments</a>");
  }
  html.raw("<a href=\"#data-quality\">Data quality</a><a href=\"#method\">How it was made</a>");
  html.close("nav");
  html.close("header");
  html.newline();
}

void write_summary(Html& html, const ReportModel& model) {
  open_section(html, "summary", "Executive summary");
  if (!model.headline.empty()) {
    html.open("div", "kpis");
    for (const Fact& fact : model.headline) {
      html.open("div", "kpi");
      html.element("div", "label", fact.label);
      html.element("div", "value", fact.value);
      if (!fact.note.empty()) {
        html.element("div", "note", fact.note);
      }
      html.close("div");
    }
    html.close("div");
    html.newline();
  }
  if (!model.summary.empty()) {
    write_list(html, "ul", "summary", model.summary);
  }
  close_section(html);
}

void write_top_products(Html& html, const ReportModel& model, const Charts& charts) {
  const TopProductsSection& top = model.top_products;
  open_section(html, "top-products", top.heading);
  write_table(html, top.table);
  write_notes(html, top.notes);
  write_figure(html, charts.revenue, top.revenue_chart_title);
  write_figure(html, charts.sentiment, top.sentiment_chart_title);
  close_section(html);
}

void write_insights(Html& html, const ReportModel& model) {
  open_section(html, "insights", "Insights");
  if (model.insights.empty()) {
    html.element("p", "empty", "No insight rule fired for this period.");
  } else {
    html.open("ul", "insights");
    for (const InsightItem& insight : model.insights) {
      html.open("li");
      html.element("p", "sentence", insight.sentence);
      if (!insight.numbers.empty()) {
        html.open("div", "chips");
        for (const Fact& number : insight.numbers) {
          html.open("span", "chip");
          html.element("span", "", number.label + " ");
          html.text(number.value);
          html.close("span");
        }
        html.close("div");
      }
      html.close("li");
      html.newline();
    }
    html.close("ul");
  }
  close_section(html);

  open_section(html, "recommendations", "Recommendations");
  if (model.recommendations.empty()) {
    html.element("p", "empty", "Nothing in the numbers calls for action this period.");
  } else {
    write_list(html, "ol", "recommendations", model.recommendations);
  }
  close_section(html);
}

void write_segmentation(Html& html, const SegmentationSection& segmentation) {
  open_section(html, "segments", "Customer segments");
  if (!segmentation.summary.empty()) {
    html.element("p", "", segmentation.summary);
  }
  if (!segmentation.segments.empty()) {
    write_table(html, segmentation.segments);
  }
  if (!segmentation.quality.empty()) {
    html.element("h3", "", "Clustering quality");
    write_facts(html, segmentation.quality);
  }
  html.element("h3", "", segmentation.vip_customers_title);
  if (!segmentation.vip_customers_note.empty()) {
    html.element("p", "period", segmentation.vip_customers_note);
  }
  write_table_or(html, segmentation.vip_customers, "No VIP customers.");
  close_section(html);
}

void write_quality(Html& html, const DataQuality& quality) {
  open_section(html, "data-quality", "Data quality");
  write_facts(html, quality.overview);
  html.element("h3", "", "Rejected rows by reason");
  write_table_or(html, quality.rejects, "No row was rejected.");
  html.element("h3", "", "Missing values by column");
  write_table_or(html, quality.missing, "No value is missing.");
  html.element("h3", "", "How dates were read");
  write_table_or(html, quality.dates, "No date needed resolving.");
  write_notes(html, quality.notes);
  close_section(html);
}

void write_provenance(Html& html, const Provenance& provenance) {
  open_section(html, "method", "How this report was made");
  if (!provenance.inputs.empty()) {
    html.element("h3", "", "Inputs");
    write_table(html, provenance.inputs);
  }
  if (!provenance.parameters.empty()) {
    html.element("h3", "", "Parameters");
    write_facts(html, provenance.parameters);
  }
  close_section(html);
}

}  // namespace

std::string render_html(const ReportModel& model, const Charts& charts) {
  model.validate();
  Html html;
  html.raw("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
  html.raw("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
  html.raw("<meta name=\"generator\" content=\"");
  html.text(model.provenance.version);
  html.raw("\">\n<title>");
  html.text(model.title);
  html.raw("</title>\n<style>");
  html.raw(kStyle);
  html.raw("</style>\n</head>\n<body>\n");
  html.open("main", "page");
  html.newline();
  write_header(html, model);
  write_summary(html, model);
  write_top_products(html, model, charts);
  write_insights(html, model);
  if (model.segmentation) {
    write_segmentation(html, *model.segmentation);
  }
  write_quality(html, model.quality);
  write_provenance(html, model.provenance);
  html.open("footer");
  html.text("Made by " + model.provenance.version +
            ". The same inputs and settings give the same report, byte for byte.");
  html.close("footer");
  html.newline();
  html.close("main");
  html.raw("\n</body>\n</html>\n");
  return html.take();
}

}  // namespace salespipe::report
