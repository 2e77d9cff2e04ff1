// The transform against a plain one-pass reading of its rules (DESIGN.md section 3): the
// partitioned, parallel join must give exactly what a std::map over the pairs gives.

#include "transform/transform.hpp"

#include <gtest/gtest.h>

#include <map>
#include <random>
#include <string>
#include <utility>

namespace salespipe::transform {
namespace {

struct Inputs {
  Interner products;
  Interner customers;
  CleanSales sales;
  CleanReviews reviews;
};

Date day(std::uint32_t n) { return Date{Date::duration{static_cast<std::int32_t>(19'000 + n)}}; }

/// Few products and customers and a narrow range of dates, so pairs repeat, reviews of a pair
/// tie on their date, sale_ids repeat with equal and with other values, and many sales have no
/// review.
Inputs random_inputs(std::uint32_t seed, std::size_t sales_count, std::size_t review_count) {
  std::mt19937 random(seed);
  const auto pick = [&](std::uint32_t below) {
    return std::uniform_int_distribution<std::uint32_t>(0, below - 1)(random);
  };
  Inputs in;
  for (int p = 0; p < 40; ++p) {
    in.products.intern("P" + std::to_string(p));
  }
  for (int c = 0; c < 300; ++c) {
    in.customers.intern("C" + std::to_string(c));
  }
  Interner sale_ids;
  for (std::size_t row = 0; row < sales_count; ++row) {
    const bool repeat = row > 0 && pick(10) == 0;
    const std::uint32_t earlier =
        repeat ? static_cast<std::uint32_t>(pick(static_cast<std::uint32_t>(row))) : 0;
    const bool exact_copy = repeat && pick(2) == 0;
    in.sales.sale_id.push_back(repeat ? in.sales.sale_id[earlier]
                                      : sale_ids.intern("S" + std::to_string(row)));
    in.sales.product.push_back(exact_copy ? in.sales.product[earlier] : pick(40));
    in.sales.customer.push_back(exact_copy ? in.sales.customer[earlier] : pick(300));
    in.sales.sale_price.push_back(exact_copy ? in.sales.sale_price[earlier]
                                             : Money{static_cast<std::int64_t>(pick(1000)) * 100});
    in.sales.quantity.push_back(exact_copy ? in.sales.quantity[earlier] : pick(9) + 1);
    in.sales.sale_date.push_back(exact_copy ? in.sales.sale_date[earlier] : day(pick(90)));
    in.sales.line.push_back(row + 2);
  }
  in.sales.sale_ids = sale_ids.take_names();
  for (std::size_t r = 0; r < review_count; ++r) {
    in.reviews.product.push_back(pick(40));
    in.reviews.customer.push_back(pick(300));
    in.reviews.sentiment.push_back(1.0 + pick(5));
    in.reviews.review_date.push_back(day(pick(20)));
    in.reviews.line.push_back(r + 1);
  }
  return in;
}

struct Expected {
  std::vector<std::uint64_t> loaded_lines;      // source lines of the loaded sales, in order
  std::vector<std::uint32_t> latest_review_of;  // per loaded sale, UINT32_MAX for none
  std::vector<std::uint8_t> superseded;         // per review
  std::uint64_t exact_duplicates = 0;
  std::uint64_t duplicate_sale_ids = 0;
  std::uint64_t excluded_no_review = 0;
  std::uint64_t reviews_without_sale = 0;
};

/// The rules read one record at a time, with ordered maps.
Expected by_the_rules(const Inputs& in, bool require_feedback) {
  Expected e;
  std::map<std::pair<std::uint32_t, std::uint32_t>, std::uint32_t> latest;
  for (std::uint32_t r = 0; r < in.reviews.size(); ++r) {
    const auto pair = std::make_pair(in.reviews.product[r], in.reviews.customer[r]);
    const auto found = latest.find(pair);
    if (found == latest.end() ||
        in.reviews.review_date[r] >= in.reviews.review_date[found->second]) {
      latest[pair] = r;
    }
  }
  e.superseded.assign(in.reviews.size(), 1);
  for (const auto& [pair, r] : latest) {
    e.superseded[r] = 0;
  }
  std::map<std::uint32_t, std::size_t> first_of_id;
  std::map<std::uint32_t, bool> sold;
  const CleanSales& s = in.sales;
  for (std::size_t row = 0; row < s.size(); ++row) {
    const auto first = first_of_id.find(s.sale_id[row]);
    if (first != first_of_id.end()) {
      const std::size_t f = first->second;
      const bool same = s.product[f] == s.product[row] && s.customer[f] == s.customer[row] &&
                        s.sale_price[f] == s.sale_price[row] && s.quantity[f] == s.quantity[row] &&
                        s.sale_date[f] == s.sale_date[row];
      ++(same ? e.exact_duplicates : e.duplicate_sale_ids);
      continue;
    }
    first_of_id[s.sale_id[row]] = row;
    const auto review = latest.find(std::make_pair(s.product[row], s.customer[row]));
    if (review != latest.end()) {
      sold[review->second] = true;
    } else if (require_feedback) {
      ++e.excluded_no_review;
      continue;
    }
    e.loaded_lines.push_back(s.line[row]);
    e.latest_review_of.push_back(review != latest.end() ? review->second : UINT32_MAX);
  }
  e.reviews_without_sale = latest.size() - sold.size();
  return e;
}

void expect_rules_hold(std::uint32_t seed, std::size_t sales, std::size_t reviews,
                       bool require_feedback) {
  SCOPED_TRACE("seed " + std::to_string(seed) + (require_feedback ? ", require_feedback" : ""));
  Inputs in = random_inputs(seed, sales, reviews);
  const Expected e = by_the_rules(in, require_feedback);
  const CleanReviews reviews_in = in.reviews;
  std::vector<Reject> rejects;
  const Transformed out =
      transform(std::move(in.sales), std::move(in.reviews), in.products, in.customers, "sales.csv",
                TransformOptions{.require_feedback = require_feedback}, rejects);

  EXPECT_EQ(out.report.exact_duplicates, e.exact_duplicates);
  EXPECT_EQ(out.report.duplicate_sale_ids, e.duplicate_sale_ids);
  EXPECT_EQ(rejects.size(), e.duplicate_sale_ids);
  EXPECT_EQ(out.report.excluded_no_review, e.excluded_no_review);
  EXPECT_EQ(out.report.reviews_without_sale, e.reviews_without_sale);
  EXPECT_EQ(out.reviews.superseded, e.superseded);
  ASSERT_EQ(out.sales.source_line, e.loaded_lines);
  std::uint64_t without_review = 0;
  for (std::size_t i = 0; i < out.sales.size(); ++i) {
    const std::uint32_t review = e.latest_review_of[i];
    ASSERT_EQ(out.sales.has_review[i], review != UINT32_MAX ? 1 : 0) << "sale " << i;
    if (review == UINT32_MAX) {
      ++without_review;
      continue;
    }
    EXPECT_EQ(out.sales.sentiment[i], reviews_in.sentiment[review]) << "sale " << i;
    EXPECT_EQ(out.sales.review_date[i], reviews_in.review_date[review]) << "sale " << i;
    EXPECT_EQ(out.sales.total_revenue[i],
              *checked_multiply(out.sales.sale_price[i], out.sales.quantity[i]));
  }
  EXPECT_EQ(out.report.sales_without_review, without_review);
  EXPECT_GT(out.report.superseded_reviews, 0u);
  EXPECT_GT(e.exact_duplicates + e.duplicate_sale_ids, 0u);
}

TEST(Transform, PartitionedJoinGivesWhatTheRulesGiveOneRecordAtATime) {
  for (std::uint32_t seed = 1; seed <= 6; ++seed) {
    expect_rules_hold(seed, 20'000, 9'000, false);
    expect_rules_hold(seed, 20'000, 9'000, true);
  }
}

TEST(Transform, NoRepeatedSaleIdLoadsEveryRowInOrder) {
  Inputs in = random_inputs(11, 5'000, 3'000);
  for (std::uint32_t row = 0; row < in.sales.size(); ++row) {
    ASSERT_LE(in.sales.sale_id[row], row);
  }
  // Give every row its own id: the path that builds no list of kept rows.
  Interner ids;
  for (std::uint32_t row = 0; row < in.sales.size(); ++row) {
    in.sales.sale_id[row] = ids.intern("unique-" + std::to_string(row));
  }
  in.sales.sale_ids = ids.take_names();
  const Expected e = by_the_rules(in, false);
  std::vector<Reject> rejects;
  const Transformed out = transform(std::move(in.sales), std::move(in.reviews), in.products,
                                    in.customers, "sales.csv", TransformOptions{}, rejects);
  EXPECT_TRUE(rejects.empty());
  EXPECT_EQ(out.sales.size(), 5'000u);
  EXPECT_EQ(out.sales.source_line, e.loaded_lines);
  EXPECT_EQ(out.sales.sale_id[4'999], "unique-4999");
  EXPECT_EQ(out.report.reviews_without_sale, e.reviews_without_sale);
}

TEST(Transform, EmptyInputsGiveEmptyTables) {
  std::vector<Reject> rejects;
  Interner products;
  Interner customers;
  const Transformed out = transform(CleanSales{}, CleanReviews{}, products, customers, "sales.csv",
                                    TransformOptions{}, rejects);
  EXPECT_EQ(out.sales.size(), 0u);
  EXPECT_EQ(out.reviews.size(), 0u);
  EXPECT_EQ(out.report.latest_reviews, 0u);
}

}  // namespace
}  // namespace salespipe::transform
