#include "report/chart.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/error.hpp"
#include "report/chart_canvas.hpp"

namespace salespipe::report {
namespace {

using detail::Color;
using detail::Fonts;
using detail::HAlign;
using detail::Painter;
using detail::rgb;
using detail::VAlign;

// A muted palette on white: dark slate text, light grid, one blue series colour.
constexpr Color kTitleColor = rgb(0x1F2937);
constexpr Color kTextColor = rgb(0x374151);
constexpr Color kMutedColor = rgb(0x6B7280);
constexpr Color kFaintColor = rgb(0x9CA3AF);
constexpr Color kGridColor = rgb(0xE5E7EB);
constexpr Color kAxisColor = rgb(0x9CA3AF);
constexpr Color kSeriesColor = rgb(0x4C78A8);
constexpr Color kNegativeColor = rgb(0xC8645B);
constexpr Color kReferenceColor = rgb(0xE07B39);
constexpr Color kWhite = rgb(0xFFFFFF);
constexpr Color kHeaderBand = rgb(0xE8EEF6);
constexpr Color kHeaderRule = rgb(0xC5CFDD);
constexpr Color kZebra = rgb(0xF6F8FB);
constexpr Color kRowRule = rgb(0xEBEEF2);
constexpr Color kHighlight = rgb(0xFFF3CC);
constexpr Color kHighlightAccent = rgb(0xE0A100);

// Sizes in pixels, chosen for a 1200 px wide image read at its natural size.
constexpr double kMarginX = 28.0;
constexpr double kMarginTop = 24.0;
constexpr double kMarginBottom = 20.0;
constexpr double kTitleSize = 24.0;
constexpr double kSubtitleSize = 16.0;
constexpr double kAxisTitleSize = 15.0;
constexpr double kTickSize = 14.0;
constexpr double kCategorySize = 14.0;
constexpr double kValueSize = 14.0;
constexpr double kSmallValueSize = 12.0;
constexpr double kLegendSize = 14.0;
constexpr double kNoteSize = 12.0;
constexpr double kNoDataSize = 16.0;
constexpr double kCellSize = 15.0;

constexpr double kHeaderGap = 6.0;     // between title and subtitle
constexpr double kHeaderSpace = 14.0;  // under the header block
constexpr double kTickGap = 10.0;      // tick labels to plot
constexpr double kCategoryGap = 10.0;  // plot to category labels
constexpr double kValueGap = 6.0;      // bar end to its label
constexpr double kMarkerRadius = 5.5;
constexpr double kMarkerLabelGap = 10.0;  // marker centre to its label
constexpr double kLegendHeight = 26.0;
constexpr double kRotatedAngle = 40.0;
constexpr double kMaxRotatedLength = 220.0;
constexpr double kMinHorizontalSlot = 120.0;  // narrower slots turn long labels
constexpr double kMinPlotHeight = 40.0;

constexpr double kCellPadX = 14.0;
constexpr double kRowHeight = 34.0;
constexpr double kTableHeaderHeight = 40.0;
constexpr double kMaxCellWidth = 360.0;
constexpr double kAccentWidth = 4.0;

// A table's subtitle wraps onto at most this many lines, this far apart; a longer one is cut.
constexpr std::size_t kMaxTableSubtitleLines = 3;
constexpr double kSubtitleLeading = 4.0;

constexpr int kMinChartWidth = 480;
constexpr int kMinChartHeight = 320;
constexpr int kMaxImageSide = 16384;

[[noreturn]] void invalid(const std::string& message) {
  throw Error(ErrorKind::Internal, "chart: " + message);
}

void check_size(int width, int height) {
  if (width < kMinChartWidth || height < kMinChartHeight || width > kMaxImageSide ||
      height > kMaxImageSide) {
    invalid("size " + std::to_string(width) + "x" + std::to_string(height) + " is outside " +
            std::to_string(kMinChartWidth) + "x" + std::to_string(kMinChartHeight) + ".." +
            std::to_string(kMaxImageSide) + "x" + std::to_string(kMaxImageSide));
  }
}

void check_finite(double value, const std::string& what) {
  if (!std::isfinite(value)) {
    invalid(what + " is not a finite number");
  }
}

ValueFormat value_format_or_default(const ValueFormat& format) {
  if (format) {
    return format;
  }
  return [](double value) { return format_number(value, 2); };
}

// The caller's tick format, else its value format, else plain numbers with as many decimals as
// the tick step needs (1, 1.5, 2 rather than 1.00, 1.50, 2.00).
ValueFormat tick_format_or_default(const ValueFormat& tick, const ValueFormat& value,
                                   const std::vector<double>& ticks) {
  if (tick) {
    return tick;
  }
  if (value) {
    return value;
  }
  int decimals = 0;
  while (decimals < 6 && !std::all_of(ticks.begin(), ticks.end(), [&](double t) {
           const double scaled = t * std::pow(10.0, decimals);
           return std::abs(scaled - std::round(scaled)) <= 1e-6 * std::max(1.0, std::abs(scaled));
         })) {
    ++decimals;
  }
  return [decimals](double v) { return format_number(v, decimals); };
}

std::vector<std::string> cleaned(const std::vector<std::string>& texts) {
  std::vector<std::string> out;
  out.reserve(texts.size());
  for (const std::string& text : texts) {
    out.push_back(detail::clean_label(text));
  }
  return out;
}

// Value labels in the two formats, each cleaned for cairo; empty strings for missing values.
struct ValueLabels {
  std::vector<std::string> full;
  std::vector<std::string> compact;
};

// Formats every value before drawing starts, so an exception from a formatter leaves no
// half-drawn surface behind.
template <typename Get>
ValueLabels make_value_labels(std::size_t count, Get get, const ValueFormat& full,
                              const ValueFormat& compact) {
  ValueLabels labels;
  for (std::size_t i = 0; i < count; ++i) {
    const std::optional<double> value = get(i);
    labels.full.push_back(value ? detail::clean_label(full(*value)) : std::string());
    labels.compact.push_back(value ? detail::clean_label(compact(*value)) : std::string());
  }
  return labels;
}

// The first (labels, font size) whose widest label fits the slot; nullptr when none does.
struct LabelChoice {
  const std::vector<std::string>* labels = nullptr;
  double size = kValueSize;
};

LabelChoice choose_value_labels(Painter& p, const ValueLabels& labels, double slot) {
  const double room = slot - 6.0;
  const std::pair<const std::vector<std::string>*, double> options[] = {
      {&labels.full, kValueSize},
      {&labels.compact, kValueSize},
      {&labels.compact, kSmallValueSize}};
  for (const auto& [texts, size] : options) {
    p.font(size);
    double widest = 0.0;
    for (const std::string& text : *texts) {
      widest = std::max(widest, p.text_width(text));
    }
    if (widest <= room) {
      return {texts, size};
    }
  }
  return {};
}

// ---------------------------------------------------------------------------------------------
// The frame shared by bar and line charts: header, y axis with grid, category labels, titles.

struct Plot {
  double left = 0.0;
  double right = 0.0;
  double top = 0.0;
  double bottom = 0.0;
  double lo = 0.0;
  double hi = 1.0;
  std::size_t slots = 1;

  double slot() const { return (right - left) / static_cast<double>(slots); }
  double x(std::size_t i) const { return left + (static_cast<double>(i) + 0.5) * slot(); }
  double y(double value) const { return bottom - (value - lo) / (hi - lo) * (bottom - top); }
};

struct FrameSpec {
  const ChartText* text = nullptr;
  const std::vector<std::string>* categories = nullptr;  // cleaned
  std::vector<double> ticks;
  std::vector<std::string> tick_labels;  // cleaned
  double lo = 0.0;
  double hi = 1.0;
  double legend_height = 0.0;  // a row between header and plot
  double top_band = 0.0;       // room above the plot for labels of the highest values
  double bottom_band = 0.0;    // room under the plot for labels of the lowest values
  int width = 0;
  int height = 0;
};

struct Frame {
  Plot plot;
  std::string title;
  std::string subtitle;
  std::string x_title;
  std::string y_title;
  double title_top = 0.0;
  double subtitle_top = 0.0;
  double legend_top = 0.0;
  double y_title_x = 0.0;
  double categories_top = 0.0;
  std::vector<std::string> category_labels;  // fitted; empty strings are skipped (stride)
  double category_angle = 0.0;
};

void layout_categories(Painter& p, const FrameSpec& spec, Frame& frame) {
  const std::vector<std::string>& categories = *spec.categories;
  frame.category_labels.clear();
  frame.category_angle = 0.0;
  if (categories.empty()) {
    return;
  }
  p.font(kCategorySize);
  const double slot = frame.plot.slot();
  const double line = p.line_height();
  double widest = 0.0;
  for (const std::string& label : categories) {
    widest = std::max(widest, p.text_width(label));
  }
  // Horizontal when every label fits its slot, or when slots are wide enough that a cut label
  // still reads well; otherwise turned, and cut to a length the image height can hold.
  if (widest <= slot - 8.0 || slot >= kMinHorizontalSlot) {
    for (const std::string& label : categories) {
      frame.category_labels.push_back(p.fit_middle(label, slot - 8.0));
    }
    return;
  }
  double angle = kRotatedAngle;
  double sine = std::sin(angle * std::numbers::pi / 180.0);
  if (slot * sine < line) {
    angle = 90.0;
    sine = 1.0;
  }
  const double cosine = angle == 90.0 ? 0.0 : std::cos(angle * std::numbers::pi / 180.0);
  // Neighbouring turned labels lie slot * sine apart; show every stride-th when that is less
  // than a line.
  const auto stride = static_cast<std::size_t>(std::ceil(line / (slot * sine) - 1e-9));
  const double longest = std::min(kMaxRotatedLength, 0.22 * spec.height / sine);
  frame.category_angle = angle;
  for (std::size_t i = 0; i < categories.size(); ++i) {
    if (i % std::max<std::size_t>(stride, 1) != 0) {
      frame.category_labels.emplace_back();
      continue;
    }
    double room = longest;
    if (cosine > 0.0) {
      // A label turned around its end reaches left of its tick; keep it on the canvas.
      room = std::min(room, (frame.plot.x(i) - 4.0 - line / 2.0 * sine) / cosine);
    }
    frame.category_labels.push_back(p.fit_middle(categories[i], std::max(room, 0.0)));
  }
}

double category_band(Painter& p, const Frame& frame) {
  if (frame.category_labels.empty()) {
    return 0.0;
  }
  p.font(kCategorySize);
  const double line = p.line_height();
  if (frame.category_angle == 0.0) {
    return line;
  }
  const double radians = frame.category_angle * std::numbers::pi / 180.0;
  double widest = 0.0;
  for (const std::string& label : frame.category_labels) {
    widest = std::max(widest, p.text_width(label));
  }
  return widest * std::sin(radians) + line * std::abs(std::cos(radians));
}

Frame layout_frame(Painter& p, const FrameSpec& spec) {
  Frame frame;
  const double width = spec.width;
  const double height = spec.height;
  const ChartText& text = *spec.text;

  double y = kMarginTop;
  p.font(kTitleSize, true);
  frame.title = p.fit(detail::clean_label(text.title), width - 2.0 * kMarginX);
  if (!frame.title.empty()) {
    frame.title_top = y;
    y += p.line_height() + kHeaderGap;
  }
  p.font(kSubtitleSize);
  frame.subtitle = p.fit(detail::clean_label(text.subtitle), width - 2.0 * kMarginX);
  if (!frame.subtitle.empty()) {
    frame.subtitle_top = y;
    y += p.line_height() + kHeaderGap;
  }
  if (y > kMarginTop) {
    y += kHeaderSpace - kHeaderGap;
  }
  frame.legend_top = y;
  y += spec.legend_height;

  Plot& plot = frame.plot;
  plot.top = y + spec.top_band;
  plot.lo = spec.lo;
  plot.hi = spec.hi;
  plot.slots = std::max<std::size_t>(spec.categories->size(), 1);

  p.font(kTickSize);
  double widest_tick = 0.0;
  for (const std::string& label : spec.tick_labels) {
    widest_tick = std::max(widest_tick, p.text_width(label));
  }
  p.font(kAxisTitleSize);
  const std::string y_title = detail::clean_label(text.y_title);
  const double y_title_room = y_title.empty() ? 0.0 : p.line_height() + 10.0;
  frame.y_title_x = kMarginX + p.line_height() / 2.0;
  plot.left = std::round(kMarginX + y_title_room + widest_tick + kTickGap);
  plot.right = std::round(width - kMarginX);

  layout_categories(p, spec, frame);
  const double categories_height = category_band(p, frame);
  p.font(kAxisTitleSize);
  const std::string x_title = detail::clean_label(text.x_title);
  const double x_title_room = x_title.empty() ? 0.0 : p.line_height() + 10.0;
  plot.bottom = std::round(height - kMarginBottom - x_title_room - categories_height -
                           kCategoryGap - spec.bottom_band);
  frame.categories_top = plot.bottom + spec.bottom_band + kCategoryGap;
  if (plot.bottom - plot.top < kMinPlotHeight) {
    invalid("size " + std::to_string(spec.width) + "x" + std::to_string(spec.height) +
            " leaves no room for the plot under its titles and labels");
  }
  frame.x_title = p.fit(x_title, plot.right - plot.left);
  frame.y_title = p.fit(y_title, plot.bottom - plot.top + spec.top_band);
  return frame;
}

void draw_frame(Painter& p, const Frame& frame, const FrameSpec& spec) {
  const Plot& plot = frame.plot;
  if (!frame.title.empty()) {
    p.font(kTitleSize, true);
    p.text(kMarginX, frame.title_top, frame.title, kTitleColor, HAlign::Left, VAlign::Top);
  }
  if (!frame.subtitle.empty()) {
    p.font(kSubtitleSize);
    p.text(kMarginX, frame.subtitle_top, frame.subtitle, kMutedColor, HAlign::Left, VAlign::Top);
  }

  for (const double tick : spec.ticks) {
    p.hline(plot.left, plot.right, plot.y(tick), kGridColor, 1.0);
  }
  p.font(kTickSize);
  for (std::size_t i = 0; i < spec.ticks.size(); ++i) {
    p.text(plot.left - kTickGap, std::floor(plot.y(spec.ticks[i])) + 0.5, spec.tick_labels[i],
           kMutedColor, HAlign::Right, VAlign::Middle);
  }

  p.font(kCategorySize);
  const double line = p.line_height();
  const double radians = frame.category_angle * std::numbers::pi / 180.0;
  for (std::size_t i = 0; i < frame.category_labels.size(); ++i) {
    const std::string& label = frame.category_labels[i];
    if (frame.category_angle == 0.0) {
      p.text(plot.x(i), frame.categories_top, label, kTextColor, HAlign::Center, VAlign::Top);
    } else {
      // Turned around the end of the label, so it ends right under its category.
      p.text(plot.x(i), frame.categories_top + line / 2.0 * std::cos(radians), label, kTextColor,
             HAlign::Right, VAlign::Middle, frame.category_angle);
    }
  }

  p.font(kAxisTitleSize);
  if (!frame.y_title.empty()) {
    p.text(frame.y_title_x, (plot.top + plot.bottom) / 2.0, frame.y_title, kTextColor,
           HAlign::Center, VAlign::Middle, 90.0);
  }
  if (!frame.x_title.empty()) {
    p.text((plot.left + plot.right) / 2.0, spec.height - kMarginBottom, frame.x_title, kTextColor,
           HAlign::Center, VAlign::Bottom);
  }
}

void draw_no_data(Painter& p, const Plot& plot) {
  p.font(kNoDataSize);
  p.text((plot.left + plot.right) / 2.0, (plot.top + plot.bottom) / 2.0, "No data", kFaintColor,
         HAlign::Center, VAlign::Middle);
}

std::vector<std::string> tick_labels(const std::vector<double>& ticks, const ValueFormat& format) {
  std::vector<std::string> labels;
  labels.reserve(ticks.size());
  for (const double tick : ticks) {
    labels.push_back(detail::clean_label(format(tick)));
  }
  return labels;
}

}  // namespace

// ---------------------------------------------------------------------------------------------

Rendered render(const BarChart& chart, const RenderOptions& options) {
  check_size(chart.width, chart.height);
  if (chart.categories.size() != chart.values.size()) {
    invalid("bar chart has " + std::to_string(chart.categories.size()) + " categories but " +
            std::to_string(chart.values.size()) + " values");
  }
  double lowest = 0.0;
  double highest = 0.0;
  for (std::size_t i = 0; i < chart.values.size(); ++i) {
    check_finite(chart.values[i], "bar chart value " + std::to_string(i + 1));
    lowest = std::min(lowest, chart.values[i]);
    highest = std::max(highest, chart.values[i]);
  }

  FrameSpec spec;
  if (lowest == 0.0 && highest == 0.0) {
    // Nothing to scale: one tick at 0 rather than an invented 0..1 scale.
    spec.ticks = {0.0};
    spec.lo = 0.0;
    spec.hi = 1.0;
  } else {
    spec.ticks = nice_ticks(lowest, highest, 5);
    spec.lo = spec.ticks.front();
    spec.hi = spec.ticks.back();
  }
  const ValueFormat format_value = value_format_or_default(chart.format_value);
  const ValueFormat format_tick =
      tick_format_or_default(chart.format_tick, chart.format_value, spec.ticks);
  const std::vector<std::string> categories = cleaned(chart.categories);
  const std::vector<double> values = chart.values;
  const ValueLabels labels = make_value_labels(
      values.size(), [&](std::size_t i) { return std::optional<double>(values[i]); }, format_value,
      format_tick);
  spec.text = &chart.text;
  spec.categories = &categories;
  spec.tick_labels = tick_labels(spec.ticks, format_tick);
  spec.width = chart.width;
  spec.height = chart.height;

  const Fonts fonts;
  const detail::Draw draw = [&](Painter& p) {
    p.font(kValueSize);
    const double value_band = p.line_height() + kValueGap + 2.0;
    FrameSpec framed = spec;
    framed.top_band = value_band;
    framed.bottom_band = lowest < 0.0 ? value_band : 0.0;
    const Frame frame = layout_frame(p, framed);
    draw_frame(p, frame, framed);
    const Plot& plot = frame.plot;
    if (values.empty()) {
      draw_no_data(p, plot);
      p.hline(plot.left, plot.right, plot.bottom, kAxisColor, 1.0);
      return;
    }

    const double slot = plot.slot();
    const double bar_width = std::min(slot * 0.64, 120.0);
    const double zero = plot.y(0.0);
    for (std::size_t i = 0; i < values.size(); ++i) {
      const double x0 = std::round(plot.x(i) - bar_width / 2.0);
      const double x1 = std::round(plot.x(i) + bar_width / 2.0);
      const double end = std::round(plot.y(values[i]));
      const double base = std::round(zero);
      p.fill_rect(x0, std::min(base, end), std::max(x1 - x0, 1.0), std::abs(end - base),
                  values[i] < 0.0 ? kNegativeColor : kSeriesColor);
    }
    p.hline(plot.left, plot.right, zero, kAxisColor, 1.0);

    const LabelChoice choice = choose_value_labels(p, labels, slot);
    if (choice.labels == nullptr) {
      return;
    }
    p.font(choice.size);
    for (std::size_t i = 0; i < values.size(); ++i) {
      const double end = plot.y(values[i]);
      if (values[i] < 0.0) {
        p.text(plot.x(i), end + kValueGap, (*choice.labels)[i], kTitleColor, HAlign::Center,
               VAlign::Top);
      } else {
        p.text(plot.x(i), end - kValueGap, (*choice.labels)[i], kTitleColor, HAlign::Center,
               VAlign::Bottom);
      }
    }
  };
  return detail::render_both(fonts, chart.width, chart.height, draw, options);
}

Rendered render(const LineChart& chart, const RenderOptions& options) {
  check_size(chart.width, chart.height);
  if (chart.categories.size() != chart.values.size()) {
    invalid("line chart has " + std::to_string(chart.categories.size()) + " categories but " +
            std::to_string(chart.values.size()) + " values");
  }
  check_finite(chart.y_min, "line chart y_min");
  check_finite(chart.y_max, "line chart y_max");
  if (!(chart.y_min < chart.y_max)) {
    invalid("line chart y_min " + format_number(chart.y_min, 6) + " is not below y_max " +
            format_number(chart.y_max, 6));
  }
  double lowest = chart.y_min;
  double highest = chart.y_max;
  for (std::size_t i = 0; i < chart.values.size(); ++i) {
    if (chart.values[i]) {
      check_finite(*chart.values[i], "line chart value " + std::to_string(i + 1));
      lowest = std::min(lowest, *chart.values[i]);
      highest = std::max(highest, *chart.values[i]);
    }
  }
  if (chart.reference_line) {
    check_finite(*chart.reference_line, "line chart reference line");
    lowest = std::min(lowest, *chart.reference_line);
    highest = std::max(highest, *chart.reference_line);
  }
  // The fixed range, widened to nice ticks only on the side some value falls outside.
  double lo = chart.y_min;
  double hi = chart.y_max;
  if (lowest < lo || highest > hi) {
    const std::vector<double> wide = nice_ticks(lowest, highest, 5);
    lo = lowest < lo ? wide.front() : lo;
    hi = highest > hi ? wide.back() : hi;
  }

  FrameSpec spec;
  const double slack = (hi - lo) * 1e-9;
  for (const double tick : nice_ticks(lo, hi, 5)) {
    if (tick >= lo - slack && tick <= hi + slack) {
      spec.ticks.push_back(tick);
    }
  }
  const ValueFormat format_value = value_format_or_default(chart.format_value);
  const ValueFormat format_tick =
      tick_format_or_default(chart.format_tick, chart.format_value, spec.ticks);
  const std::vector<std::string> categories = cleaned(chart.categories);
  const std::vector<std::optional<double>> values = chart.values;
  const ValueLabels labels = make_value_labels(
      values.size(), [&](std::size_t i) { return values[i]; }, format_value, format_tick);
  const std::optional<double> reference = chart.reference_line;
  const std::string reference_label = !reference ? std::string()
                                      : chart.reference_label.empty()
                                          ? detail::clean_label(format_value(*reference))
                                          : detail::clean_label(chart.reference_label);

  spec.text = &chart.text;
  spec.categories = &categories;
  spec.tick_labels = tick_labels(spec.ticks, format_tick);
  spec.lo = lo;
  spec.hi = hi;
  spec.legend_height = reference ? kLegendHeight : 0.0;
  spec.width = chart.width;
  spec.height = chart.height;

  const Fonts fonts;
  const detail::Draw draw = [&](Painter& p) {
    p.font(kValueSize);
    const double label_height = p.line_height();
    FrameSpec framed = spec;
    // Room beyond the plot for labels of points on its edges (a valley at y_min labels below).
    framed.top_band = kMarkerLabelGap + label_height + 2.0;
    framed.bottom_band = framed.top_band;
    const Frame frame = layout_frame(p, framed);
    draw_frame(p, frame, framed);
    const Plot& plot = frame.plot;
    p.hline(plot.left, plot.right, plot.bottom, kAxisColor, 1.0);

    if (reference) {
      p.hline(plot.left, plot.right, plot.y(*reference), kReferenceColor, 2.0, true);
      p.font(kLegendSize);
      const double middle = frame.legend_top + kLegendHeight / 2.0 - 4.0;
      const std::string legend = p.fit(reference_label, plot.right - plot.left - 40.0);
      const double text_left = plot.right - p.text_width(legend);
      p.hline(text_left - 36.0, text_left - 8.0, middle, kReferenceColor, 2.0, true);
      p.text(plot.right, middle, legend, kTextColor, HAlign::Right, VAlign::Middle);
    }
    if (values.empty()) {
      draw_no_data(p, plot);
      return;
    }

    // The line, broken where a value is missing.
    std::vector<double> xs;
    std::vector<double> ys;
    auto flush = [&] {
      p.polyline(xs.data(), ys.data(), xs.size(), kSeriesColor, 2.5);
      xs.clear();
      ys.clear();
    };
    for (std::size_t i = 0; i < values.size(); ++i) {
      if (!values[i]) {
        flush();
        continue;
      }
      xs.push_back(plot.x(i));
      ys.push_back(plot.y(*values[i]));
    }
    flush();
    for (std::size_t i = 0; i < values.size(); ++i) {
      if (values[i]) {
        p.circle(plot.x(i), plot.y(*values[i]), kMarkerRadius, kWhite, kSeriesColor, 2.5);
      }
    }

    const double slot = plot.slot();
    const LabelChoice choice = choose_value_labels(p, labels, slot);
    if (choice.labels != nullptr) {
      p.font(choice.size);
      const double height = p.line_height();
      for (std::size_t i = 0; i < values.size(); ++i) {
        if (!values[i]) {
          continue;
        }
        // Above the marker unless the point lies below its neighbours, where the line leaves
        // the space under it free; and never outside the room the frame keeps.
        double neighbours = 0.0;
        int count = 0;
        if (i > 0 && values[i - 1]) {
          neighbours += *values[i - 1];
          ++count;
        }
        if (i + 1 < values.size() && values[i + 1]) {
          neighbours += *values[i + 1];
          ++count;
        }
        const double y = plot.y(*values[i]);
        const bool room_below = y + kMarkerLabelGap + height <= plot.bottom + framed.bottom_band;
        const bool room_above = y - kMarkerLabelGap - height >= plot.top - framed.top_band;
        bool below = count > 0 && *values[i] < neighbours / count && room_below;
        if (!room_above && room_below) {
          below = true;
        }
        if (below) {
          p.text_with_halo(plot.x(i), y + kMarkerLabelGap, (*choice.labels)[i], kTitleColor,
                           HAlign::Center, VAlign::Top);
        } else {
          p.text_with_halo(plot.x(i), y - kMarkerLabelGap, (*choice.labels)[i], kTitleColor,
                           HAlign::Center, VAlign::Bottom);
        }
      }
    }

    p.font(kNoteSize);
    const std::string note = p.text_width("no data") <= slot - 4.0 ? "no data" : "\xE2\x80\x93";
    for (std::size_t i = 0; i < values.size(); ++i) {
      if (!values[i]) {
        p.text(plot.x(i), plot.bottom - 6.0, note, kFaintColor, HAlign::Center, VAlign::Bottom);
      }
    }
  };
  return detail::render_both(fonts, chart.width, chart.height, draw, options);
}

Rendered render(const TableImage& table, const RenderOptions& options) {
  const std::size_t columns = table.headers.size();
  if (columns == 0) {
    invalid("table has no columns");
  }
  for (std::size_t r = 0; r < table.rows.size(); ++r) {
    if (table.rows[r].size() != columns) {
      invalid("table row " + std::to_string(r + 1) + " has " +
              std::to_string(table.rows[r].size()) + " cells for " + std::to_string(columns) +
              " columns");
    }
  }
  if (!table.right_align.empty() && table.right_align.size() != columns) {
    invalid("table right_align has " + std::to_string(table.right_align.size()) + " entries for " +
            std::to_string(columns) + " columns");
  }
  if (!table.highlight_row.empty() && table.highlight_row.size() != table.rows.size()) {
    invalid("table highlight_row has " + std::to_string(table.highlight_row.size()) +
            " entries for " + std::to_string(table.rows.size()) + " rows");
  }
  if (table.min_width < kMinChartWidth || table.min_width > kMaxImageSide) {
    invalid("table min_width " + std::to_string(table.min_width) + " is outside " +
            std::to_string(kMinChartWidth) + ".." + std::to_string(kMaxImageSide));
  }
  auto right_aligned = [&](std::size_t c) {
    return !table.right_align.empty() && table.right_align[c];
  };
  auto highlighted = [&](std::size_t r) {
    return !table.highlight_row.empty() && table.highlight_row[r];
  };

  // Measure first: the image size follows the text.
  const Fonts fonts;
  std::vector<std::string> headers;
  std::vector<std::vector<std::string>> cells(table.rows.size());
  std::vector<double> widths(columns, 0.0);
  double title_height = 0.0;
  const std::string title = detail::clean_label(table.title);
  detail::with_scratch_painter(fonts, [&](Painter& p) {
    p.font(kCellSize, true);
    for (std::size_t c = 0; c < columns; ++c) {
      headers.push_back(p.fit(detail::clean_label(table.headers[c]), kMaxCellWidth));
      widths[c] = p.text_width(headers[c]);
    }
    p.font(kCellSize);
    for (std::size_t r = 0; r < table.rows.size(); ++r) {
      for (std::size_t c = 0; c < columns; ++c) {
        cells[r].push_back(p.fit(detail::clean_label(table.rows[r][c]), kMaxCellWidth));
        widths[c] = std::max(widths[c], p.text_width(cells[r][c]));
      }
    }
    p.font(kTitleSize, true);
    title_height = title.empty() ? 0.0 : p.line_height() + kHeaderGap;
  });

  double natural = 0.0;
  for (double& width : widths) {
    width = std::ceil(width + 2.0 * kCellPadX);
    natural += width;
  }
  const double side = std::max(natural + 2.0 * kMarginX, static_cast<double>(table.min_width));
  const double spare = side - 2.0 * kMarginX - natural;
  for (double& width : widths) {
    width += spare / static_cast<double>(columns);
  }
  // The subtitle wraps at the table's width, so a note longer than the columns reads whole.
  std::vector<std::string> subtitle_lines;
  double subtitle_line_step = 0.0;
  detail::with_scratch_painter(fonts, [&](Painter& p) {
    p.font(kSubtitleSize);
    subtitle_lines =
        p.wrap(detail::clean_label(table.subtitle), side - 2.0 * kMarginX, kMaxTableSubtitleLines);
    subtitle_line_step = p.line_height() + kSubtitleLeading;
  });
  const double subtitle_height =
      subtitle_lines.empty() ? 0.0
                             : subtitle_line_step * static_cast<double>(subtitle_lines.size()) -
                                   kSubtitleLeading + kHeaderGap;
  double top = kMarginTop + title_height + subtitle_height;
  if (top > kMarginTop) {
    top += kHeaderSpace - kHeaderGap;
  }
  const std::size_t body_rows = std::max<std::size_t>(table.rows.size(), 1);
  const double bottom = top + kTableHeaderHeight + kRowHeight * static_cast<double>(body_rows);
  const double tall = std::ceil(bottom + kMarginBottom);
  if (side > kMaxImageSide || tall > kMaxImageSide) {
    invalid("table of " + std::to_string(table.rows.size()) + " rows and " +
            std::to_string(columns) + " columns needs " + format_number(side, 0) + "x" +
            format_number(tall, 0) + " pixels, over " + std::to_string(kMaxImageSide) +
            "; show fewer rows");
  }
  const int width = static_cast<int>(side);
  const int height = static_cast<int>(tall);

  const detail::Draw draw = [&](Painter& p) {
    double y = kMarginTop;
    if (!title.empty()) {
      p.font(kTitleSize, true);
      p.text(kMarginX, y, p.fit(title, side - 2.0 * kMarginX), kTitleColor, HAlign::Left,
             VAlign::Top);
      y += title_height;
    }
    p.font(kSubtitleSize);
    for (const std::string& line : subtitle_lines) {
      p.text(kMarginX, y, line, kMutedColor, HAlign::Left, VAlign::Top);
      y += subtitle_line_step;
    }
    const double left = kMarginX;
    const double right = side - kMarginX;
    auto cell_x = [&](std::size_t c, double column_left) {
      return right_aligned(c) ? column_left + widths[c] - kCellPadX : column_left + kCellPadX;
    };
    auto draw_row = [&](const std::vector<std::string>& row, double row_top, double row_height,
                        Color color) {
      double column_left = left;
      for (std::size_t c = 0; c < columns; ++c) {
        p.text(std::round(cell_x(c, column_left)), row_top + row_height / 2.0, row[c], color,
               right_aligned(c) ? HAlign::Right : HAlign::Left, VAlign::Middle);
        column_left += widths[c];
      }
    };

    p.fill_rect(left, top, right - left, kTableHeaderHeight, kHeaderBand);
    p.font(kCellSize, true);
    draw_row(headers, top, kTableHeaderHeight, kTitleColor);

    p.font(kCellSize);
    const double body_top = top + kTableHeaderHeight;
    for (std::size_t r = 0; r < table.rows.size(); ++r) {
      const double row_top = body_top + kRowHeight * static_cast<double>(r);
      if (highlighted(r)) {
        p.fill_rect(left, row_top, right - left, kRowHeight, kHighlight);
        p.fill_rect(left, row_top, kAccentWidth, kRowHeight, kHighlightAccent);
      } else if (r % 2 == 1) {
        p.fill_rect(left, row_top, right - left, kRowHeight, kZebra);
      }
      if (r + 1 < table.rows.size()) {
        p.hline(left, right, row_top + kRowHeight - 0.5, kRowRule, 1.0);
      }
      draw_row(cells[r], row_top, kRowHeight, kTextColor);
    }
    if (table.rows.empty()) {
      p.text(left + kCellPadX, body_top + kRowHeight / 2.0, "No rows", kFaintColor, HAlign::Left,
             VAlign::Middle);
    }
    p.hline(left, right, body_top - 0.5, kHeaderRule, 1.0);
    p.hline(left, right, bottom - 0.5, kHeaderRule, 1.0);
  };
  return detail::render_both(fonts, width, height, draw, options);
}

}  // namespace salespipe::report
