#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>

#include "core/date.hpp"

namespace salespipe::generate {

/// How the feedback file lays out its reviews.
enum class FeedbackFormat {
  Array,   ///< one JSON array, pretty-printed with two-space indents like the lab's sample
  Ndjson,  ///< one compact JSON object per line
};

/// What to generate. The shape follows the lab's sample (sale_price.csv, customer_feedback.json):
///
/// - sale_id runs 1001, 1002, ... (rows of them). Buyers are C_... ids 1..ceil(rows/10);
///   customers who only review get the next buyers/2 ids; ids are zero-padded to at least three
///   digits so every id has the same width (C_001 like the sample). Products are
///   P101, P102, ... (5 + rows/20000 of them), each with one catalog price; P101..P105 carry the
///   sample's 150.00, 75.00, 250.50, 30.00 and 120.00.
/// - Buyers fall in tiers that buy at relative rates 16 (4% of buyers), 6 (20%), 3 (46%) and
///   1 (30%), scattered over the ids, so purchases are long-tailed and a VIP cluster exists.
///   Products are chosen by a Zipf-like popularity with a per-product trend over time.
/// - Sale dates are uniform over whole quarters from 2023-01-01: 2023 Q1 up to 10,000 rows,
///   2023 H1 up to 100,000, all of 2023 up to 1,000,000, then 2023-01-01..2024-06-30. The first
///   sale is on the first day and the last sale on the last day, so the file's unambiguous
///   dates span the whole period. 80% are written dd-mm-yyyy and 20% mm/dd/yyyy, always true
///   to the date, so DESIGN.md's ambiguity rule recovers every date.
/// - sale_price: 20% empty; otherwise "$150.00" (58.25%), "$75" / "$250.5" (19.25%) or
///   "120" / "250.5" (22.5%), the sample's proportions. quantity: 19% empty, else 1..5.
/// - About one review per sale: 53% review the sale just made (dated 0..14 days after it,
///   within the period), 10% are the buyer's review of another product, 32% come from a
///   customer with no sale, 5% of sales get none; 5% of reviews are followed by a second,
///   later review of the same customer and product, which supersedes it. Review dates are
///   yyyy-mm-dd, yyyy/mm/dd or mm/dd/yyyy in equal shares, sentiment 1.0..5.0 in tenths.
struct Options {
  std::uint64_t rows = 1000;  ///< sales with distinct sale_ids, 1..kMaxRows
  std::uint64_t seed = 7;
  /// Adds, about once per 400 sales each, the harder faults of DESIGN.md: decimal-comma prices,
  /// prices with a thousands separator in quotes, impossible sale dates, exact duplicate rows,
  /// re-used sale_ids with a different date, blank lines, worded sentiments ("four"),
  /// out-of-range sentiments and impossible review dates. The other rows stay as they are
  /// without it (the faults draw from their own random stream).
  bool hard_faults = false;
  FeedbackFormat feedback_format = FeedbackFormat::Array;
  /// Called with (sales written, rows) every 65,536 sales and once at the end; may be empty.
  std::function<void(std::uint64_t done, std::uint64_t total)> on_progress;

  static constexpr std::uint64_t kMaxRows = 1'000'000'000;

  /// Throws Error{Usage} when rows is 0 or above kMaxRows, or the format is not a known one.
  void validate() const;
};

/// What generate() wrote. Fault counts are 0 unless Options::hard_faults.
struct Stats {
  std::uint64_t rows = 0;           ///< sales with distinct sale_ids
  std::uint64_t sales_records = 0;  ///< data records in the CSV: rows + duplicate_rows +
                                    ///< reused_sale_ids (blank lines are not records)
  std::uint64_t reviews = 0;        ///< objects in the feedback file
  std::uint64_t customers = 0;      ///< customer ids in use: buyers, then reviewers only
  std::uint64_t buyers = 0;         ///< ids C_1..C_buyers that sales draw from
  std::uint64_t products = 0;
  Date first_day{};  ///< the first day of the sale period
  Date last_day{};   ///< the last day of the sale period (reviews never fall after it)

  // Over the `rows` sales (copies made by hard faults are not counted again).
  std::uint64_t missing_prices = 0;
  std::uint64_t missing_quantities = 0;
  std::uint64_t month_first_sale_dates = 0;    ///< real dates written mm/dd/yyyy
  std::uint64_t ambiguous_sale_dates = 0;      ///< day and month both <= 12 and different
  std::uint64_t reviews_without_purchase = 0;  ///< by the customers who only review
  std::uint64_t repeat_reviews = 0;  ///< second reviews of the same pair, superseding the first

  std::uint64_t decimal_comma_prices = 0;   ///< "150,00", quoted: bad_price
  std::uint64_t quoted_comma_prices = 0;    ///< a bulk order "$1,502.50", quoted: valid
  std::uint64_t impossible_sale_dates = 0;  ///< 30-02-2023: bad_date
  std::uint64_t duplicate_rows = 0;         ///< exact copies of an earlier clean row
  std::uint64_t reused_sale_ids = 0;  ///< an earlier clean row's id, a day later: duplicate_sale_id
  std::uint64_t blank_lines = 0;      ///< empty lines between records
  std::uint64_t word_sentiments = 0;  ///< "four": bad_sentiment
  std::uint64_t out_of_range_sentiments = 0;  ///< 0.0, 5.5, ...: sentiment_out_of_range
  std::uint64_t impossible_review_dates = 0;  ///< 2023-02-30: bad_date

  std::uint64_t sales_bytes = 0;
  std::uint64_t feedback_bytes = 0;

  /// The sum of the nine fault counts.
  std::uint64_t hard_faults() const noexcept;
};

/// Writes the sales CSV (header sale_id,product_id,customer_id,sale_price,quantity,sale_date,
/// CRLF line ends like the sample) and the feedback JSON to the two paths, replacing them, and
/// returns what it wrote. The same options give byte-identical files on any machine. Memory stays
/// a few MB whatever the row count. Throws Error{Usage} for invalid options or when both paths
/// name the same file, Error{Output} when a file cannot be written (its partial output is
/// removed); the parent folders must exist.
Stats generate(const Options& options, const std::filesystem::path& sales_csv,
               const std::filesystem::path& feedback_json);

}  // namespace salespipe::generate
