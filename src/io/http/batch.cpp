#include "io/http/batch.hpp"

#include <fmt/format.h>
#include <xxhash.h>

#include <charconv>
#include <cstdint>
#include <memory>

#include "core/json_writer.hpp"

namespace salespipe::io::http {
namespace {

/// Appends `text` with its length in front, so that no choice of bytes inside a field can make
/// two different customers encode alike.
void append_field(std::string& out, std::string_view text) {
  char length[24];
  const auto end = std::to_chars(length, length + sizeof length, text.size()).ptr;
  out.append(length, end);
  out.push_back(':');
  out.append(text);
}

void append_integer(std::string& out, std::int64_t value) {
  char text[24];
  const auto end = std::to_chars(text, text + sizeof text, value).ptr;
  append_field(out, std::string_view(text, static_cast<std::size_t>(end - text)));
}

void append_double(std::string& out, double value) {
  char text[32];
  const auto end = std::to_chars(text, text + sizeof text, value).ptr;
  append_field(out, std::string_view(text, static_cast<std::size_t>(end - text)));
}

/// Every field of the body except updated_at, canonically encoded.
void append_content(std::string& out, const ExportCustomers& customers, std::size_t row) {
  append_field(out, customers.customer_id[row]);
  append_field(out, customers.segment[row]);
  append_field(out, exact_money_text(customers.total_purchase_amount[row]));
  append_integer(out, customers.purchase_frequency[row]);
  append_double(out, customers.avg_transaction_value[row]);
  append_integer(out, customers.recency_days[row]);
}

std::string hex128(XXH128_hash_t hash) {
  return fmt::format("{:016x}{:016x}", hash.high64, hash.low64);
}

}  // namespace

std::string exact_money_text(Money amount) {
  // The magnitude as unsigned, so that the most negative int64 does not overflow.
  const bool negative = amount.units < 0;
  const std::uint64_t magnitude = negative ? 0 - static_cast<std::uint64_t>(amount.units)
                                           : static_cast<std::uint64_t>(amount.units);
  constexpr auto kScale = static_cast<std::uint64_t>(Money::kScale);
  const std::uint64_t whole = magnitude / kScale;
  std::uint64_t fraction = magnitude % kScale;
  int digits = 4;
  while (digits > 2 && fraction % 10 == 0) {
    fraction /= 10;
    --digits;
  }
  return fmt::format("{}{}.{:0{}}", negative ? "-" : "", whole, fraction, digits);
}

std::string customer_fingerprint(const ExportCustomers& customers, std::size_t row,
                                 SyncFields fields) {
  std::string canonical;
  if (fields == SyncFields::Segment) {
    canonical = "segment-v1\n";
    append_field(canonical, customers.segment[row]);
  } else {
    canonical = "all-v1\n";
    append_content(canonical, customers, row);
  }
  return hex128(XXH3_128bits(canonical.data(), canonical.size()));
}

std::string batch_key(const ExportCustomers& customers, std::span<const std::size_t> rows,
                      std::span<const std::string_view> previous) {
  const std::unique_ptr<XXH3_state_t, decltype(&XXH3_freeState)> state(XXH3_createState(),
                                                                       &XXH3_freeState);
  if (state == nullptr) {
    throw std::bad_alloc();
  }
  XXH3_128bits_reset(state.get());
  constexpr std::string_view kVersion = "salespipe-http-batch-v1\n";
  XXH3_128bits_update(state.get(), kVersion.data(), kVersion.size());
  std::string canonical;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    canonical.clear();
    append_content(canonical, customers, rows[i]);
    append_field(canonical, previous[i]);
    canonical.push_back('\n');
    XXH3_128bits_update(state.get(), canonical.data(), canonical.size());
  }
  return hex128(XXH3_128bits_digest(state.get()));
}

std::string batch_body(const ExportCustomers& customers, std::span<const std::size_t> rows,
                       std::string_view batch_id, std::string_view updated_at) {
  JsonWriter json;
  json.begin_object().key("batch_id").value(batch_id).key("customers").begin_array();
  for (const std::size_t row : rows) {
    json.begin_object()
        .key("customer_id")
        .value(customers.customer_id[row])
        .key("segment")
        .value(customers.segment[row])
        .key("total_purchase_amount")
        .value(exact_money_text(customers.total_purchase_amount[row]))
        .key("purchase_frequency")
        .value(customers.purchase_frequency[row])
        .key("avg_transaction_value")
        .value(customers.avg_transaction_value[row])
        .key("recency_days")
        .value(customers.recency_days[row])
        .key("updated_at")
        .value(updated_at)
        .end_object();
  }
  json.end_array().end_object();
  return json.finish();
}

}  // namespace salespipe::io::http
