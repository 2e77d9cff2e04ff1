#include "pipeline/segmentation.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <numeric>

#include "core/error.hpp"
#include "core/json_writer.hpp"
#include "io/csv/writer.hpp"
#include "io/sql/warehouse.hpp"
#include "io/warehouse/commit.hpp"
#include "io/warehouse/csv_outputs.hpp"
#include "io/warehouse/text_file.hpp"
#include "pipeline/etl.hpp"
#include "pipeline/manifest.hpp"

namespace salespipe::pipeline {
namespace fs = std::filesystem;
namespace {

constexpr std::size_t kVipTableRows = 20;

/// The features in customer_id order, as the lab's pandas groupby lists customers: K-Means'
/// random draws pick rows by position, so the order is part of getting scikit-learn's answer.
segment::CustomerFeatures sorted_by_customer_id(const segment::CustomerFeatures& features,
                                                const Dictionary& customers) {
  std::vector<std::size_t> order(features.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return customers.name(features.customer[a]) < customers.name(features.customer[b]);
  });
  segment::CustomerFeatures sorted;
  for (const std::size_t i : order) {
    sorted.customer.push_back(features.customer[i]);
    sorted.total_purchase_amount.push_back(features.total_purchase_amount[i]);
    sorted.purchase_frequency.push_back(features.purchase_frequency[i]);
    sorted.avg_transaction_value.push_back(features.avg_transaction_value[i]);
    sorted.recency_days.push_back(features.recency_days[i]);
  }
  return sorted;
}

std::string fixed(double value, int decimals) { return fmt::format("{:.{}f}", value, decimals); }

Date latest_sale(const SalesTable& sales) {
  return *std::max_element(sales.sale_date.begin(), sales.sale_date.end());
}

/// customer_segments.csv: one row per customer with a sale, in customer_id order.
std::string segments_csv(const SalesTable& sales, const SegmentResult& result,
                         const segment::Options& options) {
  const auto& s = result.segmentation;
  const auto& f = result.features;
  std::string out;
  const auto header = customer_segments_header(options);
  for (std::size_t i = 0; i < header.size(); ++i) {
    out += i == 0 ? "" : ",";
    out += header[i];
  }
  out += '\n';
  for (std::size_t i = 0; i < s.customers(); ++i) {
    io::csv::append_field(out, sales.customers.name(s.customer[i]));
    out += fmt::format(",{},{},{},{}", format_money(f.total_purchase_amount[i]),
                       f.purchase_frequency[i], fixed(f.avg_transaction_value[i], 2),
                       f.recency_days[i]);
    for (std::size_t c = 0; c < s.scaled.cols; ++c) {
      out += ',';
      out += fixed(s.scaled(i, c), 6);
    }
    out += fmt::format(",{},", s.cluster[i]);
    io::csv::append_field(out, s.segment_of(i));
    out += ',';
    out += fixed(s.distance[i], 6);
    out += '\n';
  }
  return out;
}

std::string summary_json(const SegmentResult& result, const SalesTable& sales) {
  const auto& s = result.segmentation;
  Money total{};
  for (const Money revenue : s.total_purchase_amount) {
    total = *checked_add(total, revenue);
  }
  JsonWriter json;
  json.begin_object();
  json.key("k").value(static_cast<std::int64_t>(s.segment_name.size()));
  json.key("features").begin_array();
  for (const auto& name : s.feature_names) {
    json.value(name);
  }
  json.end_array();
  json.key("customers").value(static_cast<std::uint64_t>(s.customers()));
  json.key("inertia").value(s.inertia);
  json.key("silhouette");
  if (s.silhouette) {
    json.value(*s.silhouette);
  } else {
    json.null();
  }
  json.key("silhouette_sampled").value(s.silhouette_sampled);
  json.key("iterations").value(s.iterations);
  json.key("vip_cluster").value(s.vip_cluster);
  json.key("segments").begin_array();
  // In tier order: VIP first.
  std::vector<std::size_t> order(s.segment_name.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(),
            [&](std::size_t a, std::size_t b) { return s.tier[a] < s.tier[b]; });
  for (const std::size_t c : order) {
    json.begin_object();
    json.key("name").value(s.segment_name[c]);
    json.key("cluster").value(static_cast<std::int64_t>(c));
    json.key("size").value(static_cast<std::uint64_t>(s.size[c]));
    json.key("centre").begin_object();
    for (std::size_t f = 0; f < s.feature_names.size(); ++f) {
      json.key(s.feature_names[f]).value(s.centers(c, f));
    }
    json.end_object();
    json.key("revenue").raw_number(format_money(s.total_purchase_amount[c]));
    json.key("revenue_share")
        .value(total.units > 0 ? to_double(s.total_purchase_amount[c]) / to_double(total) : 0.0);
    json.end_object();
  }
  json.end_array();
  json.key("sales").value(static_cast<std::uint64_t>(sales.size()));
  json.end_object();
  std::string text = json.finish();
  text.pop_back();  // no final newline: `salespipe segment --json` prints it with one
  return text;
}

}  // namespace

std::vector<std::string> customer_segments_header(const segment::Options& options) {
  std::vector<std::string> header = {"customer_id", "total_purchase_amount", "purchase_frequency",
                                     "avg_transaction_value", "recency_days"};
  for (const auto& name : segment::feature_names(options)) {
    header.push_back("scaled_" + name);
  }
  header.insert(header.end(), {"cluster", "segment", "distance"});
  return header;
}

SegmentResult segment_tables(const SegmentOptions& options, const SalesTable& sales) {
  options.validate();
  if (sales.size() == 0) {
    throw Error(ErrorKind::Input, "no loaded sales to segment");
  }
  SegmentResult result;
  result.features = sorted_by_customer_id(
      segment::compute_features(sales.customer, sales.total_revenue, sales.sale_date,
                                sales.customers.size(), latest_sale(sales)),
      sales.customers);
  result.segmentation = segment::segment_customers(result.features, options.segment);
  const auto& s = result.segmentation;

  result.segment_of_customer.assign(sales.customers.size(), std::string());
  result.is_vip.assign(sales.customers.size(), 0);
  for (std::size_t i = 0; i < s.customers(); ++i) {
    result.segment_of_customer[s.customer[i]] = s.segment_of(i);
    result.is_vip[s.customer[i]] = s.is_vip(i) ? 1 : 0;
  }
  // The VIP table: the top spenders of the VIP segment, ties by customer id.
  std::vector<std::size_t> vips;
  for (std::size_t i = 0; i < s.customers(); ++i) {
    if (s.is_vip(i)) {
      vips.push_back(i);
    }
  }
  std::sort(vips.begin(), vips.end(), [&](std::size_t a, std::size_t b) {
    const Money x = result.features.total_purchase_amount[a];
    const Money y = result.features.total_purchase_amount[b];
    if (x != y)
      return x > y;
    return sales.customers.name(s.customer[a]) < sales.customers.name(s.customer[b]);
  });
  for (std::size_t r = 0; r < std::min(vips.size(), kVipTableRows); ++r) {
    const std::size_t i = vips[r];
    result.vip_table_rows.push_back({std::string(sales.customers.name(s.customer[i])),
                                     format_money(result.features.total_purchase_amount[i]),
                                     std::to_string(result.features.purchase_frequency[i]),
                                     fixed(result.features.avg_transaction_value[i], 2),
                                     std::to_string(result.features.recency_days[i]),
                                     s.segment_of(i)});
  }
  result.summary_json = summary_json(result, sales);

  const fs::path warehouse = warehouse_dir(options.out);
  io::warehouse::FolderLock lock(options.out);
  io::warehouse::remove_stale_temps(warehouse);
  io::warehouse::StagedOutputs outputs;
  io::warehouse::write_text_file(outputs.stage(warehouse / "customer_segments.csv"),
                                 segments_csv(sales, result, options.segment));
  io::warehouse::write_processed_sales(
      outputs.stage(warehouse / "processed_sales_data_with_vip.csv"), sales,
      &result.segment_of_customer);
  const fs::path manifest_path = warehouse / "run_manifest.json";
  if (fs::exists(manifest_path)) {
    RunManifest manifest =
        RunManifest::parse(io::warehouse::read_text_file(manifest_path), manifest_path.string());
    manifest.set("segmentation", result.summary_json);
    result.manifest_json = manifest.json();
    io::warehouse::write_text_file(outputs.stage(manifest_path), result.manifest_json);
  }
  outputs.commit();
  result.outputs = outputs.finals();

  // The derived table in the warehouse: replaced in one transaction.
  const fs::path database = warehouse / "warehouse.sqlite";
  if (fs::exists(database)) {
    std::size_t row = 0;
    std::string customer_id;
    io::sql::replace_table(
        database, "customer_segments", io::sql::customer_segments_columns(),
        [&](std::vector<io::sql::Value>& values) {
          if (row == s.customers()) {
            return false;
          }
          customer_id = std::string(sales.customers.name(s.customer[row]));
          values.clear();
          values.emplace_back(std::string_view(customer_id));
          values.emplace_back(to_double(result.features.total_purchase_amount[row]));
          values.emplace_back(result.features.total_purchase_amount[row].units);
          values.emplace_back(result.features.purchase_frequency[row]);
          values.emplace_back(result.features.avg_transaction_value[row]);
          values.emplace_back(result.features.recency_days[row]);
          values.emplace_back(static_cast<std::int64_t>(s.cluster[row]));
          values.emplace_back(std::string_view(s.segment_of(row)));
          ++row;
          return true;
        });
    result.outputs.push_back(database);
  }
  return result;
}

ExportCustomers export_customers(const SegmentResult& result, const SalesTable& sales) {
  const auto& s = result.segmentation;
  const auto& f = result.features;
  ExportCustomers customers;
  for (std::size_t i = 0; i < s.customers(); ++i) {
    customers.customer_id.push_back(sales.customers.name(s.customer[i]));
    customers.segment.push_back(s.segment_of(i));
    customers.total_purchase_amount.push_back(f.total_purchase_amount[i]);
    customers.purchase_frequency.push_back(f.purchase_frequency[i]);
    customers.avg_transaction_value.push_back(f.avg_transaction_value[i]);
    customers.recency_days.push_back(f.recency_days[i]);
    customers.cluster.push_back(s.cluster[i]);
  }
  return customers;
}

SegmentResult segment_from_files(const SegmentOptions& options) {
  options.validate();
  const fs::path processed = warehouse_dir(options.out) / "processed_sales_data.csv";
  if (!fs::exists(processed)) {
    throw Error(ErrorKind::Input, Location{processed.string(), 0, 0},
                "no processed sales here: run `salespipe etl` first");
  }
  const SalesTable sales = io::warehouse::read_processed_sales(processed);
  return segment_tables(options, sales);
}

}  // namespace salespipe::pipeline
