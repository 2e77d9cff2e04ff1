#include "generate/generate.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "generate/rng.hpp"
#include "testing/testing.hpp"

namespace salespipe::generate {
namespace {

namespace fs = std::filesystem;
using testing::read_file;
using testing::TempDir;

constexpr std::string_view kHeader = "sale_id,product_id,customer_id,sale_price,quantity,sale_date";

struct Output {
  Stats stats;
  std::string sales;
  std::string feedback;
};

Output run(const Options& options) {
  TempDir dir;
  Output output;
  output.stats = generate(options, dir / "sale_price.csv", dir / "customer_feedback.json");
  output.sales = read_file(dir / "sale_price.csv");
  output.feedback = read_file(dir / "customer_feedback.json");
  return output;
}

Options with_rows(std::uint64_t rows, bool hard_faults = false) {
  Options options;
  options.rows = rows;
  options.hard_faults = hard_faults;
  return options;
}

// ---- reading the files back (independently of the generator's code) ----

std::vector<std::string_view> split(std::string_view text, std::string_view separator) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  for (;;) {
    const std::size_t end = text.find(separator, start);
    if (end == std::string_view::npos) {
      parts.push_back(text.substr(start));
      return parts;
    }
    parts.push_back(text.substr(start, end - start));
    start = end + separator.size();
  }
}

// The data lines of the CSV (header and the empty tail after the last CRLF removed).
std::vector<std::string_view> data_lines(std::string_view sales) {
  std::vector<std::string_view> lines = split(sales, "\r\n");
  EXPECT_FALSE(lines.empty());
  EXPECT_EQ(lines.front(), kHeader);
  EXPECT_EQ(lines.back(), "") << "the file must end with CRLF";
  return {lines.begin() + 1, lines.end() - 1};
}

// Fields of one record; a field may be wrapped in double quotes (never containing one). Views
// into the line, so reading 100k rows back stays fast under the sanitizers.
struct Fields {
  std::array<std::string_view, 8> values{};
  std::size_t count = 0;
  std::string_view operator[](std::size_t i) const { return values.at(i); }
};

Fields fields(std::string_view line) {
  Fields out;
  bool quoted = false;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= line.size(); ++i) {
    if (i < line.size() && line[i] == '"') {
      quoted = !quoted;
    } else if (i == line.size() || (line[i] == ',' && !quoted)) {
      if (out.count < out.values.size()) {
        out.values[out.count] = line.substr(start, i - start);
      }
      ++out.count;
      start = i + 1;
    }
  }
  return out;
}

struct Sale {
  std::string_view sale_id, product_id, customer_id, price, quantity, date;
};

std::vector<Sale> sales_of(std::string_view csv) {
  std::vector<Sale> sales;
  for (const std::string_view line : data_lines(csv)) {
    if (line.empty()) {
      continue;
    }
    const Fields f = fields(line);
    EXPECT_EQ(f.count, 6u) << line;
    if (f.count == 6) {
      sales.push_back({f[0], f[1], f[2], f[3], f[4], f[5]});
    }
  }
  return sales;
}

// Views into the feedback text; a string value keeps its quotes only for sentiment_score.
struct ReviewText {
  std::string_view customer_id, product_id, sentiment, date;
};

// The value after `"key": ` at or after pos, quotes included.
std::string_view value_after(std::string_view text, std::string_view key, std::size_t& pos) {
  pos = text.find(key, pos);
  if (pos == std::string_view::npos || text.substr(pos + key.size(), 3) != "\": ") {
    ADD_FAILURE() << "missing key " << key;
    pos = text.size();
    return {};
  }
  pos += key.size() + 3;
  const std::size_t end =
      text[pos] == '"' ? text.find('"', pos + 1) + 1 : text.find_first_of(",\n}", pos);
  const std::string_view value = text.substr(pos, end - pos);
  pos = end;
  return value;
}

std::string_view unquote(std::string_view value) {
  if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
    return value.substr(1, value.size() - 2);
  }
  return value;
}

std::vector<ReviewText> reviews_of(std::string_view json) {
  std::vector<ReviewText> reviews;
  std::size_t pos = 0;
  while (json.find("\"customer_id\"", pos) != std::string_view::npos) {
    ReviewText review;
    review.customer_id = unquote(value_after(json, "\"customer_id", pos));
    review.product_id = unquote(value_after(json, "\"product_id", pos));
    review.sentiment = value_after(json, "\"sentiment_score", pos);
    review.date = unquote(value_after(json, "\"review_date", pos));
    reviews.push_back(review);
  }
  return reviews;
}

// ---- dates, read the way DESIGN.md section 3 says ----

struct DateText {
  bool year_first = false;
  char separator = 0;
  int year = 0;
  unsigned first = 0;   // the part after the year, or the first part
  unsigned second = 0;  // the next part
};

std::optional<unsigned> two_digits(std::string_view text) {
  if (text.size() != 2 || text[0] < '0' || text[0] > '9' || text[1] < '0' || text[1] > '9') {
    return std::nullopt;
  }
  return static_cast<unsigned>((text[0] - '0') * 10 + (text[1] - '0'));
}

// yyyy-mm-dd, yyyy/mm/dd, dd-mm-yyyy or mm/dd/yyyy (the shapes the generator promises).
std::optional<DateText> date_text(std::string_view text) {
  if (text.size() != 10) {
    return std::nullopt;
  }
  DateText date;
  std::string_view year;
  std::string_view a;
  std::string_view b;
  if (text[4] == '-' || text[4] == '/') {
    date.year_first = true;
    date.separator = text[4];
    if (text[7] != date.separator) {
      return std::nullopt;
    }
    year = text.substr(0, 4);
    a = text.substr(5, 2);
    b = text.substr(8, 2);
  } else {
    date.separator = text[2];
    if ((date.separator != '-' && date.separator != '/') || text[5] != date.separator) {
      return std::nullopt;
    }
    a = text.substr(0, 2);
    b = text.substr(3, 2);
    year = text.substr(6, 4);
  }
  const auto parsed_a = two_digits(a);
  const auto parsed_b = two_digits(b);
  if (!parsed_a || !parsed_b ||
      std::from_chars(year.data(), year.data() + 4, date.year).ptr != year.data() + 4) {
    return std::nullopt;
  }
  date.first = *parsed_a;
  date.second = *parsed_b;
  return date;
}

// The generator's convention: dashes are day-first, slashes month-first, years first as ISO.
std::optional<Date> written_date(const DateText& date) {
  if (date.year_first) {
    return make_date(date.year, date.first, date.second);
  }
  return date.separator == '-' ? make_date(date.year, date.second, date.first)
                               : make_date(date.year, date.first, date.second);
}

// Every value resolved by the ambiguity rule (steps 2 and 3; no --date-order).
std::vector<Date> resolve_column(const std::vector<DateText>& column) {
  std::optional<Date> low;
  std::optional<Date> high;
  std::map<char, int> day_first_votes;
  std::map<char, int> month_first_votes;
  auto ambiguous = [](const DateText& d) {
    return !d.year_first && d.first <= 12 && d.second <= 12 && d.first != d.second;
  };
  for (const DateText& d : column) {
    if (ambiguous(d)) {
      continue;
    }
    std::optional<Date> value;
    if (d.year_first) {
      value = make_date(d.year, d.first, d.second);
    } else if (d.first > 12) {
      value = make_date(d.year, d.second, d.first);
      ++day_first_votes[d.separator];
    } else {
      value = make_date(d.year, d.first, d.second);
      if (d.second > 12) {
        ++month_first_votes[d.separator];
      }
    }
    if (value) {
      low = low ? std::min(*low, *value) : *value;
      high = high ? std::max(*high, *value) : *value;
    }
  }
  int all_day_first = 0;
  int all_month_first = 0;
  for (const auto& [separator, votes] : day_first_votes) {
    all_day_first += votes;
  }
  for (const auto& [separator, votes] : month_first_votes) {
    all_month_first += votes;
  }
  std::vector<Date> resolved;
  for (const DateText& d : column) {
    if (!ambiguous(d)) {
      resolved.push_back(*written_date(d));
      continue;
    }
    const Date day_first = *make_date(d.year, d.second, d.first);
    const Date month_first = *make_date(d.year, d.first, d.second);
    auto inside = [&](Date x) { return low && *low <= x && x <= *high; };
    if (inside(day_first) != inside(month_first)) {
      resolved.push_back(inside(day_first) ? day_first : month_first);
      continue;
    }
    const int day_votes = day_first_votes[d.separator];
    const int month_votes = month_first_votes[d.separator];
    if (day_votes != month_votes) {
      resolved.push_back(day_votes > month_votes ? day_first : month_first);
    } else {
      resolved.push_back(all_day_first > all_month_first ? day_first : month_first);
    }
  }
  return resolved;
}

double share(std::uint64_t part, std::uint64_t whole) {
  return static_cast<double>(part) / static_cast<double>(whole);
}

bool has_two_decimals(std::string_view price) {
  const std::size_t dot = price.find('.');
  return dot != std::string_view::npos && price.size() - dot == 3;
}

bool is_digits(std::string_view text) {
  return !text.empty() &&
         std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// "150", "150.5", "150.50", each optionally after "$": the clean price shapes.
bool is_plain_price(std::string_view price) {
  if (!price.empty() && price.front() == '$') {
    price.remove_prefix(1);
  }
  const std::size_t dot = price.find('.');
  if (dot == std::string_view::npos) {
    return is_digits(price);
  }
  const std::string_view decimals = price.substr(dot + 1);
  return is_digits(price.substr(0, dot)) && is_digits(decimals) && decimals.size() <= 2;
}

std::optional<double> number(std::string_view text) {
  double value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc{} || end != text.data() + text.size()) {
    return std::nullopt;
  }
  return value;
}

bool python_available() { return fs::exists("/usr/bin/python3"); }

int python_check(std::string_view program, const fs::path& file) {
  const std::string command =
      "/usr/bin/python3 -c '" + std::string(program) + "' '" + file.string() + "'";
  return std::system(command.c_str());
}

// ---- the random numbers ----

TEST(GenerateRng, SplitmixMatchesItsPublishedSequence) {
  std::uint64_t state = 0;
  EXPECT_EQ(detail::splitmix64(state), 0xe220a8397b1dcdafULL);
  EXPECT_EQ(detail::splitmix64(state), 0x6e789e6aa1b965f4ULL);
  EXPECT_EQ(detail::splitmix64(state), 0x06c45d188009454fULL);
}

TEST(GenerateRng, XoshiroGivesTheSameNumbersEverywhere) {
  detail::Rng rng(7);
  EXPECT_EQ(rng.next(), 0xb358faf74ef9765aULL);
  EXPECT_EQ(rng.next(), 0x475c3d964f482cd2ULL);
  EXPECT_EQ(rng.next(), 0xd6f1d349952c7996ULL);
  detail::Rng bounded(7);
  const std::vector<std::uint64_t> draws = {bounded.below(10'000), bounded.below(10'000),
                                            bounded.below(10'000)};
  EXPECT_EQ(draws, (std::vector<std::uint64_t>{7005, 2787, 8396}));
}

TEST(GenerateRng, BelowStaysInRange) {
  detail::Rng rng(1);
  EXPECT_EQ(rng.below(0), 0u);
  EXPECT_EQ(rng.below(1), 0u);
  std::vector<int> seen(7);
  for (int i = 0; i < 7'000; ++i) {
    const std::uint64_t value = rng.below(7);
    ASSERT_LT(value, 7u);
    ++seen[value];
  }
  for (const int count : seen) {
    EXPECT_GT(count, 850);
    EXPECT_LT(count, 1'150);
  }
}

// ---- determinism and layout ----

TEST(Generate, SameOptionsGiveByteIdenticalFiles) {
  const Output a = run(with_rows(3'000, true));
  const Output b = run(with_rows(3'000, true));
  EXPECT_EQ(a.sales, b.sales);
  EXPECT_EQ(a.feedback, b.feedback);
  EXPECT_EQ(a.stats.hard_faults(), b.stats.hard_faults());
}

TEST(Generate, DifferentSeedGivesDifferentFiles) {
  Options other = with_rows(3'000);
  other.seed = 8;
  const Output a = run(with_rows(3'000));
  const Output b = run(other);
  EXPECT_NE(a.sales, b.sales);
  EXPECT_NE(a.feedback, b.feedback);
  EXPECT_EQ(a.stats.rows, b.stats.rows);
}

TEST(Generate, WritesTheHeaderAndOneCrlfRecordPerSaleWithSequentialIds) {
  const Output out = run(with_rows(2'500));
  EXPECT_EQ(out.sales.find('\n'), out.sales.find("\r\n") + 1);
  EXPECT_EQ(std::count(out.sales.begin(), out.sales.end(), '\n'),
            std::count(out.sales.begin(), out.sales.end(), '\r'));
  const std::vector<std::string_view> lines = data_lines(out.sales);
  ASSERT_EQ(lines.size(), 2'500u);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    ASSERT_EQ(fields(lines[i])[0], std::to_string(1'001 + i));
  }
  EXPECT_EQ(out.stats.rows, 2'500u);
  EXPECT_EQ(out.stats.sales_records, 2'500u);
  EXPECT_EQ(out.stats.sales_bytes, out.sales.size());
  EXPECT_EQ(out.stats.feedback_bytes, out.feedback.size());
  EXPECT_EQ(reviews_of(out.feedback).size(), out.stats.reviews);
}

TEST(Generate, OneRowStillMakesAValidPair) {
  const Output out = run(with_rows(1));
  const std::vector<std::string_view> lines = data_lines(out.sales);
  ASSERT_EQ(lines.size(), 1u);
  const Fields row = fields(lines[0]);
  EXPECT_EQ(row[0], "1001");
  EXPECT_EQ(row[1].substr(0, 3), "P10");
  EXPECT_EQ(row[2], "C_001");
  EXPECT_EQ(row[5], "01-01-2023");
  EXPECT_EQ(out.stats.customers, 1u);
  EXPECT_EQ(out.stats.products, 5u);
  const std::vector<ReviewText> reviews = reviews_of(out.feedback);
  ASSERT_EQ(reviews.size(), out.stats.reviews);
  ASSERT_GE(reviews.size(), 1u);
  EXPECT_EQ(reviews.front().customer_id, "C_001");
  EXPECT_EQ(reviews.front().product_id, row[1]);
}

TEST(Generate, FeedbackArrayIsPrettyPrintedJson) {
  if (!python_available()) {
    GTEST_SKIP() << "/usr/bin/python3 is needed to check the JSON";
  }
  TempDir dir;
  const Stats stats = generate(with_rows(300, true), dir / "s.csv", dir / "f.json");
  EXPECT_EQ(python_check("import json,sys; json.load(open(sys.argv[1]))", dir / "f.json"), 0);
  const std::string json = read_file(dir / "f.json");
  EXPECT_TRUE(std::string_view(json).starts_with("[\n  {\n    \"customer_id\": \"C_"));
  EXPECT_TRUE(std::string_view(json).ends_with("\"\n  }\n]"));
  EXPECT_EQ(std::count(json.begin(), json.end(), '\n'), static_cast<long>(6 * stats.reviews + 1));
}

TEST(Generate, NdjsonHasOneCompactObjectPerLine) {
  if (!python_available()) {
    GTEST_SKIP() << "/usr/bin/python3 is needed to check the JSON";
  }
  TempDir dir;
  Options options = with_rows(300, true);
  options.feedback_format = FeedbackFormat::Ndjson;
  const Stats stats = generate(options, dir / "s.csv", dir / "f.ndjson");
  EXPECT_EQ(python_check("import json,sys; [json.loads(line) for line in open(sys.argv[1])]",
                         dir / "f.ndjson"),
            0);
  const std::string json = read_file(dir / "f.ndjson");
  EXPECT_EQ(std::count(json.begin(), json.end(), '\n'), static_cast<long>(stats.reviews));
  EXPECT_TRUE(std::string_view(json).starts_with("{\"customer_id\": \"C_"));
  EXPECT_EQ(json.back(), '\n');
  // The records are the same as in the array form, only laid out differently.
  TempDir other;
  const Stats array = generate(with_rows(300, true), other / "s.csv", other / "f.json");
  EXPECT_EQ(read_file(other / "s.csv"), read_file(dir / "s.csv"));
  EXPECT_EQ(array.reviews, stats.reviews);
  const std::string array_json = read_file(other / "f.json");
  const std::vector<ReviewText> from_array = reviews_of(array_json);
  const std::vector<ReviewText> from_lines = reviews_of(json);
  ASSERT_EQ(from_array.size(), from_lines.size());
  for (std::size_t i = 0; i < from_array.size(); ++i) {
    EXPECT_EQ(from_array[i].customer_id, from_lines[i].customer_id);
    EXPECT_EQ(from_array[i].product_id, from_lines[i].product_id);
    EXPECT_EQ(from_array[i].sentiment, from_lines[i].sentiment);
    EXPECT_EQ(from_array[i].date, from_lines[i].date);
  }
}

// ---- the sample's proportions ----

TEST(Generate, MissingValuesAndPriceStylesFollowTheSampleOn100kRows) {
  const Output out = run(with_rows(100'000));
  const std::vector<Sale> sales = sales_of(out.sales);
  ASSERT_EQ(sales.size(), 100'000u);
  std::uint64_t missing_price = 0, missing_quantity = 0, dollar_cents = 0, dollar_short = 0,
                plain = 0;
  for (const Sale& sale : sales) {
    if (sale.price.empty()) {
      ++missing_price;
    } else {
      ASSERT_TRUE(is_plain_price(sale.price)) << sale.price;
      if (sale.price.front() != '$') {
        ++plain;
      } else if (has_two_decimals(sale.price)) {
        ++dollar_cents;
      } else {
        ++dollar_short;
      }
    }
    if (sale.quantity.empty()) {
      ++missing_quantity;
    } else {
      ASSERT_TRUE(sale.quantity.size() == 1 && sale.quantity[0] >= '1' && sale.quantity[0] <= '5')
          << sale.quantity;
    }
  }
  EXPECT_EQ(missing_price, out.stats.missing_prices);
  EXPECT_EQ(missing_quantity, out.stats.missing_quantities);
  EXPECT_NEAR(share(missing_price, sales.size()), 0.20, 0.006);
  EXPECT_NEAR(share(missing_quantity, sales.size()), 0.19, 0.006);
  const std::uint64_t present = sales.size() - missing_price;
  EXPECT_NEAR(share(dollar_cents, present), 0.5825, 0.01);  // "$150.00"
  EXPECT_NEAR(share(dollar_short, present), 0.1925, 0.01);  // "$75"
  EXPECT_NEAR(share(plain, present), 0.225, 0.01);          // "120", "250.5"
}

TEST(Generate, DateShapesAndReviewsFollowTheSampleOn100kRows) {
  const Output out = run(with_rows(100'000));
  const std::vector<Sale> sales = sales_of(out.sales);
  std::uint64_t slashed = 0;
  for (const Sale& sale : sales) {
    slashed += sale.date[2] == '/' ? 1u : 0u;
  }
  EXPECT_EQ(slashed, out.stats.month_first_sale_dates);
  EXPECT_NEAR(share(slashed, sales.size()), 0.20, 0.006);

  const std::vector<ReviewText> reviews = reviews_of(out.feedback);
  ASSERT_EQ(reviews.size(), out.stats.reviews);
  EXPECT_NEAR(share(reviews.size(), sales.size()), 1.0, 0.03);
  std::map<std::string, std::uint64_t> shapes;
  for (const ReviewText& review : reviews) {
    ++shapes[review.date.size() != 10 ? "other"
             : review.date[4] == '-'  ? "9999-99-99"
             : review.date[4] == '/'  ? "9999/99/99"
             : review.date[2] == '/'  ? "99/99/9999"
                                      : "other"];
  }
  ASSERT_EQ(shapes.size(), 3u);
  EXPECT_NEAR(share(shapes["9999-99-99"], reviews.size()), 1.0 / 3, 0.01);
  EXPECT_NEAR(share(shapes["9999/99/99"], reviews.size()), 1.0 / 3, 0.01);
  EXPECT_NEAR(share(shapes["99/99/9999"], reviews.size()), 1.0 / 3, 0.01);
}

TEST(Generate, SentimentsAreTenthsFromOneToFive) {
  const Output out = run(with_rows(20'000));
  std::set<std::string_view> values;
  for (const ReviewText& review : reviews_of(out.feedback)) {
    const auto value = number(review.sentiment);
    ASSERT_TRUE(value.has_value()) << review.sentiment;
    ASSERT_GE(*value, 1.0);
    ASSERT_LE(*value, 5.0);
    ASSERT_EQ(review.sentiment.size(), 3u) << "one decimal: " << review.sentiment;
    values.insert(review.sentiment);
  }
  EXPECT_EQ(values.size(), 41u) << "every tenth from 1.0 to 5.0 occurs";
}

// ---- dates ----

TEST(Generate, EverySaleDateIsRealInItsShapeAndTheAmbiguityRuleRecoversIt) {
  for (const std::uint64_t rows : {1'000u, 20'000u}) {
    const Output out = run(with_rows(rows));
    std::vector<DateText> column;
    std::uint64_t ambiguous = 0;
    for (const Sale& sale : sales_of(out.sales)) {
      const auto date = date_text(sale.date);
      ASSERT_TRUE(date && !date->year_first) << sale.date;
      const auto value = written_date(*date);
      ASSERT_TRUE(value) << sale.date << " is not a real date read "
                         << (date->separator == '-' ? "day-first" : "month-first");
      ASSERT_GE(*value, out.stats.first_day) << sale.date;
      ASSERT_LE(*value, out.stats.last_day) << sale.date;
      ambiguous += date->first <= 12 && date->second <= 12 && date->first != date->second;
      column.push_back(*date);
    }
    EXPECT_EQ(ambiguous, out.stats.ambiguous_sale_dates);
    EXPECT_GT(ambiguous, rows / 4) << "the sample has many ambiguous dates, so must we";
    const std::vector<Date> resolved = resolve_column(column);
    for (std::size_t i = 0; i < column.size(); ++i) {
      ASSERT_EQ(resolved[i], *written_date(column[i])) << "row " << i + 1;
    }
  }
}

TEST(Generate, EveryReviewDateIsRealWithinThePeriodAndRecoverable) {
  const Output out = run(with_rows(20'000));
  std::vector<DateText> column;
  for (const ReviewText& review : reviews_of(out.feedback)) {
    const auto date = date_text(review.date);
    ASSERT_TRUE(date) << review.date;
    ASSERT_TRUE(date->year_first || date->separator == '/') << review.date;
    const auto value = written_date(*date);
    ASSERT_TRUE(value) << review.date;
    ASSERT_GE(*value, out.stats.first_day) << review.date;
    ASSERT_LE(*value, out.stats.last_day) << review.date;
    column.push_back(*date);
  }
  const std::vector<Date> resolved = resolve_column(column);
  for (std::size_t i = 0; i < column.size(); ++i) {
    ASSERT_EQ(resolved[i], *written_date(column[i])) << "review " << i + 1;
  }
}

TEST(Generate, ThePeriodGrowsByWholeQuartersWithTheRowCount) {
  const std::vector<std::pair<std::uint64_t, std::string>> cases = {
      {1'000, "2023-03-31"}, {10'000, "2023-03-31"}, {10'001, "2023-06-30"}};
  for (const auto& [rows, last] : cases) {
    const Output out = run(with_rows(rows));
    EXPECT_EQ(format_date(out.stats.first_day), "2023-01-01");
    EXPECT_EQ(format_date(out.stats.last_day), last) << rows << " rows";
    const std::vector<std::string_view> lines = data_lines(out.sales);
    EXPECT_EQ(fields(lines.front())[5], "01-01-2023");
    const Date end = out.stats.last_day;
    EXPECT_EQ(*written_date(*date_text(fields(lines.back())[5])), end);
  }
}

// ---- ids, customers and reviews ----

TEST(Generate, IdsScaleWithTheRowCount) {
  const Output out = run(with_rows(40'000));
  EXPECT_EQ(out.stats.buyers, 4'000u);
  EXPECT_EQ(out.stats.customers, 6'000u);
  EXPECT_EQ(out.stats.products, 7u);
  std::set<std::string_view> products;
  std::set<std::string_view> buyers;
  for (const Sale& sale : sales_of(out.sales)) {
    products.insert(sale.product_id);
    buyers.insert(sale.customer_id);
    ASSERT_EQ(sale.customer_id.size(), 6u) << "C_ and four digits: " << sale.customer_id;
  }
  EXPECT_EQ(products,
            (std::set<std::string_view>{"P101", "P102", "P103", "P104", "P105", "P106", "P107"}));
  EXPECT_LE(buyers.size(), 4'000u);
  EXPECT_GT(buyers.size(), 3'800u);
  EXPECT_LE(*buyers.rbegin(), "C_4000");
}

TEST(Generate, SomeReviewersNeverBuyAndSomePairsAreReviewedAgainLater) {
  const Output out = run(with_rows(5'000));
  std::set<std::string_view> buyers;
  for (const Sale& sale : sales_of(out.sales)) {
    buyers.insert(sale.customer_id);
  }
  std::uint64_t without_purchase = 0;
  std::map<std::pair<std::string_view, std::string_view>, std::vector<Date>> by_pair;
  for (const ReviewText& review : reviews_of(out.feedback)) {
    if (buyers.count(review.customer_id) == 0 && review.customer_id > "C_500") {
      ++without_purchase;
    }
    by_pair[{review.customer_id, review.product_id}].push_back(
        *written_date(*date_text(review.date)));
  }
  EXPECT_EQ(without_purchase, out.stats.reviews_without_purchase);
  EXPECT_NEAR(share(without_purchase, out.stats.reviews), 0.33, 0.03);
  std::uint64_t reviewed_again_later = 0;
  for (const auto& [pair, dates] : by_pair) {
    for (std::size_t i = 1; i < dates.size(); ++i) {
      reviewed_again_later += dates[i] > dates[i - 1] ? 1u : 0u;
    }
  }
  EXPECT_GE(reviewed_again_later, out.stats.repeat_reviews / 2);
  EXPECT_GT(out.stats.repeat_reviews, 150u);
}

TEST(Generate, PurchasesAreLongTailedSoAVipGroupExists) {
  const Output out = run(with_rows(20'000));
  std::map<std::string_view, int> purchases;
  for (const Sale& sale : sales_of(out.sales)) {
    ++purchases[sale.customer_id];
  }
  std::vector<int> counts;
  for (const auto& [customer, count] : purchases) {
    counts.push_back(count);
  }
  std::sort(counts.rbegin(), counts.rend());
  int top = 0;
  for (std::size_t i = 0; i < counts.size() / 25; ++i) {
    top += counts[i];
  }
  // 4% of the buyers make about 18% of the sales; uniform buying would give about 7%.
  EXPECT_GT(share(static_cast<std::uint64_t>(top), 20'000), 0.14);
  EXPECT_GT(counts.front(), 4 * counts[counts.size() / 2]);
}

// ---- hard faults ----

struct FoundFaults {
  std::uint64_t decimal_comma = 0, quoted_comma = 0, impossible_sale_date = 0, duplicate = 0,
                reused_id = 0, blank = 0, word = 0, out_of_range = 0, impossible_review_date = 0;
};

FoundFaults find_faults(const Output& out) {
  FoundFaults found;
  std::map<std::string_view, std::string_view> line_of_id;
  for (const std::string_view line : data_lines(out.sales)) {
    if (line.empty()) {
      ++found.blank;
      continue;
    }
    const Fields f = fields(line);
    const std::string_view price = f[3];
    if (!price.empty() && price.front() == '"') {
      if (price.find('$') != std::string_view::npos) {
        ++found.quoted_comma;
      } else {
        ++found.decimal_comma;
      }
    } else if (!price.empty()) {
      EXPECT_TRUE(is_plain_price(price)) << price;
    }
    const auto date = date_text(f[5]);
    EXPECT_TRUE(date) << f[5];
    if (date && !written_date(*date)) {
      ++found.impossible_sale_date;
    }
    const auto [it, inserted] = line_of_id.emplace(f[0], line);
    if (!inserted) {
      ++(it->second == line ? found.duplicate : found.reused_id);
    }
  }
  for (const ReviewText& review : reviews_of(out.feedback)) {
    if (review.sentiment.front() == '"') {
      ++found.word;
    } else if (const auto value = number(review.sentiment); !value || *value < 1 || *value > 5) {
      ++found.out_of_range;
    }
    const auto date = date_text(review.date);
    EXPECT_TRUE(date) << review.date;
    if (date && !written_date(*date)) {
      ++found.impossible_review_date;
    }
  }
  return found;
}

TEST(Generate, NoHardFaultUnlessAsked) {
  const Output out = run(with_rows(20'000));
  const FoundFaults found = find_faults(out);
  EXPECT_EQ(out.stats.hard_faults(), 0u);
  EXPECT_EQ(found.decimal_comma + found.quoted_comma + found.impossible_sale_date +
                found.duplicate + found.reused_id + found.blank + found.word + found.out_of_range +
                found.impossible_review_date,
            0u);
  EXPECT_EQ(out.sales.find('"'), std::string::npos);
  EXPECT_EQ(out.stats.sales_records, out.stats.rows);
}

TEST(Generate, HardFaultsAreWrittenAndCountedWhenAsked) {
  const Output out = run(with_rows(4'000, true));
  const FoundFaults found = find_faults(out);
  const Stats& s = out.stats;
  EXPECT_EQ(found.decimal_comma, s.decimal_comma_prices);
  EXPECT_EQ(found.quoted_comma, s.quoted_comma_prices);
  EXPECT_EQ(found.impossible_sale_date, s.impossible_sale_dates);
  EXPECT_EQ(found.duplicate, s.duplicate_rows);
  EXPECT_EQ(found.reused_id, s.reused_sale_ids);
  EXPECT_EQ(found.blank, s.blank_lines);
  EXPECT_EQ(found.word, s.word_sentiments);
  EXPECT_EQ(found.out_of_range, s.out_of_range_sentiments);
  EXPECT_EQ(found.impossible_review_date, s.impossible_review_dates);
  // Once per 400 sales each.
  for (const std::uint64_t count :
       {s.decimal_comma_prices, s.quoted_comma_prices, s.impossible_sale_dates, s.duplicate_rows,
        s.reused_sale_ids, s.blank_lines, s.word_sentiments, s.out_of_range_sentiments,
        s.impossible_review_dates}) {
    EXPECT_GE(count, 9u);
    EXPECT_LE(count, 10u);
  }
  EXPECT_EQ(s.sales_records, s.rows + s.duplicate_rows + s.reused_sale_ids);
  EXPECT_EQ(sales_of(out.sales).size(), s.sales_records);
}

TEST(Generate, QuotedPricesAreWellFormed) {
  const Output out = run(with_rows(4'000, true));
  for (const Sale& sale : sales_of(out.sales)) {
    if (sale.price.empty() || sale.price.front() != '"') {
      continue;
    }
    const std::string_view inner = sale.price.substr(1, sale.price.size() - 2);
    if (inner.front() == '$') {
      // "$1,502.50": a thousands separator, two decimals, at least 1,000.
      ASSERT_GE(inner.size(), 9u) << inner;
      EXPECT_EQ(inner[inner.size() - 3], '.') << inner;
      EXPECT_EQ(inner[inner.size() - 7], ',') << inner;
    } else {
      // "150,00": a decimal comma.
      EXPECT_EQ(inner[inner.size() - 3], ',') << inner;
      EXPECT_EQ(inner.find('.'), std::string::npos) << inner;
    }
  }
}

TEST(Generate, HardFaultsLeaveTheOtherRowsAsTheyWere) {
  const Output clean = run(with_rows(4'000));
  const Output faulty = run(with_rows(4'000, true));
  const std::vector<std::string_view> clean_lines = data_lines(clean.sales);
  const std::vector<std::string_view> faulty_list = data_lines(faulty.sales);
  const std::set<std::string_view> faulty_lines(faulty_list.begin(), faulty_list.end());
  std::uint64_t changed = 0;
  for (const std::string_view line : clean_lines) {
    changed += faulty_lines.count(line) == 0 ? 1u : 0u;
  }
  const Stats& s = faulty.stats;
  // Rows that carry a fault themselves, plus the originals of copies whose price was made
  // present so the copy meets a loaded row.
  EXPECT_LE(changed, s.decimal_comma_prices + s.quoted_comma_prices + s.impossible_sale_dates +
                         s.duplicate_rows + s.reused_sale_ids);
  EXPECT_GE(changed, s.decimal_comma_prices + s.quoted_comma_prices + s.impossible_sale_dates);
  EXPECT_EQ(clean.stats.reviews, faulty.stats.reviews);
}

TEST(Generate, CopiedRowsHaveAPriceSoTheyMeetALoadedOriginal) {
  const Output out = run(with_rows(4'000, true));
  std::map<std::string_view, std::string_view> first_price;
  for (const Sale& sale : sales_of(out.sales)) {
    const auto [it, inserted] = first_price.emplace(sale.sale_id, sale.price);
    if (!inserted) {
      EXPECT_FALSE(it->second.empty()) << "sale " << sale.sale_id;
      EXPECT_TRUE(is_plain_price(it->second)) << "sale " << sale.sale_id;
    }
  }
}

// ---- progress, options and failures ----

TEST(Generate, ReportsProgressUpToTheRowCount) {
  std::vector<std::uint64_t> done;
  Options options = with_rows(140'000);
  options.on_progress = [&](std::uint64_t rows_done, std::uint64_t total) {
    EXPECT_EQ(total, 140'000u);
    done.push_back(rows_done);
  };
  TempDir dir;
  generate(options, dir / "s.csv", dir / "f.json");
  EXPECT_EQ(done, (std::vector<std::uint64_t>{65'536, 131'072, 140'000}));
}

TEST(GenerateOptions, RejectsZeroRows) {
  Options options = with_rows(0);
  try {
    options.validate();
    FAIL() << "rows = 0 was accepted";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::Usage);
    EXPECT_STREQ(error.what(), "rows must be between 1 and 1000000000, got 0");
  }
}

TEST(GenerateOptions, RejectsMoreRowsThanTheLimit) {
  Options options = with_rows(Options::kMaxRows + 1);
  try {
    options.validate();
    FAIL() << "too many rows were accepted";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::Usage);
    EXPECT_STREQ(error.what(), "rows must be between 1 and 1000000000, got 1000000001");
  }
  EXPECT_NO_THROW(with_rows(Options::kMaxRows).validate());
}

TEST(GenerateOptions, GenerateValidatesBeforeWritingAnything) {
  TempDir dir;
  EXPECT_THROW(generate(with_rows(0), dir / "s.csv", dir / "f.json"), Error);
  EXPECT_FALSE(fs::exists(dir / "s.csv"));
  EXPECT_FALSE(fs::exists(dir / "f.json"));
}

TEST(GenerateOutput, RefusesTheSamePathForBothFiles) {
  TempDir dir;
  try {
    generate(with_rows(10), dir / "both.txt", dir / "." / "both.txt");
    FAIL() << "the same path was accepted twice";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::Usage);
    EXPECT_EQ(error.message(),
              "the sales and feedback outputs are the same file: " + (dir / "both.txt").string());
  }
  EXPECT_FALSE(fs::exists(dir / "both.txt"));
}

TEST(GenerateOutput, AFolderInPlaceOfTheSalesFileIsAnOutputError) {
  TempDir dir;
  fs::create_directory(dir / "sales");
  try {
    generate(with_rows(10), dir / "sales", dir / "f.json");
    FAIL() << "wrote over a folder";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::Output);
    EXPECT_EQ(error.location().file, (dir / "sales").string());
    EXPECT_EQ(error.message(), "cannot create the file: Is a directory");
    EXPECT_EQ(std::string(error.what()),
              (dir / "sales").string() + ": cannot create the file: Is a directory");
  }
  EXPECT_FALSE(fs::exists(dir / "f.json"));
}

TEST(GenerateOutput, AMissingFolderIsAnOutputErrorAndRemovesTheOtherFile) {
  TempDir dir;
  const fs::path feedback = dir / "no-such-folder" / "f.json";
  try {
    generate(with_rows(10), dir / "s.csv", feedback);
    FAIL() << "wrote into a missing folder";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::Output);
    EXPECT_EQ(error.location().file, feedback.string());
    EXPECT_EQ(error.message(), "cannot create the file: No such file or directory");
  }
  EXPECT_FALSE(fs::exists(dir / "s.csv")) << "the half-made pair is removed";
}

TEST(GenerateOutput, AFullDeviceIsAnOutputError) {
  if (!fs::exists("/dev/full")) {
    GTEST_SKIP() << "no /dev/full on this system";
  }
  TempDir dir;
  try {
    generate(with_rows(10), dir / "s.csv", "/dev/full");
    FAIL() << "writing to a full device succeeded";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::Output);
    EXPECT_EQ(error.location().file, "/dev/full");
    EXPECT_EQ(error.message(), "cannot write the file: No space left on device");
  }
  EXPECT_FALSE(fs::exists(dir / "s.csv"));
  EXPECT_TRUE(fs::exists("/dev/full")) << "a device is never removed";
}

// ---- against the lab's sample and the bundled example ----

TEST(GenerateSeed, HasTheSampleHeaderKeysAndSize) {
  SALESPIPE_REQUIRE_SEED();
  const std::string seed_sales = read_file(testing::seed_dir() / "sale_price.csv");
  const std::string seed_feedback = read_file(testing::seed_dir() / "customer_feedback.json");
  const Output out = run(with_rows(1'000));
  EXPECT_EQ(out.sales.substr(0, out.sales.find('\n') + 1),
            seed_sales.substr(0, seed_sales.find('\n') + 1));
  // The first object's layout, up to the first value.
  const std::size_t layout = seed_feedback.find("C_");
  EXPECT_EQ(out.feedback.substr(0, layout), seed_feedback.substr(0, layout));
  const std::vector<ReviewText> seed_reviews = reviews_of(seed_feedback);
  ASSERT_EQ(seed_reviews.size(), 1'000u);
  EXPECT_NEAR(share(out.stats.reviews, 1'000), 1.0, 0.05);
  // Same row count, same shapes: sizes within 3% of the sample's.
  EXPECT_NEAR(share(out.sales.size(), seed_sales.size()), 1.0, 0.03);
  EXPECT_NEAR(share(out.feedback.size(), seed_feedback.size()), 1.0, 0.03);
  EXPECT_EQ(out.feedback.back(), seed_feedback.back());
}

TEST(GenerateExample, TheBundledExampleIsWhatTheGeneratorWrites) {
  const fs::path examples =
      testing::test_data("x").parent_path().parent_path().parent_path() / "examples";
  ASSERT_TRUE(fs::exists(examples / "sale_price.csv")) << examples;
  Options options = with_rows(2'000, true);
  options.seed = 7;
  const Output out = run(options);
  EXPECT_TRUE(read_file(examples / "sale_price.csv") == out.sales)
      << "regenerate examples/ as examples/README.md says";
  EXPECT_TRUE(read_file(examples / "customer_feedback.json") == out.feedback)
      << "regenerate examples/ as examples/README.md says";
}

}  // namespace
}  // namespace salespipe::generate
