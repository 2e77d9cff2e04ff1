#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "core/export_tables.hpp"
#include "core/tables.hpp"
#include "segment/segment.hpp"

namespace salespipe::pipeline {

struct SegmentOptions {
  std::filesystem::path out = ".";
  segment::Options segment;

  /// Throws Error{Usage} for bad K-Means options.
  void validate() const { segment.validate(); }
};

/// One customer of the segmentation, as customer_segments.csv lists it.
struct SegmentResult {
  segment::Segmentation segmentation;
  segment::CustomerFeatures features;
  std::vector<std::string> segment_of_customer;          ///< by customer code; empty for no sales
  std::vector<std::uint8_t> is_vip;                      ///< by customer code
  std::vector<std::vector<std::string>> vip_table_rows;  ///< top 20 VIP by spend, formatted
  std::string summary_json;                              ///< the manifest's "segmentation" object
  std::string manifest_json;  ///< run_manifest.json with that section; empty without a manifest
  std::vector<std::filesystem::path> outputs;
};

/// Segments the customers of the loaded sales (DESIGN.md section 6) and writes
/// data_warehouse/customer_segments.csv, processed_sales_data_with_vip.csv, the
/// customer_segments table of warehouse.sqlite (when it exists) and a "segmentation" section of
/// run_manifest.json, by the commit protocol. Throws Error{Input} for fewer customers than k or
/// identical customers, Error{Output} when the outputs cannot be written.
SegmentResult segment_tables(const SegmentOptions& options, const SalesTable& sales);

/// `salespipe segment` alone: reads data_warehouse/processed_sales_data.csv first.
/// Throws Error{Input} when the warehouse is missing ("run `salespipe etl` first").
SegmentResult segment_from_files(const SegmentOptions& options);

/// The customer table the exports send, from a segmentation of these sales (customer_id order).
ExportCustomers export_customers(const SegmentResult& result, const SalesTable& sales);

/// The columns of customer_segments.csv for these options, in order.
std::vector<std::string> customer_segments_header(const segment::Options& options);

}  // namespace salespipe::pipeline
