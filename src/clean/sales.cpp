#include "clean/sales.hpp"

#include <fmt/format.h>

#include "clean/values.hpp"
#include "core/error.hpp"
#include "core/text.hpp"

namespace salespipe::clean {
namespace {

constexpr std::array<std::string_view, kSalesFieldCount> kFieldNames = {
    "sale_id", "product_id", "customer_id", "sale_price", "quantity", "sale_date"};

constexpr std::array<Reason, kSalesFieldCount> kMissingReason = {
    Reason::MissingSaleId, Reason::MissingProductId, Reason::MissingCustomerId,
    Reason::MissingPrice,  Reason::BadQuantity,      Reason::MissingDate};

}  // namespace

std::string_view sales_field_name(SalesField field) noexcept {
  return kFieldNames[static_cast<std::size_t>(field)];
}

SalesLayout map_sales_header(const std::vector<std::string>& header, const std::string& file,
                             const SalesFieldNames& names) {
  SalesLayout layout;
  layout.input_columns = header.size();
  std::vector<std::string> canonical;
  canonical.reserve(header.size());
  // Byte column of each header field, for messages that point at the header.
  std::vector<std::uint64_t> byte_column;
  std::uint64_t column = 1;
  for (const auto& name : header) {
    byte_column.push_back(column);
    column += name.size() + 1;
    canonical.push_back(canonical_name(name));
  }
  for (std::size_t i = 0; i < canonical.size(); ++i) {
    for (std::size_t j = 0; j < i; ++j) {
      if (!canonical[i].empty() && canonical[i] == canonical[j]) {
        throw Error(ErrorKind::Input, Location{file, 1, byte_column[i]},
                    fmt::format("column \"{}\" appears twice (also column {})", header[i], j + 1));
      }
    }
  }
  std::vector<bool> used(header.size(), false);
  for (std::size_t f = 0; f < kSalesFieldCount; ++f) {
    const std::string wanted = canonical_name(names.names[f]);
    for (std::size_t i = 0; i < canonical.size(); ++i) {
      if (canonical[i] == wanted) {
        layout.column[f] = i;
        used[i] = true;
      }
    }
    const bool optional = static_cast<SalesField>(f) == SalesField::Quantity;
    if (!layout.column[f] && !optional) {
      throw Error(ErrorKind::Input, Location{file, 1, 1},
                  fmt::format("required column \"{}\" is missing (the header has: {})",
                              names.names[f], fmt::join(header, ", ")));
    }
  }
  for (std::size_t i = 0; i < header.size(); ++i) {
    if (!used[i]) {
      layout.extra_columns.push_back(i);
      layout.extra_names.push_back(header[i]);
    }
  }
  return layout;
}

SalesCleaner::SalesCleaner(std::string source, SalesLayout layout, const CleanOptions& options,
                           Interner& products, Interner& customers)
    : source_(lasting_name(source)),
      layout_(std::move(layout)),
      options_(options),
      products_(products),
      customers_(customers),
      dates_(options.date_order) {
  rows_.extra.names = layout_.extra_names;
  rows_.extra.values.resize(layout_.extra_names.size());
  quality_.quantity_column_present =
      layout_.column[static_cast<std::size_t>(SalesField::Quantity)].has_value();
}

void SalesCleaner::add(std::uint64_t line, std::span<const std::string_view> fields) {
  ++quality_.read;
  const auto field = [&](SalesField f) -> std::string_view {
    const auto& column = layout_.column[static_cast<std::size_t>(f)];
    return column ? fields[*column] : std::string_view();
  };
  const auto count_missing = [&](SalesField f) { ++quality_.missing[static_cast<std::size_t>(f)]; };
  RecordFaults faults;

  // Identifiers: trimmed; product and customer codes also upper-cased.
  const std::string_view raw_sale_id = field(SalesField::SaleId);
  const std::string_view sale_id = trim(raw_sale_id);
  if (sale_id.empty()) {
    count_missing(SalesField::SaleId);
    faults.add(sales_field_name(SalesField::SaleId), Reason::MissingSaleId, raw_sale_id, "missing");
  }
  const SalesField id_fields[2] = {SalesField::ProductId, SalesField::CustomerId};
  IdRepair repairs[2];
  for (int k = 0; k < 2; ++k) {
    const std::string_view raw = field(id_fields[k]);
    repairs[k] = normalize_id(raw, id_buffers_[k]);
    if (id_buffers_[k].empty()) {
      count_missing(id_fields[k]);
      faults.add(sales_field_name(id_fields[k]),
                 kMissingReason[static_cast<std::size_t>(id_fields[k])], raw, "missing");
    }
  }

  const std::string_view raw_price = field(SalesField::SalePrice);
  const PriceResult price = parse_price(raw_price);
  switch (price.status) {
    case CellStatus::Ok:
      break;
    case CellStatus::Missing:
      count_missing(SalesField::SalePrice);
      faults.add(sales_field_name(SalesField::SalePrice), Reason::MissingPrice, raw_price,
                 "missing");
      break;
    case CellStatus::NonPositive:
      faults.add(sales_field_name(SalesField::SalePrice), Reason::NonpositivePrice, raw_price,
                 fmt::format("\"{}\" is not a positive price", printable_raw_value(raw_price, 64)));
      break;
    default:
      faults.add(sales_field_name(SalesField::SalePrice), Reason::BadPrice, raw_price,
                 fmt::format("cannot read \"{}\" as a price", printable_raw_value(raw_price, 64)));
      break;
  }

  std::int64_t quantity = options_.default_quantity;
  bool quantity_defaulted = !quality_.quantity_column_present;
  if (quality_.quantity_column_present) {
    const std::string_view raw_quantity = field(SalesField::Quantity);
    const QuantityResult parsed = parse_quantity(raw_quantity);
    if (parsed.status == CellStatus::Ok) {
      quantity = parsed.value;
    } else if (parsed.status == CellStatus::Missing) {
      count_missing(SalesField::Quantity);
      quantity_defaulted = true;
    } else {
      faults.add(sales_field_name(SalesField::Quantity), Reason::BadQuantity, raw_quantity,
                 fmt::format("\"{}\" is not a positive whole number",
                             printable_raw_value(raw_quantity, 64)));
    }
  }
  // total_revenue must fit too: a sale whose revenue would overflow is not loaded.
  if (price.status == CellStatus::Ok && !faults.any()) {
    if (!checked_multiply(price.value, quantity)) {
      faults.add(sales_field_name(SalesField::Quantity), Reason::BadQuantity,
                 field(SalesField::Quantity), "price times quantity overflows");
    }
  }

  // Every row's date counts as evidence, whatever else is wrong with the record.
  const std::string_view raw_date = field(SalesField::SaleDate);
  const ParsedDate date = dates_.observe(raw_date);
  if (date.status == CellStatus::Missing) {
    count_missing(SalesField::SaleDate);
    faults.add(sales_field_name(SalesField::SaleDate), Reason::MissingDate, raw_date, "missing");
  } else if (date.status != CellStatus::Ok) {
    faults.add(sales_field_name(SalesField::SaleDate), Reason::BadDate, raw_date,
               fmt::format("cannot read \"{}\" as a real date", printable_raw_value(raw_date, 64)));
  }

  if (faults.any()) {
    ++quality_.rejected;
    rejects_.push_back(faults.take_reject(source_, line, quality_.by_reason));
    return;
  }

  quality_.quantity_defaulted += quantity_defaulted ? 1u : 0u;
  quality_.ids_trimmed += (sale_id.size() != raw_sale_id.size() ? 1u : 0u) +
                          (repairs[0].trimmed ? 1u : 0u) + (repairs[1].trimmed ? 1u : 0u);
  quality_.ids_upper_cased +=
      (repairs[0].upper_cased ? 1u : 0u) + (repairs[1].upper_cased ? 1u : 0u);
  // Interned only now, so ids seen only in rejected records get no code.
  pending_sale_ids_.add(sale_id);
  pending_products_.add(id_buffers_[0]);
  pending_customers_.add(id_buffers_[1]);
  if (pending_sale_ids_.full()) {
    intern_pending();
  }
  rows_.sale_price.push_back(price.value);
  rows_.quantity.push_back(quantity);
  rows_.line.push_back(line);
  pending_dates_.push_back(PendingDate::of(date));
  for (std::size_t e = 0; e < layout_.extra_columns.size(); ++e) {
    rows_.extra.values[e].push_back(fields[layout_.extra_columns[e]]);
  }
}

void SalesCleaner::add_unreadable(std::uint64_t line, Reason reason, std::string_view raw,
                                  std::string message) {
  reject_unreadable(quality_, rejects_, source_, line, reason, raw, std::move(message));
}

void SalesCleaner::reserve(std::size_t records) {
  rows_.sale_id.reserve(records);
  rows_.product.reserve(records);
  rows_.customer.reserve(records);
  rows_.sale_price.reserve(records);
  rows_.quantity.reserve(records);
  rows_.line.reserve(records);
  pending_dates_.reserve(records);
}

void SalesCleaner::intern_pending() {
  pending_sale_ids_.flush(sale_ids_, rows_.sale_id);
  pending_products_.flush(products_, rows_.product);
  pending_customers_.flush(customers_, rows_.customer);
}

CleanSales SalesCleaner::finish(std::vector<Reject>& rejects, SalesQuality& quality) {
  intern_pending();
  rows_.sale_ids = sale_ids_.take_names();
  sale_ids_ = Interner();
  rows_.sale_date = dates_.resolve(pending_dates_, quality_.sale_date);
  pending_dates_ = {};
  append_rejects(rejects, std::move(rejects_));
  quality = std::move(quality_);
  return std::move(rows_);
}

}  // namespace salespipe::clean
