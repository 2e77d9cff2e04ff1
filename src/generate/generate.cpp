#include "generate/generate.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <memory>
#include <numeric>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include "core/error.hpp"
#include "generate/rng.hpp"

namespace salespipe::generate {
namespace {

namespace fs = std::filesystem;
using detail::Rng;

constexpr std::uint64_t kFirstSaleId = 1001;
constexpr std::uint64_t kProgressEvery = 65'536;

// Shares per 10,000, measured on the lab's sample (1000 sales, 1000 reviews).
constexpr std::uint64_t kMissingPrice = 2'000;     // 200 of 1000
constexpr std::uint64_t kMissingQuantity = 1'900;  // 188 of 1000
constexpr std::uint64_t kMonthFirstDate = 2'000;   // 202 of 1000 written mm/dd/yyyy
// Of the present prices: 466 "$150.00", 154 "$75", 180 "120" or "250.5".
constexpr std::uint64_t kPriceDollarCents = 5'825;
constexpr std::uint64_t kPriceDollarShort = 1'925;
// What a sale brings in the feedback file: 558 of the sample's reviews match a sale's customer
// and product, 112 are by a buyer about another product, 330 by customers with no sale.
constexpr std::uint64_t kSaleReview = 5'300;
constexpr std::uint64_t kOtherProductReview = 1'000;
constexpr std::uint64_t kReviewOnlyCustomer = 3'200;  // the remaining 500: no review
constexpr std::uint64_t kRepeatReview = 500;
constexpr std::uint64_t kMaxReviewDelay = 14;  // days after the sale
constexpr std::uint64_t kMaxRepeatDelay = 30;  // days after the first review
// Each hard fault once per this many sales (at a random place in each block of that size).
constexpr std::uint64_t kFaultEvery = 400;
// Seeds the fault stream apart from the data stream, so faults leave the other rows as they are.
constexpr std::uint64_t kFaultStream = 0x5a1e5f'a017'5eedULL;

// P101..P105 as in the sample (its first five rows), in cents.
constexpr std::array<std::int64_t, 5> kSamplePrices = {15'000, 7'500, 25'050, 3'000, 12'000};
// Catalog prices for the products after those: whole or half amounts only, so each written
// price shows its style ("$12.50", "$12.5", "12.5").
constexpr std::array<std::int64_t, 21> kCatalogPrices = {
    500,   1'000,  1'250,  2'000,  2'500,  3'000,  4'500,  4'950,  6'000,  7'500, 8'900,
    9'900, 12'000, 15'000, 19'900, 25'050, 29'900, 35'000, 49'900, 64'900, 89'900};

// Buyer tiers: share of buyers (per 100) and relative purchase rate.
constexpr std::array<std::uint64_t, 4> kTierPercent = {4, 20, 46, 30};
constexpr std::array<std::uint64_t, 4> kTierRate = {16, 6, 3, 1};

constexpr std::array<std::pair<unsigned, unsigned>, 6> kImpossibleDayMonth = {
    {{30, 2}, {31, 2}, {31, 4}, {31, 6}, {31, 9}, {31, 11}}};
constexpr std::array<std::string_view, 5> kWordSentiments = {"one", "two", "three", "four", "five"};
constexpr std::array<std::string_view, 6> kOutOfRangeSentiments = {"0.0", "0.5",  "5.5",
                                                                   "6.0", "10.0", "-1.0"};

constexpr std::string_view kSalesHeader =
    "sale_id,product_id,customer_id,sale_price,quantity,sale_date\r\n";

enum class PriceStyle : std::uint8_t { DollarCents, DollarShort, Plain };
enum class DateShape : std::uint8_t {
  DayFirstDash,
  MonthFirstSlash,
  YearFirstDash,
  YearFirstSlash
};

// The sample's review dates: 335 yyyy-mm-dd, 341 yyyy/mm/dd, 324 mm/dd/yyyy.
constexpr std::array<DateShape, 3> kReviewShapes = {
    DateShape::YearFirstDash, DateShape::YearFirstSlash, DateShape::MonthFirstSlash};

enum class SalesFault : std::uint8_t {
  DecimalComma,
  QuotedComma,
  ImpossibleDate,
  DuplicateRow,
  ReusedSaleId,
  BlankLine,
  None,
};
constexpr std::size_t kSalesFaultKinds = static_cast<std::size_t>(SalesFault::None);

enum class ReviewFault : std::uint8_t { WordSentiment, OutOfRange, ImpossibleDate, None };
constexpr std::size_t kReviewFaultKinds = static_cast<std::size_t>(ReviewFault::None);

char* put(char* out, std::string_view text) noexcept {
  std::memcpy(out, text.data(), text.size());
  return out + text.size();
}

char* put_uint(char* out, std::uint64_t value) noexcept {
  return std::to_chars(out, out + 20, value).ptr;
}

char* put_two_digits(char* out, std::uint64_t value) noexcept {
  out[0] = static_cast<char>('0' + value / 10 % 10);
  out[1] = static_cast<char>('0' + value % 10);
  return out + 2;
}

char* put_padded(char* out, std::uint64_t value, std::size_t width) noexcept {
  char digits[20];
  const std::size_t length =
      static_cast<std::size_t>(std::to_chars(digits, digits + 20, value).ptr - digits);
  for (std::size_t i = length; i < width; ++i) {
    *out++ = '0';
  }
  return put(out, std::string_view(digits, length));
}

// 1234567 with separator ',' -> "1,234,567".
char* put_grouped(char* out, std::uint64_t value, char separator) noexcept {
  char digits[20];
  const std::size_t length =
      static_cast<std::size_t>(std::to_chars(digits, digits + 20, value).ptr - digits);
  for (std::size_t i = 0; i < length; ++i) {
    if (i > 0 && (length - i) % 3 == 0) {
      *out++ = separator;
    }
    *out++ = digits[i];
  }
  return out;
}

std::size_t digit_count(std::uint64_t value) noexcept {
  std::size_t count = 1;
  while (value >= 10) {
    value /= 10;
    ++count;
  }
  return count;
}

// "150.00", "250.50"; short drops trailing zeros of the cents: "150", "250.5", "19.99".
std::string price_text(std::int64_t cents, bool with_dollar, bool shortest) {
  char text[32];
  char* out = text;
  if (with_dollar) {
    *out++ = '$';
  }
  const auto units = static_cast<std::uint64_t>(cents);
  out = put_uint(out, units / 100);
  const std::uint64_t fraction = units % 100;
  if (!shortest) {
    *out++ = '.';
    out = put_two_digits(out, fraction);
  } else if (fraction % 10 != 0) {
    *out++ = '.';
    out = put_two_digits(out, fraction);
  } else if (fraction != 0) {
    *out++ = '.';
    *out++ = static_cast<char>('0' + fraction / 10);
  }
  return std::string(text, out);
}

struct Product {
  std::string id;
  std::int64_t price_cents = 0;
  std::array<std::string, 3> price;   // by PriceStyle
  std::int64_t trend_permille = 0;    // popularity change from the first to the last day
  std::uint64_t sentiment_mean = 30;  // tenths
};

struct Day {
  int year = 0;
  unsigned month = 0;
  unsigned day = 0;
  std::array<std::array<char, 10>, 4> text{};  // by DateShape
};

std::array<char, 10> date_text(DateShape shape, int year, unsigned month, unsigned day) {
  std::array<char, 10> text{};
  char* out = text.data();
  const auto y = static_cast<std::uint64_t>(year);
  auto put_year = [&] {
    out = put_two_digits(out, y / 100);
    out = put_two_digits(out, y);
  };
  switch (shape) {
    case DateShape::DayFirstDash:
      out = put_two_digits(out, day);
      *out++ = '-';
      out = put_two_digits(out, month);
      *out++ = '-';
      put_year();
      break;
    case DateShape::MonthFirstSlash:
      out = put_two_digits(out, month);
      *out++ = '/';
      out = put_two_digits(out, day);
      *out++ = '/';
      put_year();
      break;
    case DateShape::YearFirstDash:
    case DateShape::YearFirstSlash: {
      const char separator = shape == DateShape::YearFirstDash ? '-' : '/';
      put_year();
      *out++ = separator;
      out = put_two_digits(out, month);
      *out++ = separator;
      out = put_two_digits(out, day);
      break;
    }
  }
  return text;
}

// Everything that does not change from row to row: ids, catalog, popularity, the date span.
class Plan {
 public:
  Plan(const Options& options, Rng& rng) {
    buyers_ = (options.rows + 9) / 10;
    reviewers_ = buyers_ / 2;
    id_width_ = std::max<std::size_t>(3, digit_count(buyers_ + reviewers_));
    make_tiers(rng);
    make_products(options.rows / 20'000 + 5, rng);
    make_days(options.rows);
  }

  std::uint64_t buyers() const noexcept { return buyers_; }
  std::uint64_t reviewers() const noexcept { return reviewers_; }
  std::size_t id_width() const noexcept { return id_width_; }
  const Product& product(std::size_t index) const noexcept { return products_[index]; }
  std::size_t products() const noexcept { return products_.size(); }
  const Day& day(std::uint64_t index) const noexcept { return days_[index]; }
  std::uint64_t days() const noexcept { return days_.size(); }
  Date first_day() const noexcept { return first_day_; }

  // A buyer number in 1..buyers: a tier by its total rate, a member of it uniformly, and the
  // member's place scattered over the ids by an affine bijection modulo buyers.
  std::uint64_t pick_buyer(Rng& rng) const noexcept {
    std::uint64_t draw = rng.below(total_rate_);
    std::uint64_t first = 0;
    std::uint64_t member = 0;
    for (std::size_t tier = 0; tier < kTierRate.size(); ++tier) {
      const std::uint64_t tier_total = tier_size_[tier] * kTierRate[tier];
      if (draw < tier_total) {
        member = first + draw / kTierRate[tier];
        break;
      }
      draw -= tier_total;
      first += tier_size_[tier];
    }
    return (member * scatter_a_ + scatter_b_) % buyers_ + 1;
  }

  // A product by popularity, thinned by its trend on that day (acceptance 0.6..1.4 of 1.4).
  std::size_t pick_product(Rng& rng, std::uint64_t day) const noexcept {
    const auto span = static_cast<std::int64_t>(days_.size()) - 1;
    for (;;) {
      const std::uint64_t draw = rng.below(popularity_.back());
      const auto index = static_cast<std::size_t>(
          std::upper_bound(popularity_.begin(), popularity_.end(), draw) - popularity_.begin());
      if (span <= 0) {
        return index;
      }
      const std::int64_t position = 2 * static_cast<std::int64_t>(day) - span;
      const std::int64_t accept = 1'000 + products_[index].trend_permille * position / span;
      if (static_cast<std::int64_t>(rng.below(1'400)) < accept) {
        return index;
      }
    }
  }

 private:
  void make_tiers(Rng& rng) {
    tier_size_[0] = std::max<std::uint64_t>(1, (buyers_ * kTierPercent[0] + 99) / 100);
    std::uint64_t assigned = tier_size_[0];
    for (std::size_t tier = 1; tier + 1 < kTierPercent.size(); ++tier) {
      tier_size_[tier] = std::min(buyers_ - assigned, buyers_ * kTierPercent[tier] / 100);
      assigned += tier_size_[tier];
    }
    tier_size_.back() = buyers_ - assigned;
    total_rate_ = 0;
    for (std::size_t tier = 0; tier < kTierRate.size(); ++tier) {
      total_rate_ += tier_size_[tier] * kTierRate[tier];
    }
    scatter_a_ = 1 + rng.below(buyers_);
    while (std::gcd(scatter_a_, buyers_) != 1) {
      scatter_a_ = scatter_a_ % buyers_ + 1;
    }
    scatter_b_ = rng.below(buyers_);
  }

  void make_products(std::size_t count, Rng& rng) {
    products_.resize(count);
    for (std::size_t i = 0; i < count; ++i) {
      Product& product = products_[i];
      product.id = fmt::format("P{}", 101 + i);
      product.price_cents = i < kSamplePrices.size()
                                ? kSamplePrices[i]
                                : kCatalogPrices[rng.below(kCatalogPrices.size())];
      product.price[static_cast<std::size_t>(PriceStyle::DollarCents)] =
          price_text(product.price_cents, true, false);
      product.price[static_cast<std::size_t>(PriceStyle::DollarShort)] =
          price_text(product.price_cents, true, true);
      product.price[static_cast<std::size_t>(PriceStyle::Plain)] =
          price_text(product.price_cents, false, true);
      product.trend_permille = static_cast<std::int64_t>(rng.below(801)) - 400;
      product.sentiment_mean = 24 + rng.below(17);
    }
    // Zipf-like popularity 12000 / (rank + 4) over a shuffled rank order.
    std::vector<std::uint64_t> rank(count);
    std::iota(rank.begin(), rank.end(), std::uint64_t{0});
    for (std::size_t i = count; i > 1; --i) {
      std::swap(rank[i - 1], rank[rng.below(i)]);
    }
    popularity_.resize(count);
    std::uint64_t total = 0;
    for (std::size_t i = 0; i < count; ++i) {
      total += 12'000 / (rank[i] + 4);
      popularity_[i] = total;
    }
  }

  void make_days(std::uint64_t rows) {
    namespace chrono = std::chrono;
    const int quarters = rows <= 10'000 ? 1 : rows <= 100'000 ? 2 : rows <= 1'000'000 ? 4 : 6;
    const chrono::year_month_day start{chrono::year{2023}, chrono::January, chrono::day{1}};
    first_day_ = chrono::sys_days{start};
    const chrono::sys_days end{start + chrono::months{3 * quarters}};
    for (chrono::sys_days date = first_day_; date < end; date += chrono::days{1}) {
      const chrono::year_month_day ymd{date};
      Day entry;
      entry.year = static_cast<int>(ymd.year());
      entry.month = static_cast<unsigned>(ymd.month());
      entry.day = static_cast<unsigned>(ymd.day());
      for (std::size_t shape = 0; shape < entry.text.size(); ++shape) {
        entry.text[shape] =
            date_text(static_cast<DateShape>(shape), entry.year, entry.month, entry.day);
      }
      days_.push_back(entry);
    }
  }

  std::uint64_t buyers_ = 0;
  std::uint64_t reviewers_ = 0;
  std::size_t id_width_ = 3;
  std::array<std::uint64_t, 4> tier_size_{};
  std::uint64_t total_rate_ = 0;
  std::uint64_t scatter_a_ = 1;
  std::uint64_t scatter_b_ = 0;
  std::vector<Product> products_;
  std::vector<std::uint64_t> popularity_;  // cumulative weights
  std::vector<Day> days_;
  Date first_day_{};
};

// An output file written through one large buffer. Records are formatted straight into the
// buffer: room() always leaves kMaxRecord bytes, more than any row or review needs.
class Sink {
 public:
  static constexpr std::size_t kBufferBytes = std::size_t{4} << 20;
  static constexpr std::size_t kMaxRecord = 1024;

  explicit Sink(fs::path path) : path_(std::move(path)), buffer_(new char[kBufferBytes]) {
    file_ = std::fopen(path_.c_str(), "wb");
    if (file_ == nullptr) {
      fail("cannot create the file");
    }
    // Our buffer is the only one: stdio's would copy every chunk once more.
    std::setvbuf(file_, nullptr, _IONBF, 0);
  }
  Sink(const Sink&) = delete;
  Sink& operator=(const Sink&) = delete;
  ~Sink() {
    if (file_ != nullptr) {
      std::fclose(file_);
    }
  }

  char* room() {
    if (kBufferBytes - used_ < kMaxRecord) {
      flush();
    }
    return buffer_.get() + used_;
  }
  void advance(const char* end) noexcept { used_ = static_cast<std::size_t>(end - buffer_.get()); }
  void write(std::string_view text) { advance(put(room(), text)); }

  /// Flushes and closes; throws Error{Output} when the data did not reach the file.
  void close() {
    flush();
    std::FILE* file = std::exchange(file_, nullptr);
    if (std::fclose(file) != 0) {
      fail("cannot write the file");
    }
  }

  std::uint64_t bytes() const noexcept { return written_ + used_; }
  const fs::path& path() const noexcept { return path_; }

 private:
  void flush() {
    if (used_ == 0) {
      return;
    }
    if (std::fwrite(buffer_.get(), 1, used_, file_) != used_) {
      fail("cannot write the file");
    }
    written_ += used_;
    used_ = 0;
  }

  [[noreturn]] void fail(std::string_view what) const {
    const int code = errno;
    throw Error(ErrorKind::Output, Location{path_.string()},
                fmt::format("{}: {}", what, std::generic_category().message(code)));
  }

  fs::path path_;
  std::unique_ptr<char[]> buffer_;
  std::size_t used_ = 0;
  std::uint64_t written_ = 0;
  std::FILE* file_ = nullptr;
};

// Which hard fault comes next: each kind once per block of kFaultEvery sales, at a random row of
// the block; when two fall on one row the second waits for the next row.
template <std::size_t Kinds>
class FaultClock {
 public:
  FaultClock(std::uint64_t every, Rng& rng) : every_(every) {
    for (std::size_t kind = 0; kind < Kinds; ++kind) {
      next_[kind] = rng.below(every_);
    }
  }

  // The first kind due at row, now taken, or Kinds when none is.
  std::size_t take(std::uint64_t row, Rng& rng) noexcept {
    for (std::size_t kind = 0; kind < Kinds; ++kind) {
      if (next_[kind] <= row) {
        ++block_[kind];
        next_[kind] = block_[kind] * every_ + rng.below(every_);
        return kind;
      }
    }
    return Kinds;
  }

 private:
  std::uint64_t every_;
  std::array<std::uint64_t, Kinds> next_{};
  std::array<std::uint64_t, Kinds> block_{};
};

struct SaleRow {
  std::uint64_t sale_id = 0;
  std::uint64_t customer = 0;  // 1-based number
  std::size_t product = 0;
  std::uint64_t day = 0;
  std::uint64_t quantity = 1;
  PriceStyle style = PriceStyle::DollarCents;
  bool price_missing = false;
  bool quantity_missing = false;
  bool month_first = false;
  SalesFault fault = SalesFault::None;
  std::uint64_t fault_choice = 0;  // which impossible date
};

struct Review {
  std::uint64_t customer = 0;
  std::size_t product = 0;
  std::uint64_t sentiment = 30;  // tenths
  std::uint64_t day = 0;
  DateShape shape = DateShape::YearFirstDash;
  ReviewFault fault = ReviewFault::None;
  std::uint64_t fault_choice = 0;
};

class Writer {
 public:
  Writer(const Options& options, const Plan& plan, Sink& sales, Sink& feedback, Stats& stats)
      : options_(options), plan_(plan), sales_(sales), feedback_(feedback), stats_(stats) {}

  void sale(const SaleRow& row) {
    char* out = sales_.room();
    out = put_uint(out, row.sale_id);
    *out++ = ',';
    out = put(out, plan_.product(row.product).id);
    *out++ = ',';
    out = put_customer(out, row.customer);
    *out++ = ',';
    out = put_price(out, row);
    *out++ = ',';
    if (!row.quantity_missing) {
      out = put_uint(out, row.quantity);
    }
    *out++ = ',';
    const Day& day = plan_.day(row.day);
    const DateShape shape = row.month_first ? DateShape::MonthFirstSlash : DateShape::DayFirstDash;
    if (row.fault == SalesFault::ImpossibleDate) {
      const auto [bad_day, bad_month] = kImpossibleDayMonth[row.fault_choice];
      const auto text = date_text(shape, day.year, bad_month, bad_day);
      out = put(out, std::string_view(text.data(), text.size()));
    } else {
      out = put(out, std::string_view(day.text[static_cast<std::size_t>(shape)].data(), 10));
    }
    *out++ = '\r';
    *out++ = '\n';
    sales_.advance(out);
    ++stats_.sales_records;
  }

  void blank_line() { sales_.write("\r\n"); }

  void review(const Review& review) {
    const bool array = options_.feedback_format == FeedbackFormat::Array;
    char* out = feedback_.room();
    if (array) {
      out = put(out, stats_.reviews == 0 ? "[\n  {\n    \"customer_id\": \""
                                         : ",\n  {\n    \"customer_id\": \"");
    } else {
      out = put(out, "{\"customer_id\": \"");
    }
    out = put_customer(out, review.customer);
    out = put(out, array ? "\",\n    \"product_id\": \"" : "\", \"product_id\": \"");
    out = put(out, plan_.product(review.product).id);
    out = put(out, array ? "\",\n    \"sentiment_score\": " : "\", \"sentiment_score\": ");
    switch (review.fault) {
      case ReviewFault::WordSentiment:
        *out++ = '"';
        out = put(out, kWordSentiments[review.fault_choice]);
        *out++ = '"';
        break;
      case ReviewFault::OutOfRange:
        out = put(out, kOutOfRangeSentiments[review.fault_choice]);
        break;
      case ReviewFault::ImpossibleDate:
      case ReviewFault::None:
        out = put_uint(out, review.sentiment / 10);
        *out++ = '.';
        *out++ = static_cast<char>('0' + review.sentiment % 10);
        break;
    }
    out = put(out, array ? ",\n    \"review_date\": \"" : ", \"review_date\": \"");
    const Day& day = plan_.day(review.day);
    if (review.fault == ReviewFault::ImpossibleDate) {
      const auto [bad_day, bad_month] = kImpossibleDayMonth[review.fault_choice];
      const auto text = date_text(review.shape, day.year, bad_month, bad_day);
      out = put(out, std::string_view(text.data(), text.size()));
    } else {
      out = put(out, std::string_view(day.text[static_cast<std::size_t>(review.shape)].data(), 10));
    }
    out = put(out, array ? "\"\n  }" : "\"}\n");
    feedback_.advance(out);
    ++stats_.reviews;
  }

  void finish_feedback() {
    if (options_.feedback_format == FeedbackFormat::Array) {
      feedback_.write(stats_.reviews == 0 ? "[]" : "\n]");
    }
  }

 private:
  char* put_customer(char* out, std::uint64_t number) const noexcept {
    *out++ = 'C';
    *out++ = '_';
    return put_padded(out, number, plan_.id_width());
  }

  char* put_price(char* out, const SaleRow& row) const noexcept {
    const Product& product = plan_.product(row.product);
    const auto cents = static_cast<std::uint64_t>(product.price_cents);
    switch (row.fault) {
      case SalesFault::DecimalComma:
        // "150,00" or "1.234,50": a European export, quoted because of the comma.
        *out++ = '"';
        out = put_grouped(out, cents / 100, '.');
        *out++ = ',';
        out = put_two_digits(out, cents % 100);
        *out++ = '"';
        return out;
      case SalesFault::QuotedComma: {
        // A bulk order of at least 1,000.00 with a thousands separator: valid, but a naive
        // split on commas breaks it.
        const std::uint64_t multiple = std::max<std::uint64_t>(10, (100'000 + cents - 1) / cents);
        const std::uint64_t total = cents * multiple;
        *out++ = '"';
        *out++ = '$';
        out = put_grouped(out, total / 100, ',');
        *out++ = '.';
        out = put_two_digits(out, total % 100);
        *out++ = '"';
        return out;
      }
      default:
        if (row.price_missing) {
          return out;
        }
        return put(out, product.price[static_cast<std::size_t>(row.style)]);
    }
  }

  const Options& options_;
  const Plan& plan_;
  Sink& sales_;
  Sink& feedback_;
  Stats& stats_;
};

// A copy of an earlier row to write a few rows later.
struct PendingCopy {
  SaleRow row;
  SalesFault kind = SalesFault::DuplicateRow;
  std::uint64_t after_row = 0;  // written after this row
};

bool ambiguous(const Day& day) noexcept {
  return day.day <= 12 && day.month <= 12 && day.day != day.month;
}

void run(const Options& options, Sink& sales, Sink& feedback, Stats& stats) {
  Rng rng(options.seed);
  Rng fault_rng(options.seed ^ kFaultStream);
  const Plan plan(options, rng);
  stats.rows = options.rows;
  stats.buyers = plan.buyers();
  stats.customers = plan.buyers() + plan.reviewers();
  stats.products = plan.products();
  stats.first_day = plan.first_day();
  stats.last_day = plan.first_day() + std::chrono::days{plan.days() - 1};

  const std::uint64_t last_day = plan.days() - 1;
  const std::uint64_t every = std::min(kFaultEvery, options.rows);
  FaultClock<kSalesFaultKinds> sales_faults(every, fault_rng);
  FaultClock<kReviewFaultKinds> review_faults(every, fault_rng);
  std::vector<PendingCopy> pending;
  Writer writer(options, plan, sales, feedback, stats);
  sales.write(kSalesHeader);

  auto draw_sentiment = [&](std::size_t product) {
    if (rng.chance(5'000)) {
      return 10 + rng.below(41);
    }
    const std::uint64_t mean = plan.product(product).sentiment_mean;
    const std::uint64_t spread = std::min({mean - 10, 50 - mean, std::uint64_t{15}});
    return mean - spread + rng.below(2 * spread + 1);
  };

  auto write_copy = [&](const PendingCopy& copy) {
    writer.sale(copy.row);
    ++(copy.kind == SalesFault::DuplicateRow ? stats.duplicate_rows : stats.reused_sale_ids);
  };

  auto write_review = [&](Review review, std::uint64_t row, bool anchor) {
    if (options.hard_faults && !anchor) {
      const std::size_t kind = review_faults.take(row, fault_rng);
      review.fault = static_cast<ReviewFault>(kind);
      switch (review.fault) {
        case ReviewFault::WordSentiment:
          review.fault_choice = fault_rng.below(kWordSentiments.size());
          ++stats.word_sentiments;
          break;
        case ReviewFault::OutOfRange:
          review.fault_choice = fault_rng.below(kOutOfRangeSentiments.size());
          ++stats.out_of_range_sentiments;
          break;
        case ReviewFault::ImpossibleDate:
          review.fault_choice = fault_rng.below(kImpossibleDayMonth.size());
          ++stats.impossible_review_dates;
          break;
        case ReviewFault::None:
          break;
      }
    }
    if (review.customer > plan.buyers()) {
      ++stats.reviews_without_purchase;
    }
    writer.review(review);
  };

  for (std::uint64_t i = 0; i < options.rows; ++i) {
    // The first and last sales pin the period's ends in unambiguous form (01-01-2023 and
    // 03/31/2023 for a quarter), so the ambiguity rule's [min, max] is the whole period.
    const bool first = i == 0;
    const bool last = i + 1 == options.rows && i > 0;
    SaleRow row;
    row.sale_id = kFirstSaleId + i;
    row.customer = plan.pick_buyer(rng);
    row.day = rng.below(plan.days());
    row.month_first = rng.chance(kMonthFirstDate);
    if (first) {
      row.day = 0;
      row.month_first = false;
    } else if (last) {
      row.day = last_day;
      row.month_first = true;
    }
    row.product = plan.pick_product(rng, row.day);
    row.price_missing = rng.chance(kMissingPrice);
    const std::uint64_t style = rng.below(10'000);
    row.style = style < kPriceDollarCents                       ? PriceStyle::DollarCents
                : style < kPriceDollarCents + kPriceDollarShort ? PriceStyle::DollarShort
                                                                : PriceStyle::Plain;
    row.quantity_missing = rng.chance(kMissingQuantity);
    row.quantity = 1 + rng.below(5);

    if (options.hard_faults && !first && !last) {
      row.fault = static_cast<SalesFault>(sales_faults.take(i, fault_rng));
    }
    switch (row.fault) {
      case SalesFault::DecimalComma:
        ++stats.decimal_comma_prices;
        break;
      case SalesFault::QuotedComma:
        ++stats.quoted_comma_prices;
        break;
      case SalesFault::ImpossibleDate:
        row.fault_choice = fault_rng.below(kImpossibleDayMonth.size());
        ++stats.impossible_sale_dates;
        break;
      case SalesFault::DuplicateRow:
      case SalesFault::ReusedSaleId:
        // The copy must meet a loaded original: an exact duplicate is dropped, a changed one
        // is rejected as duplicate_sale_id.
        row.price_missing = false;
        break;
      case SalesFault::BlankLine:
        writer.blank_line();
        ++stats.blank_lines;
        break;
      case SalesFault::None:
        break;
    }
    const bool price_written_missing = row.price_missing && row.fault != SalesFault::DecimalComma &&
                                       row.fault != SalesFault::QuotedComma;
    if (price_written_missing) {
      ++stats.missing_prices;
    }
    if (row.quantity_missing) {
      ++stats.missing_quantities;
    }
    if (row.fault != SalesFault::ImpossibleDate) {
      if (row.month_first) {
        ++stats.month_first_sale_dates;
      }
      if (ambiguous(plan.day(row.day))) {
        ++stats.ambiguous_sale_dates;
      }
    }
    writer.sale(row);

    if (row.fault == SalesFault::DuplicateRow || row.fault == SalesFault::ReusedSaleId) {
      PendingCopy copy{row, row.fault, i + 1 + fault_rng.below(20)};
      copy.row.fault = SalesFault::None;
      if (row.fault == SalesFault::ReusedSaleId) {
        copy.row.day = row.day < last_day ? row.day + 1 : row.day - 1;
      }
      pending.push_back(copy);
    }
    for (auto it = pending.begin(); it != pending.end();) {
      if (it->after_row <= i) {
        write_copy(*it);
        it = pending.erase(it);
      } else {
        ++it;
      }
    }

    // Reviews.
    Review review;
    const std::uint64_t kind = rng.below(10'000);
    bool has_review = true;
    if (first || last || kind < kSaleReview) {
      review.customer = row.customer;
      review.product = row.product;
      review.day =
          first ? 0 : row.day + rng.below(std::min(kMaxReviewDelay, last_day - row.day) + 1);
    } else if (kind < kSaleReview + kOtherProductReview + kReviewOnlyCustomer) {
      const bool review_only = kind >= kSaleReview + kOtherProductReview && plan.reviewers() > 0;
      review.customer =
          review_only ? plan.buyers() + 1 + rng.below(plan.reviewers()) : row.customer;
      review.day = rng.below(plan.days());
      review.product = plan.pick_product(rng, review.day);
    } else {
      has_review = false;
    }
    if (has_review) {
      review.sentiment = draw_sentiment(review.product);
      review.shape = kReviewShapes[rng.below(kReviewShapes.size())];
      write_review(review, i, first || last);
      if (rng.chance(kRepeatReview)) {
        Review again = review;
        again.day =
            review.day < last_day
                ? review.day + 1 + rng.below(std::min(kMaxRepeatDelay, last_day - review.day))
                : review.day;
        again.sentiment = draw_sentiment(again.product);
        write_review(again, i, false);
        ++stats.repeat_reviews;
      }
    }

    if (options.on_progress && (i + 1) % kProgressEvery == 0) {
      options.on_progress(i + 1, options.rows);
    }
  }
  for (const PendingCopy& copy : pending) {
    write_copy(copy);
  }
  writer.finish_feedback();
}

}  // namespace

void Options::validate() const {
  if (rows == 0 || rows > kMaxRows) {
    throw Error(ErrorKind::Usage,
                fmt::format("rows must be between 1 and {}, got {}", kMaxRows, rows));
  }
  if (feedback_format != FeedbackFormat::Array && feedback_format != FeedbackFormat::Ndjson) {
    throw Error(ErrorKind::Usage, "unknown feedback format");
  }
}

std::uint64_t Stats::hard_faults() const noexcept {
  return decimal_comma_prices + quoted_comma_prices + impossible_sale_dates + duplicate_rows +
         reused_sale_ids + blank_lines + word_sentiments + out_of_range_sentiments +
         impossible_review_dates;
}

Stats generate(const Options& options, const fs::path& sales_csv, const fs::path& feedback_json) {
  options.validate();
  std::error_code error;
  if (sales_csv.lexically_normal() == feedback_json.lexically_normal() ||
      fs::equivalent(sales_csv, feedback_json, error)) {
    throw Error(
        ErrorKind::Usage,
        fmt::format("the sales and feedback outputs are the same file: {}", sales_csv.string()));
  }
  // Only regular files are removed after a failure: a path like /dev/null is not ours to delete.
  auto removable = [](const fs::path& path) {
    std::error_code ignored;
    const fs::file_status status = fs::status(path, ignored);
    return !fs::exists(status) || fs::is_regular_file(status);
  };
  const bool remove_sales = removable(sales_csv);
  const bool remove_feedback = removable(feedback_json);
  Stats stats;
  std::vector<fs::path> created;
  try {
    Sink sales(sales_csv);
    if (remove_sales) {
      created.push_back(sales_csv);
    }
    Sink feedback(feedback_json);
    if (remove_feedback) {
      created.push_back(feedback_json);
    }
    run(options, sales, feedback, stats);
    sales.close();
    feedback.close();
    stats.sales_bytes = sales.bytes();
    stats.feedback_bytes = feedback.bytes();
  } catch (...) {
    for (const fs::path& path : created) {
      fs::remove(path, error);
    }
    throw;
  }
  if (options.on_progress) {
    options.on_progress(options.rows, options.rows);
  }
  return stats;
}

}  // namespace salespipe::generate
