#include "clean/reviews.hpp"

#include <fmt/format.h>

#include "clean/values.hpp"
#include "core/text.hpp"

namespace salespipe::clean {
namespace {

constexpr std::array<std::string_view, kReviewFieldCount> kFieldNames = {
    "customer_id", "product_id", "sentiment_score", "review_date"};

std::string_view kind_name(CellKind kind) noexcept {
  switch (kind) {
    case CellKind::Missing:
      return "absent";
    case CellKind::Null:
      return "null";
    case CellKind::String:
      return "a string";
    case CellKind::Number:
      return "a number";
    case CellKind::True:
    case CellKind::False:
      return "a boolean";
    case CellKind::Array:
      return "an array";
    case CellKind::Object:
      return "an object";
  }
  return "unknown";
}

/// The raw text of a cell as rejects show it: JSON literals spelled out.
std::string_view cell_raw(const Cell& cell) noexcept {
  switch (cell.kind) {
    case CellKind::True:
      return "true";
    case CellKind::False:
      return "false";
    case CellKind::Null:
      return "null";
    default:
      return cell.text;
  }
}

bool is_blank_cell(const Cell& cell) noexcept {
  return cell.kind == CellKind::Missing || cell.kind == CellKind::Null ||
         (cell.kind == CellKind::String && trim(cell.text).empty());
}

}  // namespace

std::string_view review_field_name(ReviewField field) noexcept {
  return kFieldNames[static_cast<std::size_t>(field)];
}

ReviewCleaner::ReviewCleaner(std::string source, const CleanOptions& options, Interner& products,
                             Interner& customers)
    : source_(lasting_name(source)),
      options_(options),
      products_(products),
      customers_(customers),
      dates_(options.date_order) {}

void ReviewCleaner::add(std::uint64_t line, std::span<const Cell, kReviewFieldCount> cells) {
  ++quality_.read;
  RecordFaults faults;
  const auto cell = [&](ReviewField f) -> const Cell& {
    return cells[static_cast<std::size_t>(f)];
  };

  std::string(&ids)[2] = id_buffers_;
  ids[0].clear();
  ids[1].clear();
  IdRepair repairs[2];
  const ReviewField id_fields[2] = {ReviewField::CustomerId, ReviewField::ProductId};
  const Reason missing_reason[2] = {Reason::MissingCustomerId, Reason::MissingProductId};
  for (int k = 0; k < 2; ++k) {
    const Cell& value = cell(id_fields[k]);
    if (is_blank_cell(value)) {
      ++quality_.missing[static_cast<std::size_t>(id_fields[k])];
      faults.add(review_field_name(id_fields[k]), missing_reason[k], cell_raw(value), "missing");
    } else if (value.kind == CellKind::String || value.kind == CellKind::Number) {
      // A numeric id such as 1001 is a code like any other.
      repairs[k] = normalize_id(value.text, ids[k]);
    } else {
      faults.add(review_field_name(id_fields[k]), missing_reason[k], cell_raw(value),
                 fmt::format("{} is not an identifier", kind_name(value.kind)));
    }
  }

  double sentiment = 0;
  const Cell& score = cell(ReviewField::SentimentScore);
  bool from_string = false;
  if (is_blank_cell(score)) {
    ++quality_.missing[static_cast<std::size_t>(ReviewField::SentimentScore)];
    faults.add(review_field_name(ReviewField::SentimentScore), Reason::MissingSentiment,
               cell_raw(score), "missing");
  } else if (score.kind == CellKind::Number || score.kind == CellKind::String) {
    from_string = score.kind == CellKind::String;
    const SentimentResult parsed =
        parse_sentiment(score.text, options_.sentiment_min, options_.sentiment_max);
    if (parsed.status == CellStatus::Ok) {
      sentiment = parsed.value;
    } else if (parsed.status == CellStatus::OutOfRange) {
      faults.add(review_field_name(ReviewField::SentimentScore), Reason::SentimentOutOfRange,
                 score.text,
                 fmt::format("{} is outside [{}, {}]", printable_raw_value(score.text, 64),
                             options_.sentiment_min, options_.sentiment_max));
    } else {
      faults.add(
          review_field_name(ReviewField::SentimentScore), Reason::BadSentiment, score.text,
          fmt::format("cannot read \"{}\" as a number", printable_raw_value(score.text, 64)));
    }
  } else {
    faults.add(review_field_name(ReviewField::SentimentScore), Reason::BadSentiment,
               cell_raw(score), fmt::format("{} is not a score", kind_name(score.kind)));
  }

  const Cell& date_cell = cell(ReviewField::ReviewDate);
  ParsedDate date{};
  if (is_blank_cell(date_cell)) {
    ++quality_.missing[static_cast<std::size_t>(ReviewField::ReviewDate)];
    faults.add(review_field_name(ReviewField::ReviewDate), Reason::MissingDate, cell_raw(date_cell),
               "missing");
  } else if (date_cell.kind != CellKind::String) {
    faults.add(review_field_name(ReviewField::ReviewDate), Reason::BadDate, cell_raw(date_cell),
               fmt::format("{} is not a date", kind_name(date_cell.kind)));
  } else {
    date = dates_.observe(date_cell.text);
    if (date.status != CellStatus::Ok) {
      faults.add(review_field_name(ReviewField::ReviewDate), Reason::BadDate, date_cell.text,
                 fmt::format("cannot read \"{}\" as a real date",
                             printable_raw_value(date_cell.text, 64)));
    }
  }

  if (faults.any()) {
    ++quality_.rejected;
    rejects_.push_back(faults.take_reject(source_, line, quality_.by_reason));
    return;
  }
  quality_.sentiment_from_string += from_string ? 1u : 0u;
  quality_.ids_trimmed += (repairs[0].trimmed ? 1u : 0u) + (repairs[1].trimmed ? 1u : 0u);
  quality_.ids_upper_cased +=
      (repairs[0].upper_cased ? 1u : 0u) + (repairs[1].upper_cased ? 1u : 0u);
  pending_customers_.add(ids[0]);
  pending_products_.add(ids[1]);
  if (pending_customers_.full()) {
    intern_pending();
  }
  rows_.sentiment.push_back(sentiment);
  rows_.line.push_back(line);
  pending_dates_.push_back(PendingDate::of(date));
}

void ReviewCleaner::add_unreadable(std::uint64_t line, Reason reason, std::string_view raw,
                                   std::string message) {
  reject_unreadable(quality_, rejects_, source_, line, reason, raw, std::move(message));
}

void ReviewCleaner::reserve(std::size_t records) {
  rows_.product.reserve(records);
  rows_.customer.reserve(records);
  rows_.sentiment.reserve(records);
  rows_.line.reserve(records);
  pending_dates_.reserve(records);
}

void ReviewCleaner::intern_pending() {
  pending_customers_.flush(customers_, rows_.customer);
  pending_products_.flush(products_, rows_.product);
}

CleanReviews ReviewCleaner::finish(std::vector<Reject>& rejects, ReviewQuality& quality) {
  intern_pending();
  rows_.review_date = dates_.resolve(pending_dates_, quality_.review_date);
  pending_dates_ = {};
  append_rejects(rejects, std::move(rejects_));
  quality = std::move(quality_);
  return std::move(rows_);
}

}  // namespace salespipe::clean
