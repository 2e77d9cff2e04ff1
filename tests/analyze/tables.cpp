#include "tables.hpp"

#include <gtest/gtest.h>

#include "core/interner.hpp"

namespace salespipe::analyze::test {

Date day(std::string_view iso) {
  const std::optional<Date> date = parse_iso_date(iso);
  EXPECT_TRUE(date.has_value()) << "bad date literal " << iso;
  return date.value_or(Date{});
}

::testing::AssertionResult throws_error(const std::function<void()>& action, ErrorKind kind,
                                        std::string_view message) {
  try {
    action();
  } catch (const Error& error) {
    if (error.kind() != kind) {
      return ::testing::AssertionFailure()
             << "error kind " << static_cast<int>(error.kind()) << " instead of "
             << static_cast<int>(kind) << ": " << error.what();
    }
    if (error.what() != message) {
      return ::testing::AssertionFailure()
             << "message\n  " << error.what() << "\ninstead of\n  " << message;
    }
    return ::testing::AssertionSuccess();
  }
  return ::testing::AssertionFailure() << "no error thrown";
}

Tables make_tables(std::initializer_list<Sale> sales, std::initializer_list<Review> reviews) {
  Interner products;
  Interner customers;
  Tables t;
  for (const Sale& s : sales) {
    t.sales.sale_id.push_back(std::to_string(t.sales.size() + 1));
    t.sales.product.push_back(products.intern(s.product));
    t.sales.customer.push_back(customers.intern(s.customer));
    const Money price{s.price_cents * 100};
    t.sales.sale_price.push_back(price);
    t.sales.quantity.push_back(s.quantity);
    t.sales.sale_date.push_back(day(s.date));
    t.sales.total_revenue.push_back(Money{price.units * s.quantity});
    t.sales.has_review.push_back(s.sentiment ? 1 : 0);
    t.sales.sentiment.push_back(s.sentiment.value_or(0));
    t.sales.review_date.push_back(Date{});
    t.sales.source_line.push_back(t.sales.size() + 1);
  }
  for (const Review& r : reviews) {
    t.reviews.product.push_back(products.intern(r.product));
    t.reviews.customer.push_back(customers.intern(r.customer));
    t.reviews.sentiment.push_back(r.sentiment);
    t.reviews.review_date.push_back(day(r.date));
    t.reviews.superseded.push_back(r.superseded ? 1 : 0);
    t.reviews.source_line.push_back(t.reviews.size() + 1);
  }
  t.sales.products = products.dictionary();
  t.sales.customers = customers.dictionary();
  return t;
}

}  // namespace salespipe::analyze::test
