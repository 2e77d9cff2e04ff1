// Fuzz target for the CSV reader and writer. The first byte of an input picks the options; the
// rest is the file. Besides "no crash, no sanitizer report" it checks two properties and aborts
// when one fails:
// - reading with tiny blocks and one-record batches gives what one large block gives;
// - the Ok records, written back with the writer's quoting, read back to the same fields.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "io/csv/reader.hpp"
#include "io/csv/writer.hpp"

namespace {

using salespipe::io::csv::Batch;
using salespipe::io::csv::Fault;
using salespipe::io::csv::Reader;
using salespipe::io::csv::ReaderOptions;

struct Everything {
  std::string error;
  std::vector<std::string> header;
  std::vector<std::uint64_t> line;
  std::vector<Fault> fault;
  std::vector<std::uint32_t> field_count;
  std::vector<std::uint32_t> fault_column;
  std::vector<std::string> raw;
  std::vector<std::vector<std::string>> ok_fields;  ///< Ok records only
  std::uint64_t blank_lines = 0;

  bool operator==(const Everything&) const = default;
};

Everything read_all(const std::string& input, const ReaderOptions& options) {
  Everything out;
  try {
    Reader reader = Reader::from_bytes(input, "fuzz.csv", options);
    out.header = reader.header();
    Batch batch;
    while (reader.next_batch(batch)) {
      for (std::size_t r = 0; r < batch.size(); ++r) {
        out.line.push_back(batch.line[r]);
        out.fault.push_back(batch.fault[r]);
        out.field_count.push_back(batch.field_count[r]);
        out.fault_column.push_back(batch.fault_column[r]);
        out.raw.emplace_back(batch.raw[r]);
        if (batch.fault[r] == Fault::None) {
          std::vector<std::string> fields;
          for (std::size_t c = 0; c < batch.columns; ++c) {
            fields.emplace_back(batch.field(r, c));
          }
          out.ok_fields.push_back(std::move(fields));
        }
      }
    }
    out.blank_lines = reader.blank_lines();
  } catch (const salespipe::Error& error) {
    // Records read before a fatal error depend on the block size; keep only the error.
    out = Everything{};
    out.error = error.what();
  }
  return out;
}

void require(bool condition) {
  if (!condition) {
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) {
    return 0;
  }
  const std::uint8_t knobs = data[0];
  static constexpr char kDelimiters[] = {',', ';', '\t', ','};
  ReaderOptions options;
  options.delimiter = kDelimiters[knobs & 3];
  options.max_field_bytes =
      (knobs & 4) != 0 ? 1 + ((knobs >> 3) & 7) : ReaderOptions{}.max_field_bytes;
  options.block_bytes = 1u << 16;
  const std::string input(reinterpret_cast<const char*>(data + 1), size - 1);

  const Everything large = read_all(input, options);
  ReaderOptions tiny = options;
  tiny.block_bytes = 1 + (knobs >> 5);
  tiny.batch_records = 1;
  require(read_all(input, tiny) == large);

  if (!large.error.empty()) {
    return 0;
  }
  std::string written;
  std::vector<std::string_view> row(large.header.begin(), large.header.end());
  salespipe::io::csv::append_row(written, row, options.delimiter);
  for (const auto& fields : large.ok_fields) {
    row.assign(fields.begin(), fields.end());
    salespipe::io::csv::append_row(written, row, options.delimiter);
  }
  ReaderOptions generous = options;
  generous.max_field_bytes = ReaderOptions{}.max_field_bytes;
  const Everything again = read_all(written, generous);
  require(again.error.empty());
  require(again.header == large.header);
  require(again.ok_fields == large.ok_fields);
  require(again.ok_fields.size() == again.line.size());  // nothing written reads back as bad
  return 0;
}
