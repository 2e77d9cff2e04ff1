#pragma once

// What one HTTP sync batch holds: the per-customer fingerprints that decide whether a customer
// changed since the last successful sync, the JSON body, and its Idempotency-Key.
//
// Body of a batch (JSON, UTF-8; written by JsonWriter, so pretty-printed):
//   {
//     "batch_id": "<the Idempotency-Key>",
//     "customers": [
//       {
//         "customer_id": "C042",
//         "segment": "VIP",
//         "total_purchase_amount": "1234.50",   a JSON *string* holding the exact amount
//         "purchase_frequency": 7,
//         "avg_transaction_value": 176.35714285714286,
//         "recency_days": 12,
//         "updated_at": "2024-03-01T12:00:00Z"  the sync's now_utc
//       },
//       ...
//     ]
//   }
// total_purchase_amount is a string so that no receiver parses money into a binary float: it
// has two decimals, and a third and fourth only when they are not zero (Money keeps 1/10000), so
// it is exact. avg_transaction_value is a double already (total / frequency) and goes out as a
// JSON number in its shortest round-trip form.
//
// Idempotency-Key (= batch_id): XXH3-128, 32 lowercase hex digits, of a canonical encoding of,
// for each customer of the batch in order, its id, every field of the body except updated_at,
// and the fingerprint last sent for it (empty when never sent). updated_at is left out because it
// changes with every run, so a batch retried in the same run or resent by the next run after a
// failure carries the same key and a receiver that already applied it can drop it. The previous
// fingerprints are in because a customer that goes VIP -> Regular -> VIP sends the same content
// twice: the second VIP batch replaces a different state and must not be dropped as a duplicate.

#include <cstddef>
#include <span>
#include <string>
#include <string_view>

#include "core/export_tables.hpp"
#include "core/money.hpp"

namespace salespipe::io::http {

/// Which fields decide that a customer changed since the last successful sync (--sync-fields).
enum class SyncFields {
  Segment,  ///< only the segment; a change of the features alone sends nothing
  All,      ///< every field of the body except updated_at
};

/// The exact decimal text of `amount`: two decimals, then the third and fourth only when they
/// are not zero: "123.45", "0.125", "-3.1416", "7.00".
std::string exact_money_text(Money amount);

/// The fingerprint of customer `row` under `fields`: XXH3-128 as 32 lowercase hex digits of a
/// canonical encoding of those fields, tagged with the mode (so a Segment fingerprint never
/// equals an All fingerprint; switching modes resends every customer once).
std::string customer_fingerprint(const ExportCustomers& customers, std::size_t row,
                                 SyncFields fields);

/// The Idempotency-Key of the batch of `rows` (see the file comment). `previous[i]` is the
/// fingerprint last sent for rows[i], empty when none was; the spans have the same size.
std::string batch_key(const ExportCustomers& customers, std::span<const std::size_t> rows,
                      std::span<const std::string_view> previous);

/// The JSON body of the batch of `rows` (see the file comment), with `batch_id` and every
/// customer's updated_at set to `updated_at`. The caller has checked that the values are valid
/// UTF-8 and that the doubles are finite.
std::string batch_body(const ExportCustomers& customers, std::span<const std::size_t> rows,
                       std::string_view batch_id, std::string_view updated_at);

}  // namespace salespipe::io::http
