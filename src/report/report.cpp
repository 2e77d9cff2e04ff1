#include "report/report.hpp"

#include <fmt/format.h>

#include <string>

#include "core/error.hpp"

namespace salespipe::report {
namespace {

[[noreturn]] void invalid(const std::string& message) {
  throw Error(ErrorKind::Internal, "report: " + message);
}

void check_table(const Table& table, std::string_view name) {
  if (!table.numeric.empty() && table.numeric.size() != table.headers.size()) {
    invalid(fmt::format("the {} table has {} headers but {} numeric flags", name,
                        table.headers.size(), table.numeric.size()));
  }
  for (std::size_t r = 0; r < table.rows.size(); ++r) {
    if (table.rows[r].size() != table.headers.size()) {
      invalid(fmt::format("row {} of the {} table has {} cells for {} headers", r + 1, name,
                          table.rows[r].size(), table.headers.size()));
    }
  }
}

// Attribute `name="..."` of an opening tag, without the quotes; empty when absent.
std::string_view attribute(std::string_view tag, std::string_view name) {
  const std::string needle = " " + std::string(name) + "=\"";
  const std::size_t at = tag.find(needle);
  if (at == std::string_view::npos) {
    return {};
  }
  const std::size_t start = at + needle.size();
  const std::size_t end = tag.find('"', start);
  return end == std::string_view::npos ? std::string_view{} : tag.substr(start, end - start);
}

bool is_alnum(char c) noexcept {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

TableImage vip_image(const SegmentationSection& segmentation) {
  const Table& table = segmentation.vip_customers;
  TableImage image;
  image.title = segmentation.vip_customers_title;
  image.subtitle = segmentation.vip_customers_note;
  image.headers = table.headers;
  image.rows = table.rows;
  image.right_align = table.numeric;
  image.min_width = 900;
  return image;
}

}  // namespace

void ReportModel::validate() const {
  check_table(top_products.table, "top products");
  const std::size_t rows = top_products.table.rows.size();
  if (top_products.product_ids.size() != rows || top_products.revenue.size() != rows ||
      top_products.avg_sentiment.size() != rows) {
    invalid(fmt::format("the top-products chart series have {}, {} and {} entries for {} rows",
                        top_products.product_ids.size(), top_products.revenue.size(),
                        top_products.avg_sentiment.size(), rows));
  }
  if (segmentation) {
    check_table(segmentation->segments, "segments");
    check_table(segmentation->vip_customers, "VIP customers");
  }
  check_table(quality.rejects, "rejects");
  check_table(quality.missing, "missing values");
  check_table(quality.dates, "dates");
  check_table(provenance.inputs, "inputs");
}

Charts draw_charts(const ReportModel& model) {
  model.validate();
  const TopProductsSection& top = model.top_products;
  Charts charts;

  BarChart bars;
  bars.text.title = top.revenue_chart_title;
  bars.text.subtitle = "Revenue in US dollars, highest first";
  bars.text.x_title = "Product";
  bars.text.y_title = "Revenue";
  bars.categories = top.product_ids;
  bars.values = top.revenue;
  bars.format_value = [](double value) { return format_currency(value, 0); };
  bars.format_tick = [](double value) { return format_currency_compact(value); };
  charts.revenue = render(bars, {.svg_id_prefix = "revenue-"});

  LineChart line;
  line.text.title = top.sentiment_chart_title;
  line.text.subtitle = top.sentiment_chart_subtitle;
  line.text.x_title = "Product (by revenue rank)";
  line.text.y_title = "Average sentiment (1 to 5)";
  line.categories = top.product_ids;
  line.values = top.avg_sentiment;
  line.y_min = 1.0;
  line.y_max = 5.0;
  line.reference_line = top.all_product_avg_sentiment;
  if (top.all_product_avg_sentiment) {
    line.reference_label =
        "All-product average " + format_number(*top.all_product_avg_sentiment, 2);
  }
  line.format_value = [](double value) { return format_number(value, 2); };
  line.format_tick = [](double value) { return format_number(value, 0); };
  charts.sentiment = render(line, {.svg_id_prefix = "sentiment-"});

  if (model.segmentation) {
    charts.vip_table = render(vip_image(*model.segmentation), {.svg_id_prefix = "vip-"});
  }
  return charts;
}

std::string html_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string markdown_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  // At the start of a line these begin a heading, a list item or a setext underline.
  std::size_t digits = 0;
  while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') {
    ++digits;
  }
  const bool numbered_item =
      digits > 0 && digits < text.size() && (text[digits] == '.' || text[digits] == ')') &&
      (digits + 1 == text.size() || text[digits + 1] == ' ' || text[digits + 1] == '\t');
  const bool starts_block =
      !text.empty() && (text[0] == '#' || text[0] == '+' || text[0] == '-' || text[0] == '=');
  if (starts_block) {
    out += '\\';
  }
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    switch (c) {
      case '\r':
        if (i + 1 < text.size() && text[i + 1] == '\n') {
          continue;  // CRLF is one line break
        }
        out += ' ';
        break;
      case '\n':
        out += ' ';
        break;
      case '\\':
      case '_':
        // Between two letters or digits an underscore can neither open nor close emphasis (GFM),
        // so ids like C_017 and names like sale_date stay as they are.
        if (!(i > 0 && i + 1 < text.size() && is_alnum(text[i - 1]) && is_alnum(text[i + 1]))) {
          out += '\\';
        }
        out += c;
        break;
      case '`':
      case '*':
      case '[':
      case ']':
      case '<':
      case '>':
      case '|':
      case '~':
      case '&':
        out += '\\';
        out += c;
        break;
      default:
        if (numbered_item && i == digits) {
          out += '\\';
        }
        out += c;
    }
  }
  return out;
}

std::string inline_svg(std::string_view svg, std::string_view label) {
  const std::size_t open = svg.find("<svg");
  const std::size_t close = open == std::string_view::npos ? open : svg.find('>', open);
  if (close == std::string_view::npos) {
    invalid("a chart has no <svg> element");
  }
  const std::string_view tag = svg.substr(open, close - open);
  std::string view_box(attribute(tag, "viewBox"));
  if (view_box.empty()) {
    const std::string_view width = attribute(tag, "width");
    const std::string_view height = attribute(tag, "height");
    if (width.empty() || height.empty()) {
      invalid("a chart's <svg> element has neither a viewBox nor a width and height");
    }
    view_box = "0 0 " + std::string(width) + " " + std::string(height);
  }
  std::string out = "<svg viewBox=\"" + html_escape(view_box) + "\" role=\"img\" aria-label=\"" +
                    html_escape(label) + "\"";
  // A self-closing tag would leave nothing to close; cairo never writes one, but keep it valid.
  out += (close > 0 && svg[close - 1] == '/') ? "/>" : ">";
  std::string_view rest = svg.substr(close + 1);
  while (!rest.empty() && (rest.front() == '\n' || rest.front() == '\r')) {
    rest.remove_prefix(1);
  }
  while (!rest.empty() && (rest.back() == '\n' || rest.back() == '\r' || rest.back() == ' ')) {
    rest.remove_suffix(1);
  }
  out += rest;
  return out;
}

}  // namespace salespipe::report
