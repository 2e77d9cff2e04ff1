#include "report/chart.hpp"

#include <cairo.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <limits>
#include <optional>
#include <random>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "testing/testing.hpp"

namespace salespipe::report {
namespace {

// ---------------------------------------------------------------------------------------------
// Helpers: decode a PNG with cairo and look at its pixels.

struct Rgb {
  int r = 0;
  int g = 0;
  int b = 0;
};

constexpr Rgb hex(std::uint32_t value) {
  return {static_cast<int>((value >> 16) & 0xFF), static_cast<int>((value >> 8) & 0xFF),
          static_cast<int>(value & 0xFF)};
}

// Colours the module draws with (chart.cpp); the tests look for them in the pixels.
constexpr Rgb kSeries = hex(0x4C78A8);
constexpr Rgb kNegative = hex(0xC8645B);
constexpr Rgb kReference = hex(0xE07B39);
constexpr Rgb kHeaderBand = hex(0xE8EEF6);
constexpr Rgb kZebra = hex(0xF6F8FB);
constexpr Rgb kHighlight = hex(0xFFF3CC);

struct Image {
  int width = 0;
  int height = 0;
  std::vector<Rgb> pixels;

  const Rgb& at(int x, int y) const {
    return pixels[static_cast<std::size_t>(y) * static_cast<std::size_t>(width) +
                  static_cast<std::size_t>(x)];
  }
};

struct PngReader {
  const std::string* bytes;
  std::size_t offset = 0;
};

cairo_status_t read_png(void* closure, unsigned char* data, unsigned int length) {
  auto* reader = static_cast<PngReader*>(closure);
  if (reader->bytes->size() - reader->offset < length) {
    return CAIRO_STATUS_READ_ERROR;
  }
  std::memcpy(data, reader->bytes->data() + reader->offset, length);
  reader->offset += length;
  return CAIRO_STATUS_SUCCESS;
}

// The PNG decoded, or nullopt when cairo cannot read it.
std::optional<Image> decode_png(const std::string& png) {
  PngReader reader{&png};
  cairo_surface_t* surface = cairo_image_surface_create_from_png_stream(read_png, &reader);
  if (cairo_surface_status(surface) != CAIRO_STATUS_SUCCESS) {
    cairo_surface_destroy(surface);
    return std::nullopt;
  }
  Image image;
  image.width = cairo_image_surface_get_width(surface);
  image.height = cairo_image_surface_get_height(surface);
  const int stride = cairo_image_surface_get_stride(surface);
  const unsigned char* data = cairo_image_surface_get_data(surface);
  image.pixels.reserve(static_cast<std::size_t>(image.width) *
                       static_cast<std::size_t>(image.height));
  for (int y = 0; y < image.height; ++y) {
    for (int x = 0; x < image.width; ++x) {
      std::uint32_t pixel = 0;
      std::memcpy(&pixel, data + static_cast<std::ptrdiff_t>(y) * stride + x * 4, 4);
      image.pixels.push_back(hex(pixel & 0xFFFFFFu));
    }
  }
  cairo_surface_destroy(surface);
  return image;
}

bool near(const Rgb& a, const Rgb& b, int tolerance = 2) {
  return std::abs(a.r - b.r) <= tolerance && std::abs(a.g - b.g) <= tolerance &&
         std::abs(a.b - b.b) <= tolerance;
}

bool is_white(const Rgb& pixel) { return pixel.r >= 250 && pixel.g >= 250 && pixel.b >= 250; }

struct Box {
  int x0 = 0;
  int y0 = 0;
  int x1 = 0;  // exclusive
  int y1 = 0;  // exclusive
};

Box whole(const Image& image) { return {0, 0, image.width, image.height}; }

template <typename Pred>
int count_pixels(const Image& image, Box box, Pred pred) {
  int count = 0;
  for (int y = std::max(box.y0, 0); y < std::min(box.y1, image.height); ++y) {
    for (int x = std::max(box.x0, 0); x < std::min(box.x1, image.width); ++x) {
      count += pred(image.at(x, y)) ? 1 : 0;
    }
  }
  return count;
}

int count_colour(const Image& image, Box box, Rgb colour) {
  return count_pixels(image, box, [&](const Rgb& p) { return near(p, colour); });
}

int count_non_white(const Image& image, Box box) {
  return count_pixels(image, box, [](const Rgb& p) { return !is_white(p); });
}

Image decoded(const Rendered& rendered) {
  std::optional<Image> image = decode_png(rendered.png);
  if (!image) {
    ADD_FAILURE() << "the PNG does not decode";
    return {};
  }
  return *image;
}

// True when Python's XML parser accepts the text (the SVG must open in any browser or viewer).
bool is_well_formed_xml(const std::string& text) {
  testing::TempDir dir;
  const std::filesystem::path path = dir / "image.svg";
  testing::write_file(path, text);
  const std::string command =
      "/usr/bin/python3 -c 'import sys, xml.dom.minidom; xml.dom.minidom.parse(sys.argv[1])' '" +
      path.string() + "' 2>/dev/null";
  return std::system(command.c_str()) == 0;
}

// Every value of attribute `opener` ... up to `closer`, e.g. all ids.
std::vector<std::string> all_between(const std::string& text, const std::string& opener,
                                     char closer) {
  std::vector<std::string> found;
  for (std::size_t at = text.find(opener); at != std::string::npos;
       at = text.find(opener, at + 1)) {
    const std::size_t start = at + opener.size();
    found.push_back(text.substr(start, text.find(closer, start) - start));
  }
  return found;
}

// prefix followed by n in decimal. (Not "literal" + std::to_string(n): GCC 12 at -O3 warns
// falsely about it with -Wrestrict.)
std::string numbered(std::string_view prefix, std::size_t n) {
  std::string text(prefix);
  text += std::to_string(n);
  return text;
}

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

// Money in the report's way: whole dollars on labels, compact ticks.
BarChart revenue_chart() {
  BarChart chart;
  chart.text = {"Top products by revenue", "2023 Q1", "Product", "Revenue"};
  chart.categories = {"P101", "P102", "P103", "P104", "P105"};
  chart.values = {48250.5, 39120.0, 27400.75, 15980.0, 12345.6};
  chart.format_value = [](double v) { return format_currency(v, 0); };
  chart.format_tick = [](double v) { return format_currency_compact(v); };
  return chart;
}

LineChart sentiment_chart() {
  LineChart chart;
  chart.text = {"Average sentiment of the top products", "Latest review per customer, 1 to 5",
                "Product", "Average sentiment"};
  chart.categories = {"P101", "P102", "P103", "P104", "P105"};
  chart.values = {3.9, 2.8, 3.45, std::nullopt, 3.1};
  chart.y_min = 1.0;
  chart.y_max = 5.0;
  chart.reference_line = 3.21;
  chart.reference_label = "all-product average 3.21";
  return chart;
}

TableImage vip_table(std::size_t rows) {
  TableImage table;
  table.title = "VIP customers";
  table.subtitle = "Highest total purchase amount first";
  table.headers = {"Customer", "Total purchases", "Orders", "Average order", "Segment"};
  table.right_align = {false, true, true, true, false};
  for (std::size_t i = 0; i < rows; ++i) {
    const double total = 90000.0 - 3500.0 * static_cast<double>(i % 20);
    const double orders = 40.0 - static_cast<double>(i % 20);
    table.rows.push_back({numbered("C", 1000 + i), format_currency(total, 2),
                          format_number(orders, 0), format_currency(total / orders, 2),
                          i < rows / 2 ? "VIP" : "Regular"});
    table.highlight_row.push_back(i < rows / 2);
  }
  return table;
}

// ---------------------------------------------------------------------------------------------
// nice_ticks

TEST(NiceTicks, ZeroToHundredGoesInTwenties) {
  EXPECT_EQ(nice_ticks(0, 100), (std::vector<double>{0, 20, 40, 60, 80, 100}));
}

TEST(NiceTicks, RevenueRangeUsesStepOfTwoAndAHalf) {
  EXPECT_EQ(nice_ticks(0, 12345), (std::vector<double>{0, 2500, 5000, 7500, 10000, 12500}));
}

TEST(NiceTicks, SentimentScaleGoesInWholeSteps) {
  EXPECT_EQ(nice_ticks(1, 5), (std::vector<double>{1, 2, 3, 4, 5}));
}

TEST(NiceTicks, FractionalTicksAreExactDecimals) {
  const std::vector<double> ticks = nice_ticks(0, 1);
  ASSERT_EQ(ticks.size(), 6u);
  EXPECT_EQ(ticks[3], 0.6);  // the double nearest 0.6, not 0.6000000000000001
  EXPECT_EQ(nice_ticks(2.8, 3.9), (std::vector<double>{2.75, 3, 3.25, 3.5, 3.75, 4}));
}

TEST(NiceTicks, NegativeRangeIncludesZeroWithoutMinusZero) {
  const std::vector<double> ticks = nice_ticks(-1234, 5678);
  EXPECT_EQ(ticks, (std::vector<double>{-2000, 0, 2000, 4000, 6000}));
  EXPECT_FALSE(std::signbit(ticks[1]));
}

TEST(NiceTicks, EqualEndsWidenToZero) {
  EXPECT_EQ(nice_ticks(0, 0), (std::vector<double>{0, 0.2, 0.4, 0.6, 0.8, 1}));
  EXPECT_EQ(nice_ticks(3, 3), (std::vector<double>{0, 0.5, 1, 1.5, 2, 2.5, 3}));
  EXPECT_EQ(nice_ticks(-40, -40), (std::vector<double>{-40, -30, -20, -10, 0}));
}

TEST(NiceTicks, SwappedEndsGiveTheSameTicks) { EXPECT_EQ(nice_ticks(100, 0), nice_ticks(0, 100)); }

TEST(NiceTicks, TargetIsClampedAndPicksTheTightestCover) {
  EXPECT_EQ(nice_ticks(0, 100, 0), (std::vector<double>{0, 100}));
  EXPECT_EQ(nice_ticks(0, 100, 1), (std::vector<double>{0, 100}));
  EXPECT_EQ(nice_ticks(0, 10, 10).size(), 11u);
}

TEST(NiceTicks, NonFiniteEndsThrow) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  EXPECT_NE(error_message([&] { nice_ticks(nan, 1); }).find("is not finite"), std::string::npos);
  EXPECT_NE(error_message([&] {
              nice_ticks(0, std::numeric_limits<double>::infinity());
            }).find("is not finite"),
            std::string::npos);
  EXPECT_NE(error_message([&] { nice_ticks(0, 1e305); }).find("too large"), std::string::npos);
}

TEST(NiceTicks, AnyRangeIsCoveredByEvenNiceSteps) {
  std::mt19937_64 random(42);
  std::uniform_real_distribution<double> exponent(-6.0, 9.0);
  std::uniform_real_distribution<double> unit(-1.0, 1.0);
  for (int trial = 0; trial < 2000; ++trial) {
    const double scale = std::pow(10.0, exponent(random));
    const double a = unit(random) * scale;
    const double b = unit(random) * scale;
    const int target = 3 + trial % 8;
    const std::vector<double> ticks = nice_ticks(a, b, target);
    SCOPED_TRACE(::testing::Message() << "range " << a << " .. " << b << " target " << target);
    ASSERT_GE(ticks.size(), 2u);
    EXPECT_LE(ticks.front(), std::min(a, b));
    EXPECT_GE(ticks.back(), std::max(a, b));
    const double step = ticks[1] - ticks[0];
    const double mantissa = step / std::pow(10.0, std::floor(std::log10(step) + 1e-9));
    const bool nice = std::abs(mantissa - 1) < 1e-6 || std::abs(mantissa - 2) < 1e-6 ||
                      std::abs(mantissa - 2.5) < 1e-6 || std::abs(mantissa - 5) < 1e-6;
    EXPECT_TRUE(nice) << "step " << step;
    for (std::size_t i = 1; i < ticks.size(); ++i) {
      EXPECT_NEAR(ticks[i] - ticks[i - 1], step, step * 1e-9);
    }
    const auto intervals = static_cast<int>(ticks.size()) - 1;
    EXPECT_LE(std::abs(intervals - target), target / 2 + 1);
  }
}

// ---------------------------------------------------------------------------------------------
// Label formatting

TEST(FormatNumber, GroupsThousandsAndRoundsHalfAwayFromZero) {
  EXPECT_EQ(format_number(12345.678, 2), "12,345.68");
  EXPECT_EQ(format_number(1234567, 0), "1,234,567");
  EXPECT_EQ(format_number(999.5, 0), "1,000");
  EXPECT_EQ(format_number(0.125, 2), "0.13");
  EXPECT_EQ(format_number(-0.125, 2), "-0.13");
  EXPECT_EQ(format_number(3.21, 2), "3.21");
  EXPECT_EQ(format_number(0.05, 1), "0.1");
  EXPECT_EQ(format_number(123, 3), "123.000");
}

TEST(FormatNumber, NeverPrintsMinusZero) {
  EXPECT_EQ(format_number(-0.004, 2), "0.00");
  EXPECT_EQ(format_number(-0.0, 0), "0");
}

TEST(FormatNumber, ClampsDecimalsAndNamesNonFinite) {
  EXPECT_EQ(format_number(1.5, -3), "2");
  EXPECT_EQ(format_number(0.5, 20), "0.500000000");
  EXPECT_EQ(format_number(std::numeric_limits<double>::quiet_NaN(), 2), "n/a");
  EXPECT_EQ(format_number(-std::numeric_limits<double>::infinity(), 2), "n/a");
  EXPECT_EQ(format_number(1e300, 2).size(), 301u + 100u + 3u);  // 301 digits, 100 commas, .00
}

TEST(FormatCurrency, PutsTheSignBeforeTheSymbol) {
  EXPECT_EQ(format_currency(12345.6, 2), "$12,345.60");
  EXPECT_EQ(format_currency(12345.6), "$12,346");
  EXPECT_EQ(format_currency(-5, 2), "-$5.00");
  EXPECT_EQ(format_currency(-0.001, 2), "$0.00");
  EXPECT_EQ(format_currency(7, 0, "\xE2\x82\xAC"),
            "\xE2\x82\xAC"
            "7");
  EXPECT_EQ(format_currency(std::numeric_limits<double>::quiet_NaN()), "n/a");
}

TEST(FormatCurrencyCompact, ShortensWithThreeSignificantDigits) {
  EXPECT_EQ(format_currency_compact(0), "$0");
  EXPECT_EQ(format_currency_compact(950), "$950");
  EXPECT_EQ(format_currency_compact(0.5), "$0.50");
  EXPECT_EQ(format_currency_compact(12.345), "$12.35");
  EXPECT_EQ(format_currency_compact(1000), "$1k");
  EXPECT_EQ(format_currency_compact(1250), "$1.25k");
  EXPECT_EQ(format_currency_compact(2500), "$2.5k");
  EXPECT_EQ(format_currency_compact(10000), "$10k");
  EXPECT_EQ(format_currency_compact(12345.6), "$12.3k");
  EXPECT_EQ(format_currency_compact(123456), "$123k");
  EXPECT_EQ(format_currency_compact(1234567), "$1.23M");
  EXPECT_EQ(format_currency_compact(2.5e9), "$2.5B");
  EXPECT_EQ(format_currency_compact(3e12), "$3T");
  EXPECT_EQ(format_currency_compact(4.5e15), "$4,500T");
}

TEST(FormatCurrencyCompact, RoundingUpMovesToTheNextUnit) {
  EXPECT_EQ(format_currency_compact(999.999), "$1k");
  EXPECT_EQ(format_currency_compact(999999), "$1M");
  EXPECT_EQ(format_currency_compact(999.994), "$999.99");
}

TEST(FormatCurrencyCompact, NegativesAndNonFinite) {
  EXPECT_EQ(format_currency_compact(-12500), "-$12.5k");
  EXPECT_EQ(format_currency_compact(-0.001), "$0");
  EXPECT_EQ(format_currency_compact(std::numeric_limits<double>::infinity()), "n/a");
}

// ---------------------------------------------------------------------------------------------
// Bar chart

TEST(BarChart, RendersPngOfTheRequestedSize) {
  const Rendered rendered = render(revenue_chart());
  EXPECT_EQ(rendered.width, 1200);
  EXPECT_EQ(rendered.height, 675);
  const Image image = decoded(rendered);
  EXPECT_EQ(image.width, 1200);
  EXPECT_EQ(image.height, 675);
  EXPECT_TRUE(is_white(image.at(0, 0)));
  EXPECT_TRUE(is_white(image.at(1199, 674)));
}

TEST(BarChart, DrawsBarsInThePlotArea) {
  const Image image = decoded(render(revenue_chart()));
  // The plot fills the middle of the image; five bars of 48k..12k take thousands of pixels.
  const Box plot{150, 120, 1170, 600};
  EXPECT_GT(count_colour(image, plot, kSeries), 30000);
  EXPECT_GT(count_non_white(image, plot), 35000);
  EXPECT_EQ(count_colour(image, whole(image), kNegative), 0);
}

TEST(BarChart, TallerValueGetsTallerBar) {
  BarChart chart = revenue_chart();
  chart.categories = {"A", "B"};
  chart.values = {100, 50};
  const Image image = decoded(render(chart));
  // Column through the middle of each half of the plot.
  const int left = count_colour(image, {400, 0, 401, 675}, kSeries);
  const int right = count_colour(image, {900, 0, 901, 675}, kSeries);
  EXPECT_GT(left, 0);
  EXPECT_NEAR(static_cast<double>(right) / left, 0.5, 0.02);
}

TEST(BarChart, NegativeValuesHangBelowZeroInTheirOwnColour) {
  BarChart chart = revenue_chart();
  chart.text.title = "Revenue change against the previous quarter";
  chart.values = {5200, -3100.5, 0, -12000, 800};
  const Rendered rendered = render(chart);
  const Image image = decoded(rendered);
  EXPECT_GT(count_colour(image, whole(image), kNegative), 5000);
  EXPECT_GT(count_colour(image, whole(image), kSeries), 1000);
  EXPECT_TRUE(is_well_formed_xml(rendered.svg));
}

TEST(BarChart, AllZeroValuesDrawAnAxisAndNoBars) {
  BarChart chart = revenue_chart();
  chart.values = {0, 0, 0, 0, 0};
  const Image image = decoded(render(chart));
  EXPECT_EQ(count_colour(image, whole(image), kSeries), 0);
  EXPECT_GT(count_non_white(image, {150, 120, 1170, 640}), 1000);  // grid, ticks, labels
}

TEST(BarChart, SingleCategoryGetsOneBarOfModestWidth) {
  BarChart chart = revenue_chart();
  chart.categories = {"P101"};
  chart.values = {48250.5};
  const Image image = decoded(render(chart));
  const int row = 400;
  const int bar = count_colour(image, {0, row, 1200, row + 1}, kSeries);
  EXPECT_GE(bar, 100);
  EXPECT_LE(bar, 121);
}

TEST(BarChart, TwentyLongCategoriesStayOnTheCanvas) {
  BarChart chart = revenue_chart();
  chart.categories.clear();
  chart.values.clear();
  for (int i = 0; i < 20; ++i) {
    chart.categories.push_back("Wireless noise-cancelling headphones, model " +
                               std::to_string(100 + i));
    chart.values.push_back(1000.0 * (20 - i));
  }
  const Rendered rendered = render(chart);
  const Image image = decoded(rendered);
  EXPECT_EQ(image.width, 1200);
  EXPECT_GT(count_colour(image, whole(image), kSeries), 20000);
  // Turned labels are cut so none runs off the left or bottom edge.
  EXPECT_EQ(count_non_white(image, {0, 0, 3, 675}), 0);
  EXPECT_EQ(count_non_white(image, {0, 672, 1200, 675}), 0);
  EXPECT_TRUE(is_well_formed_xml(rendered.svg));
}

TEST(BarChart, ManyCategoriesInASmallImageStillRender) {
  BarChart chart = revenue_chart();
  chart.width = 480;
  chart.height = 320;
  chart.categories.clear();
  chart.values.clear();
  for (int i = 0; i < 60; ++i) {
    chart.categories.push_back(numbered("Category ", static_cast<std::size_t>(i)));
    chart.values.push_back(100.0 + i);
  }
  const Image image = decoded(render(chart));
  EXPECT_EQ(image.width, 480);
  EXPECT_EQ(image.height, 320);
  EXPECT_GT(count_colour(image, whole(image), kSeries), 1000);
}

TEST(BarChart, NoCategoriesDrawsAnEmptyFrame) {
  BarChart chart = revenue_chart();
  chart.categories.clear();
  chart.values.clear();
  const Rendered rendered = render(chart);
  const Image image = decoded(rendered);
  EXPECT_EQ(count_colour(image, whole(image), kSeries), 0);
  EXPECT_GT(count_non_white(image, {400, 250, 800, 450}), 100);  // "No data"
  EXPECT_TRUE(is_well_formed_xml(rendered.svg));
}

TEST(BarChart, LabelsWithBadBytesStillDraw) {
  BarChart chart = revenue_chart();
  chart.text.title = std::string("Caf\xC3\xA9 \xFF\xFE sales\n\tQ1") + std::string(1, '\0') + "!";
  chart.categories[0] = "\xE2\x82";  // a cut UTF-8 sequence
  chart.categories[1] = std::string(20000, 'x');
  const Rendered rendered = render(chart);
  EXPECT_GT(count_non_white(decoded(rendered), {0, 0, 1200, 60}), 500);  // the title
  EXPECT_TRUE(is_well_formed_xml(rendered.svg));
}

TEST(BarChart, DefaultFormatsAreTwoDecimalsAndTheTickStepsDecimals) {
  BarChart with_default = revenue_chart();
  with_default.format_value = nullptr;
  with_default.format_tick = nullptr;
  BarChart explicit_format = with_default;
  explicit_format.format_value = [](double v) { return format_number(v, 2); };
  explicit_format.format_tick = [](double v) { return format_number(v, 0); };  // 0, 10,000, ...
  EXPECT_TRUE(render(with_default).png == render(explicit_format).png);
}

TEST(BarChart, MismatchedLengthsThrow) {
  BarChart chart = revenue_chart();
  chart.values.pop_back();
  EXPECT_EQ(error_message([&] { render(chart); }),
            "chart: bar chart has 5 categories but 4 values");
}

TEST(BarChart, NonFiniteValueThrows) {
  BarChart chart = revenue_chart();
  chart.values[1] = std::numeric_limits<double>::quiet_NaN();
  EXPECT_EQ(error_message([&] { render(chart); }),
            "chart: bar chart value 2 is not a finite number");
}

TEST(BarChart, SizeOutsideTheLimitsThrows) {
  BarChart chart = revenue_chart();
  chart.width = 100;
  EXPECT_EQ(error_message([&] { render(chart); }),
            "chart: size 100x675 is outside 480x320..16384x16384");
  chart.width = 1200;
  chart.height = 20000;
  EXPECT_NE(error_message([&] { render(chart); }).find("size 1200x20000"), std::string::npos);
}

TEST(BarChart, FormatterExceptionsPassThrough) {
  BarChart chart = revenue_chart();
  chart.format_value = [](double) -> std::string { throw std::runtime_error("formatter broke"); };
  EXPECT_THROW(render(chart), std::runtime_error);
}

TEST(BarChart, SameInputGivesTheSameBytes) {
  const Rendered first = render(revenue_chart());
  const Rendered second = render(revenue_chart());
  EXPECT_TRUE(first.png == second.png);
  EXPECT_TRUE(first.svg == second.svg);  // cairo's own surface ids would differ
}

TEST(BarChart, SvgIsWellFormedAtPixelSize) {
  const Rendered rendered = render(revenue_chart());
  EXPECT_EQ(rendered.svg.rfind("<?xml", 0), 0u);
  EXPECT_NE(rendered.svg.find("width=\"1200\" height=\"675\""), std::string::npos);
  EXPECT_NE(rendered.svg.find("id=\"surface1\""), std::string::npos);
  EXPECT_TRUE(is_well_formed_xml(rendered.svg));
}

TEST(BarChart, PngAndSvgDifferFromAnotherChart) {
  BarChart other = revenue_chart();
  other.values[0] = 1000;
  EXPECT_FALSE(render(other).png == render(revenue_chart()).png);
  EXPECT_FALSE(render(other).svg == render(revenue_chart()).svg);
}

// ---------------------------------------------------------------------------------------------
// SVG ids

TEST(SvgIds, PrefixReachesEveryIdAndReference) {
  const Rendered rendered = render(revenue_chart(), {.svg_id_prefix = "revenue-"});
  const std::vector<std::string> ids = all_between(rendered.svg, " id=\"", '"');
  ASSERT_FALSE(ids.empty());
  const std::set<std::string> defined(ids.begin(), ids.end());
  for (const std::string& id : ids) {
    EXPECT_EQ(id.rfind("revenue-", 0), 0u) << id;
  }
  std::vector<std::string> references = all_between(rendered.svg, "href=\"#", '"');
  const std::vector<std::string> urls = all_between(rendered.svg, "url(#", ')');
  references.insert(references.end(), urls.begin(), urls.end());
  ASSERT_FALSE(references.empty());
  for (const std::string& reference : references) {
    EXPECT_EQ(defined.count(reference), 1u) << reference;
  }
  EXPECT_TRUE(is_well_formed_xml(rendered.svg));
}

TEST(SvgIds, TwoChartsWithDifferentPrefixesShareNoId) {
  const Rendered bars = render(revenue_chart(), {.svg_id_prefix = "a"});
  const Rendered line = render(sentiment_chart(), {.svg_id_prefix = "b"});
  const std::vector<std::string> a = all_between(bars.svg, " id=\"", '"');
  const std::set<std::string> b_ids = [&] {
    const std::vector<std::string> b = all_between(line.svg, " id=\"", '"');
    return std::set<std::string>(b.begin(), b.end());
  }();
  for (const std::string& id : a) {
    EXPECT_EQ(b_ids.count(id), 0u) << id;
  }
}

TEST(SvgIds, BadPrefixThrows) {
  EXPECT_NE(error_message([] {
              render(revenue_chart(), {.svg_id_prefix = "9lives"});
            }).find("must start with a letter"),
            std::string::npos);
  EXPECT_NE(error_message([] {
              render(revenue_chart(), {.svg_id_prefix = "a\"b"});
            }).find("must start with a letter"),
            std::string::npos);
}

// ---------------------------------------------------------------------------------------------
// Line chart

TEST(LineChart, DrawsMarkersAndAReferenceLine) {
  const Rendered rendered = render(sentiment_chart());
  const Image image = decoded(rendered);
  EXPECT_EQ(image.width, 1200);
  EXPECT_EQ(image.height, 675);
  // Antialiased slanted lines leave few exact pixels; markers and straight parts do.
  EXPECT_GT(count_colour(image, whole(image), kSeries), 500);
  EXPECT_GT(count_colour(image, whole(image), kReference), 1000);
  EXPECT_TRUE(is_well_formed_xml(rendered.svg));
}

TEST(LineChart, ReferenceLineIsOptional) {
  LineChart chart = sentiment_chart();
  chart.reference_line.reset();
  const Image image = decoded(render(chart));
  EXPECT_EQ(count_colour(image, whole(image), kReference), 0);
  EXPECT_GT(count_colour(image, whole(image), kSeries), 500);
}

TEST(LineChart, MissingValueBreaksTheLine) {
  LineChart gap = sentiment_chart();
  LineChart full = sentiment_chart();
  full.values[3] = 3.3;
  const int with_gap = count_colour(decoded(render(gap)), {150, 100, 1170, 640}, kSeries);
  const int without = count_colour(decoded(render(full)), {150, 100, 1170, 640}, kSeries);
  // Two segments and a marker go missing.
  EXPECT_LT(with_gap, without - 300);
}

TEST(LineChart, AxisFollowsTheFixedRange) {
  LineChart low = sentiment_chart();
  low.reference_line.reset();
  low.values = {1, 1, 1, 1, 1};
  LineChart high = low;
  high.values = {5, 5, 5, 5, 5};
  const Image bottom = decoded(render(low));
  const Image top = decoded(render(high));
  // A flat line at y_min lies in the lower part of the image, at y_max in the upper part.
  EXPECT_GT(count_colour(bottom, {150, 450, 1170, 640}, kSeries), 1000);
  EXPECT_EQ(count_colour(bottom, {150, 0, 1170, 300}, kSeries), 0);
  EXPECT_GT(count_colour(top, {150, 60, 1170, 250}, kSeries), 1000);
  EXPECT_EQ(count_colour(top, {150, 350, 1170, 675}, kSeries), 0);
}

TEST(LineChart, ValuesOutsideTheRangeWidenTheAxis) {
  LineChart chart = sentiment_chart();
  chart.values = {0.2, 3.0, 7.5, 3.2, 4.0};
  chart.reference_line = -1.0;
  const Rendered rendered = render(chart);
  const Image image = decoded(rendered);
  EXPECT_GT(count_colour(image, whole(image), kSeries), 1000);
  EXPECT_GT(count_colour(image, whole(image), kReference), 500);
}

TEST(LineChart, SingleAndNoCategoriesRender) {
  LineChart one = sentiment_chart();
  one.categories = {"P101"};
  one.values = {3.9};
  EXPECT_GT(count_colour(decoded(render(one)), {150, 60, 1170, 640}, kSeries), 25);  // a marker
  LineChart none = sentiment_chart();
  none.categories.clear();
  none.values.clear();
  const Rendered empty = render(none);
  EXPECT_GT(count_non_white(decoded(empty), {400, 250, 800, 450}), 100);  // "No data"
  EXPECT_TRUE(is_well_formed_xml(empty.svg));
}

TEST(LineChart, AllValuesMissingRenders) {
  LineChart chart = sentiment_chart();
  chart.values.assign(chart.values.size(), std::nullopt);
  const Image image = decoded(render(chart));
  EXPECT_EQ(count_colour(image, {150, 60, 1170, 640}, kSeries), 0);
}

TEST(LineChart, SameInputGivesTheSameBytes) {
  const Rendered first = render(sentiment_chart());
  const Rendered second = render(sentiment_chart());
  EXPECT_TRUE(first.png == second.png);
  EXPECT_TRUE(first.svg == second.svg);
}

TEST(LineChart, EmptyRangeThrows) {
  LineChart chart = sentiment_chart();
  chart.y_min = 5;
  chart.y_max = 5;
  EXPECT_EQ(error_message([&] { render(chart); }),
            "chart: line chart y_min 5.000000 is not below y_max 5.000000");
  chart.y_max = std::numeric_limits<double>::infinity();
  EXPECT_EQ(error_message([&] { render(chart); }),
            "chart: line chart y_max is not a finite number");
}

TEST(LineChart, NonFiniteValueOrReferenceThrows) {
  LineChart chart = sentiment_chart();
  chart.values[4] = std::numeric_limits<double>::infinity();
  EXPECT_EQ(error_message([&] { render(chart); }),
            "chart: line chart value 5 is not a finite number");
  chart = sentiment_chart();
  chart.reference_line = std::numeric_limits<double>::quiet_NaN();
  EXPECT_EQ(error_message([&] { render(chart); }),
            "chart: line chart reference line is not a finite number");
}

TEST(LineChart, MismatchedLengthsThrow) {
  LineChart chart = sentiment_chart();
  chart.categories.push_back("P106");
  EXPECT_EQ(error_message([&] { render(chart); }),
            "chart: line chart has 6 categories but 5 values");
}

// ---------------------------------------------------------------------------------------------
// Table image

TEST(TableImage, HeightFollowsTheRows) {
  const Rendered ten = render(vip_table(10));
  const Rendered twenty = render(vip_table(20));
  EXPECT_EQ(ten.width, 1000);
  EXPECT_EQ(twenty.width, 1000);
  EXPECT_EQ(twenty.height - ten.height, 10 * 34);
  const Image image = decoded(twenty);
  EXPECT_EQ(image.width, twenty.width);
  EXPECT_EQ(image.height, twenty.height);
}

TEST(TableImage, HeaderZebraAndHighlightAreTinted) {
  const Image image = decoded(render(vip_table(20)));
  EXPECT_GT(count_colour(image, whole(image), kHeaderBand), 20000);
  EXPECT_GT(count_colour(image, whole(image), kHighlight), 10 * 20000);
  EXPECT_GT(count_colour(image, whole(image), kZebra), 4 * 20000);
}

TEST(TableImage, NoHighlightWithoutHighlightedRows) {
  TableImage table = vip_table(8);
  table.highlight_row.clear();
  const Image image = decoded(render(table));
  EXPECT_EQ(count_colour(image, whole(image), kHighlight), 0);
  EXPECT_GT(count_colour(image, whole(image), kZebra), 3 * 20000);
}

TEST(TableImage, LongSubtitleWrapsOntoMoreLinesAtTheSameWidth) {
  const Rendered one_line = render(vip_table(3));
  TableImage table = vip_table(3);
  table.subtitle =
      "20 of 20 VIP customers, highest total spend first. Spend and purchases are over all "
      "loaded sales; days are counted back from the latest sale.";
  const Rendered wrapped = render(table);
  EXPECT_EQ(wrapped.width, one_line.width);
  // One more subtitle line: a 16 px line and the leading between lines.
  EXPECT_GT(wrapped.height, one_line.height + 16);
  EXPECT_LT(wrapped.height, one_line.height + 30);
}

TEST(TableImage, WideTablesGrowBeyondTheMinimumWidth) {
  TableImage table = vip_table(3);
  for (auto& row : table.rows) {
    row[4] = "A segment with a long descriptive name for this customer";
  }
  table.headers[0] = "Customer identifier in the source system";
  EXPECT_GT(render(table).width, 1000);
}

TEST(TableImage, LongCellsAreCut) {
  TableImage table = vip_table(3);
  table.rows[1][0] = std::string(5000, 'W');
  const Rendered rendered = render(table);
  EXPECT_LT(rendered.width, 1400);
}

TEST(TableImage, EmptyTableShowsItsHeader) {
  TableImage table = vip_table(0);
  const Rendered rendered = render(table);
  const Image image = decoded(rendered);
  EXPECT_GT(count_colour(image, whole(image), kHeaderBand), 20000);
  EXPECT_TRUE(is_well_formed_xml(rendered.svg));
}

TEST(TableImage, SameInputGivesTheSameBytes) {
  const Rendered first = render(vip_table(20));
  const Rendered second = render(vip_table(20));
  EXPECT_TRUE(first.png == second.png);
  EXPECT_TRUE(first.svg == second.svg);
  EXPECT_TRUE(is_well_formed_xml(first.svg));
}

TEST(TableImage, RowOfTheWrongLengthThrows) {
  TableImage table = vip_table(3);
  table.rows[2].pop_back();
  EXPECT_EQ(error_message([&] { render(table); }), "chart: table row 3 has 4 cells for 5 columns");
}

TEST(TableImage, FlagsOfTheWrongLengthThrow) {
  TableImage table = vip_table(3);
  table.right_align.push_back(true);
  EXPECT_EQ(error_message([&] { render(table); }),
            "chart: table right_align has 6 entries for 5 columns");
  table = vip_table(3);
  table.highlight_row.pop_back();
  EXPECT_EQ(error_message([&] { render(table); }),
            "chart: table highlight_row has 2 entries for 3 rows");
}

TEST(TableImage, NoColumnsThrows) {
  TableImage table;
  EXPECT_EQ(error_message([&] { render(table); }), "chart: table has no columns");
}

TEST(TableImage, TooManyRowsThrow) {
  const std::string message = error_message([] { render(vip_table(600)); });
  EXPECT_EQ(message.rfind("chart: table of 600 rows and 5 columns needs 1,000x20,", 0), 0u)
      << message;
  EXPECT_NE(message.find(" pixels, over 16384; show fewer rows"), std::string::npos) << message;
  EXPECT_NO_THROW(render(vip_table(400)));
}

TEST(TableImage, MinimumWidthOutsideTheLimitsThrows) {
  TableImage table = vip_table(3);
  table.min_width = 10;
  EXPECT_EQ(error_message([&] { render(table); }),
            "chart: table min_width 10 is outside 480..16384");
}

}  // namespace
}  // namespace salespipe::report
