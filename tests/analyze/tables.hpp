#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "core/tables.hpp"

namespace salespipe::analyze::test {

/// One loaded sale, written as a literal. sentiment is the joined latest review, when there is one.
struct Sale {
  std::string_view product;
  std::string_view customer;
  std::int64_t price_cents = 0;
  std::int64_t quantity = 1;
  std::string_view date;  ///< yyyy-mm-dd
  std::optional<double> sentiment = std::nullopt;
};

/// One valid review.
struct Review {
  std::string_view product;
  std::string_view customer;
  double sentiment = 0;
  std::string_view date;  ///< yyyy-mm-dd
  bool superseded = false;
};

struct Tables {
  SalesTable sales;
  ReviewTable reviews;
};

/// The tables of these literal rows; product and customer codes are shared, assigned in first-seen
/// order over the sales, then the reviews.
Tables make_tables(std::initializer_list<Sale> sales, std::initializer_list<Review> reviews = {});

/// Success when action throws salespipe::Error of that kind with exactly that message.
::testing::AssertionResult throws_error(const std::function<void()>& action, ErrorKind kind,
                                        std::string_view message);

/// Parses a yyyy-mm-dd literal; fails the test on a bad one.
Date day(std::string_view iso);

}  // namespace salespipe::analyze::test
