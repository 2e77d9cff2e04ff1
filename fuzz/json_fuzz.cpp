// Fuzzes the JSON feedback reader and checks its contracts; a violated contract aborts so
// libFuzzer and the replay report it. The input is the file. It is read with a large window and
// with small ones: the outcome (every record, or the error message) must not depend on where the
// windows cut the file.
#include <fmt/format.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "core/text.hpp"
#include "io/json/reader.hpp"

namespace {

using salespipe::io::json::Batch;
using salespipe::io::json::Reader;
using salespipe::io::json::ReaderOptions;
using salespipe::io::json::RecordStatus;
using salespipe::io::json::ValueKind;

[[noreturn]] void fail(const char* what, std::string_view input) {
  std::fprintf(stderr, "json_fuzz: %s for input of %zu bytes\n", what, input.size());
  std::abort();
}

void check(bool condition, const char* what, std::string_view input) {
  if (!condition) {
    fail(what, input);
  }
}

/// Everything the reader returned, as one string, after checking each record's contract.
std::string outcome(std::string_view input, std::size_t window) {
  ReaderOptions options;
  options.fields = {"a", "customer_id", "Sentiment Score"};
  options.window_bytes = window;
  options.max_depth = 8;
  std::string summary;
  try {
    Reader reader = Reader::open_bytes(std::string(input), "fuzz.json", options);
    Batch batch;
    std::uint64_t previous_line = 0;
    while (reader.next_batch(batch)) {
      check(batch.size() > 0, "an empty batch before the end", input);
      check(batch.values.size() == batch.size() * options.fields.size(), "values misshapen", input);
      for (std::size_t r = 0; r < batch.size(); ++r) {
        const std::string_view raw = batch.raw[r];
        check(!raw.empty(), "an empty record", input);
        check(batch.line[r] >= previous_line && batch.line[r] >= 1, "lines out of order", input);
        previous_line = batch.line[r];
        const RecordStatus status = batch.status[r];
        check((status == RecordStatus::Ok) == batch.detail[r].empty(), "detail mismatch", input);
        check(status != RecordStatus::Ok || raw.front() == '{', "a non-object is Ok", input);
        check(status == RecordStatus::BadEncoding || salespipe::is_valid_utf8(raw),
              "invalid UTF-8 not reported", input);
        summary += fmt::format("{}:{}:{}:{}", batch.line[r], static_cast<int>(status), raw,
                               batch.detail[r]);
        for (std::size_t f = 0; f < options.fields.size(); ++f) {
          const auto& value = batch.value(r, f);
          check(status == RecordStatus::Ok || value.kind == ValueKind::Missing,
                "a value in a rejected record", input);
          check(value.kind != ValueKind::String || salespipe::is_valid_utf8(value.text),
                "a string value that is not UTF-8", input);
          check((value.kind == ValueKind::Missing) == value.text.empty() ||
                    value.kind == ValueKind::String,
                "value text mismatch", input);
          summary += fmt::format(":{}={}", static_cast<int>(value.kind), value.text);
        }
        summary += "\n";
      }
    }
    check(reader.bytes_read() == input.size(), "the input was not read to its end", input);
  } catch (const salespipe::Error& error) {
    check(error.kind() == salespipe::ErrorKind::Input, "an error that is not Input", input);
    return std::string("error ") + error.what();
  }
  return summary;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  if (size > 4096) {
    return 0;  // window 1 rescans a cut element at every byte; keep each run fast
  }
  const std::string whole = outcome(input, 1u << 20);
  check(outcome(input, 1) == whole, "window 1 differs from a whole-file window", input);
  check(outcome(input, 1 + size % 13) == whole, "a small window differs", input);
  return 0;
}
