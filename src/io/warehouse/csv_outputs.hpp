#pragma once

#include <filesystem>
#include <vector>

#include "core/export_tables.hpp"
#include "core/reason.hpp"
#include "core/tables.hpp"

namespace salespipe::io::warehouse {

/// The fixed columns of processed_sales_data.csv, in order; extra input columns follow them.
inline constexpr const char* kProcessedColumns[] = {
    "sale_id",   "product_id",    "customer_id",     "sale_price", "quantity",
    "sale_date", "total_revenue", "sentiment_score", "review_date"};

/// Writes the processed sales (lab-compatible CSV): money with two decimals, ISO dates, empty
/// sentiment_score and review_date for sales without a review, then the extra columns.
/// When `segments` is given (one name per customer code, empty for none) a `segment` column
/// follows the fixed ones. Throws Error{Output}.
void write_processed_sales(const std::filesystem::path& path, const SalesTable& sales,
                           const std::vector<std::string>* segments = nullptr);

/// Writes rejects.csv with exactly the header source,line,column,raw_value,reason,message,
/// sorted by source then line (stable). Throws Error{Output}.
void write_rejects(const std::filesystem::path& path, const std::vector<Reject>& rejects);

/// Reads a processed_sales_data.csv written by write_processed_sales back into a SalesTable
/// (for stages run alone). Throws Error{Input, file:line:col} when the file is not one of ours.
SalesTable read_processed_sales(const std::filesystem::path& path);

/// Reads data_warehouse/customer_segments.csv (written by the segment stage) into the customer
/// table the exports send. Throws Error{Input, file:line:col} when it is not one of ours.
ExportCustomers read_customer_segments(const std::filesystem::path& path);

/// A sentiment score as the outputs print it: the shortest exact form, always with a decimal
/// point ("4.5", "3.0").
void append_sentiment(std::string& out, double value);

}  // namespace salespipe::io::warehouse
