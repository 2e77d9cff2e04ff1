// The Markdown renderer: the same content as the HTML page, for wikis, pull requests and plain
// text readers. The charts are linked as the PNG files analyze writes beside reports/.

#include <string>
#include <string_view>

#include "report/report.hpp"
#include "report/report_detail.hpp"

namespace salespipe::report {
namespace {

class Markdown {
 public:
  void raw(std::string_view text) { out_ += text; }
  void text(std::string_view text) { out_ += markdown_escape(text); }
  void heading(int level, std::string_view title) {
    out_.append(static_cast<std::size_t>(level), '#');
    out_ += ' ';
    text(title);
    out_ += "\n\n";
  }
  void paragraph(std::string_view content) {
    text(content);
    out_ += "\n\n";
  }
  void bullets(const std::vector<std::string>& items) {
    for (const auto& item : items) {
      out_ += "- ";
      text(item);
      out_ += '\n';
    }
    if (!items.empty()) {
      out_ += '\n';
    }
  }
  void image(std::string_view alt, std::string_view file) {
    out_ += "![";
    text(alt);
    out_ += "](../images/";
    out_ += file;
    out_ += ")\n\n";
  }
  std::string take() { return std::move(out_); }

 private:
  std::string out_;
};

void write_table(Markdown& md, const Table& table) {
  md.raw("|");
  for (const auto& header : table.headers) {
    md.raw(" ");
    md.text(header);
    md.raw(" |");
  }
  md.raw("\n|");
  for (std::size_t c = 0; c < table.headers.size(); ++c) {
    const bool numeric = c < table.numeric.size() && table.numeric[c];
    md.raw(numeric ? " ---: |" : " :--- |");
  }
  md.raw("\n");
  for (const auto& row : table.rows) {
    md.raw("|");
    for (const auto& cell : row) {
      md.raw(" ");
      md.text(cell);
      md.raw(" |");
    }
    md.raw("\n");
  }
  md.raw("\n");
}

void write_facts(Markdown& md, const std::vector<Fact>& facts, std::string_view what) {
  if (facts.empty()) {
    return;
  }
  const detail::FactsLayout layout = detail::facts_layout(facts);
  Table table;
  table.headers = {std::string(what), "Value"};
  table.numeric = {false, layout.figures};
  if (layout.notes) {
    table.headers.emplace_back("Note");
    table.numeric.push_back(false);
  }
  for (const Fact& fact : facts) {
    table.rows.push_back({fact.label, fact.value});
    if (layout.notes) {
      table.rows.back().push_back(fact.note);
    }
  }
  write_table(md, table);
}

void write_table_or(Markdown& md, const Table& table, std::string_view when_empty) {
  if (table.empty()) {
    md.raw("*");
    md.text(when_empty);
    md.raw("*\n\n");
  } else {
    write_table(md, table);
  }
}

void write_notes(Markdown& md, const std::vector<std::string>& notes) {
  for (const auto& note : notes) {
    md.raw("*");
    md.text(note);
    md.raw("*\n\n");
  }
}

}  // namespace

std::string render_markdown(const ReportModel& model) {
  model.validate();
  Markdown md;
  md.heading(1, model.title);
  if (!model.business_question.empty()) {
    md.raw("**Business question:** ");
    md.paragraph(model.business_question);
  }
  md.raw("**Period:** ");
  md.text(model.period);
  if (!model.previous_period.empty()) {
    md.raw("  \n**Compared with:** ");
    md.text(model.previous_period);
  }
  md.raw("\n\n");
  if (!model.partial_note.empty()) {
    md.raw("> **Note:** ");
    md.paragraph(model.partial_note);
  }

  md.heading(2, "Executive summary");
  write_facts(md, model.headline, "Key figure");
  md.bullets(model.summary);

  const TopProductsSection& top = model.top_products;
  md.heading(2, top.heading);
  write_table(md, top.table);
  write_notes(md, top.notes);
  md.image(top.revenue_chart_title, "revenue_chart.png");
  md.image(top.sentiment_chart_title, "sentiment_chart.png");

  md.heading(2, "Insights");
  if (model.insights.empty()) {
    md.paragraph("No insight rule fired for this period.");
  }
  for (const InsightItem& insight : model.insights) {
    md.raw("- ");
    md.text(insight.sentence);
    if (!insight.numbers.empty()) {
      md.raw("  \n  ");
      for (std::size_t i = 0; i < insight.numbers.size(); ++i) {
        md.raw(i == 0 ? "*" : " · *");
        md.text(insight.numbers[i].label);
        md.raw("* ");
        md.text(insight.numbers[i].value);
      }
    }
    md.raw("\n");
  }
  if (!model.insights.empty()) {
    md.raw("\n");
  }

  md.heading(2, "Recommendations");
  if (model.recommendations.empty()) {
    md.paragraph("Nothing in the numbers calls for action this period.");
  }
  for (std::size_t i = 0; i < model.recommendations.size(); ++i) {
    md.raw(std::to_string(i + 1) + ". ");
    md.text(model.recommendations[i]);
    md.raw("\n");
  }
  if (!model.recommendations.empty()) {
    md.raw("\n");
  }

  if (model.segmentation) {
    const SegmentationSection& s = *model.segmentation;
    md.heading(2, "Customer segments");
    if (!s.summary.empty()) {
      md.paragraph(s.summary);
    }
    if (!s.segments.empty()) {
      write_table(md, s.segments);
    }
    write_facts(md, s.quality, "Clustering quality");
    md.heading(3, s.vip_customers_title);
    if (!s.vip_customers_note.empty()) {
      md.paragraph(s.vip_customers_note);
    }
    write_table_or(md, s.vip_customers, "No VIP customers.");
    md.image(s.vip_customers_title, "vip_table.png");
  }

  const DataQuality& quality = model.quality;
  md.heading(2, "Data quality");
  write_facts(md, quality.overview, "Check");
  md.heading(3, "Rejected rows by reason");
  write_table_or(md, quality.rejects, "No row was rejected.");
  md.heading(3, "Missing values by column");
  write_table_or(md, quality.missing, "No value is missing.");
  md.heading(3, "How dates were read");
  write_table_or(md, quality.dates, "No date needed resolving.");
  md.bullets(quality.notes);

  const Provenance& provenance = model.provenance;
  md.heading(2, "How this report was made");
  if (!provenance.inputs.empty()) {
    md.heading(3, "Inputs");
    write_table(md, provenance.inputs);
  }
  if (!provenance.parameters.empty()) {
    md.heading(3, "Parameters");
    write_facts(md, provenance.parameters, "Parameter");
  }
  md.raw("---\n\n");
  md.paragraph("Made by " + provenance.version +
               ". The same inputs and settings give the same report, byte for byte.");
  std::string out = md.take();
  while (out.size() >= 2 && out[out.size() - 1] == '\n' && out[out.size() - 2] == '\n') {
    out.pop_back();
  }
  return out;
}

}  // namespace salespipe::report
