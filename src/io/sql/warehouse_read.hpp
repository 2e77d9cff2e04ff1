#pragma once

// Reading back the derived warehouse (warehouse.sqlite, schema in io/sql/warehouse.hpp), for the
// stages that run alone from the files an earlier `salespipe etl` wrote.

#include <filesystem>

#include "core/interner.hpp"
#include "core/tables.hpp"

namespace salespipe::io::sql {

/// Every row of the reviews table of the warehouse at `db`, in its stored (input) order. Product
/// and customer ids get their codes from `products` and `customers`: an id they already hold keeps
/// its code, an id new to them (a review of a product or by a customer without a loaded sale) is
/// appended. Seed the interners with a sales table's dictionaries, in code order, and the review
/// codes then share that table's dictionaries.
/// Throws Error{Input} naming the file when it is missing, cannot be opened read-only, is not a
/// salespipe warehouse or has no reviews table, and Error{Input} naming the file and row when a
/// stored value is not what etl writes (an empty id, a review_date that is not yyyy-mm-dd, a
/// sentiment that is not a finite number, superseded other than 0 or 1).
ReviewTable read_reviews(const std::filesystem::path& db, Interner& products, Interner& customers);

}  // namespace salespipe::io::sql
