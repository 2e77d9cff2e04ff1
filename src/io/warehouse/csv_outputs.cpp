#include "io/warehouse/csv_outputs.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <charconv>
#include <condition_variable>
#include <cstring>
#include <memory>
#include <mutex>

#include "core/background_job.hpp"
#include "core/error.hpp"
#include "core/interner.hpp"
#include "io/csv/reader.hpp"
#include "io/csv/writer.hpp"

namespace salespipe::io::warehouse {
namespace fs = std::filesystem;
namespace {

/// Formats into a large buffer and writes it in big chunks.
class ChunkedFile {
 public:
  explicit ChunkedFile(const fs::path& path) : path_(path) {
    fd_ = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd_ < 0) {
      throw Error(ErrorKind::Output,
                  fmt::format("{}: cannot create: {}", path.string(), std::strerror(errno)));
    }
    buffer_.reserve(kChunk + 64 * 1024);
  }
  ~ChunkedFile() {
    if (fd_ >= 0) {
      ::close(fd_);
    }
  }
  ChunkedFile(const ChunkedFile&) = delete;
  ChunkedFile& operator=(const ChunkedFile&) = delete;

  std::string& buffer() { return buffer_; }
  void maybe_flush() {
    if (buffer_.size() >= kChunk) {
      flush();
    }
  }
  /// Writes what is buffered; returns the file's size then.
  std::uint64_t flush_and_size() {
    flush();
    return written_;
  }
  /// Writes bytes at offset, leaving the rest of the file and the buffer alone: threads that
  /// know where their part goes write it at once, in any order.
  void write_at(std::string_view bytes, std::uint64_t offset) {
    std::size_t done = 0;
    while (done < bytes.size()) {
      const ssize_t written = ::pwrite(fd_, bytes.data() + done, bytes.size() - done,
                                       static_cast<off_t>(offset + done));
      if (written < 0) {
        if (errno == EINTR) {
          continue;
        }
        fail("cannot write");
      }
      done += static_cast<std::size_t>(written);
    }
  }
  void close() {
    flush();
    if (::close(fd_) != 0) {
      fd_ = -1;
      fail("cannot close");
    }
    fd_ = -1;
  }

 private:
  static constexpr std::size_t kChunk = 4u << 20;

  void flush() {
    write_at(buffer_, written_);
    written_ += buffer_.size();
    buffer_.clear();
  }
  [[noreturn]] void fail(std::string_view what) {
    throw Error(ErrorKind::Output,
                fmt::format("{}: {}: {}", path_.string(), what, std::strerror(errno)));
  }

  fs::path path_;
  int fd_ = -1;
  std::string buffer_;
  std::uint64_t written_ = 0;  ///< bytes written through the buffer
};

/// Where each slice of a file formatted by several threads goes: a slice's offset is the end of
/// the one before it, known once that one is formatted. A thread waits only for that, not for
/// the write, so formatting and writing overlap on all cores.
class SliceOffsets {
 public:
  explicit SliceOffsets(std::uint64_t first_offset) : next_offset_(first_offset) {}

  /// Waits until every slice before `slice` is placed; returns slice's offset and places it
  /// with its size. Throws when another thread gave up (abandon), so no thread waits forever.
  std::uint64_t place(std::size_t slice, std::uint64_t size) {
    std::unique_lock lock(mutex_);
    placed_.wait(lock, [&] { return abandoned_ || next_slice_ == slice; });
    if (abandoned_) {
      throw Error(ErrorKind::Internal, "a thread formatting the file stopped");
    }
    const std::uint64_t offset = next_offset_;
    next_offset_ += size;
    ++next_slice_;
    placed_.notify_all();
    return offset;
  }
  void abandon() {
    const std::lock_guard lock(mutex_);
    abandoned_ = true;
    placed_.notify_all();
  }

 private:
  std::mutex mutex_;
  std::condition_variable placed_;
  std::size_t next_slice_ = 0;
  std::uint64_t next_offset_;
  bool abandoned_ = false;
};

void append_integer(std::string& out, std::int64_t value) {
  char text[24];
  const auto result = std::to_chars(text, text + sizeof text, value);
  out.append(text, result.ptr);
}

/// "150.00" -> Money; the two-decimal form the warehouse writes (a sign is not ours to accept).
std::optional<Money> parse_warehouse_money(std::string_view text) {
  const auto dot = text.find('.');
  if (dot == std::string_view::npos || dot == 0 || text.size() - dot != 3) {
    return std::nullopt;
  }
  std::int64_t whole = 0;
  std::int64_t cents = 0;
  const auto a = std::from_chars(text.data(), text.data() + dot, whole);
  const auto b = std::from_chars(text.data() + dot + 1, text.data() + text.size(), cents);
  if (a.ec != std::errc() || a.ptr != text.data() + dot || b.ec != std::errc() ||
      b.ptr != text.data() + text.size() || whole < 0) {
    return std::nullopt;
  }
  return Money{whole * Money::kScale + cents * 100};
}

/// The most bytes write_sentiment writes: a shortest double and ".0".
constexpr std::size_t kMaxSentimentChars = 32 + 2;

char* write_sentiment(char* out, double value) noexcept {
  // Scores are mostly whole or one-decimal numbers. Those are written directly: the shortest
  // form of a double costs to_chars hundreds of instructions. Below 10000 the fixed form is
  // the shortest, and the checks make sure value is exactly the double nearest tenths / 10.
  if (value >= 0.1 && value < 10'000.0) {
    const double tenths = value * 10.0;
    const auto whole_tenths = static_cast<std::int64_t>(tenths);
    if (static_cast<double>(whole_tenths) == tenths &&
        static_cast<double>(whole_tenths) / 10.0 == value) {
      out = std::to_chars(out, out + 8, whole_tenths / 10).ptr;
      *out++ = '.';
      *out++ = static_cast<char>('0' + whole_tenths % 10);
      return out;
    }
  }
  char* const start = out;
  out = std::to_chars(out, out + 32, value).ptr;
  if (std::string_view(start, static_cast<std::size_t>(out - start)).find_first_of(".eE") ==
      std::string_view::npos) {
    *out++ = '.';
    *out++ = '0';
  }
  return out;
}

/// The text of recently written dates. The sales of a run fall on a few hundred days, so most
/// dates are written by copying ten bytes instead of converting a day count to a calendar date.
class DateTexts {
 public:
  char* write(char* out, Date date) noexcept {
    const std::int32_t day = date.time_since_epoch().count();
    Entry& entry = entries_[static_cast<std::uint32_t>(day) % entries_.size()];
    if (entry.day != day) {
      write_date(entry.text, date);
      entry.day = day;
    }
    std::memcpy(out, entry.text, kDateChars);
    return out + kDateChars;
  }

 private:
  struct Entry {
    std::int32_t day = INT32_MIN;  ///< no date of years 1 to 9999 is this far back: empty
    char text[kDateChars] = {};
  };
  std::array<Entry, 1024> entries_{};
};

/// Which names of a dictionary need quotes in a CSV, found once for all the rows that name them.
std::vector<std::uint8_t> names_needing_quotes(const Dictionary& dictionary) {
  std::vector<std::uint8_t> quoted(dictionary.size());
  for (std::uint32_t code = 0; code < dictionary.size(); ++code) {
    quoted[code] = csv::needs_quotes(dictionary.name(code)) ? 1 : 0;
  }
  return quoted;
}

/// write_field for a name whose need of quotes is known.
char* write_name(char* out, std::string_view name, bool quoted) noexcept {
  if (quoted) {
    return csv::write_field(out, name);
  }
  std::memcpy(out, name.data(), name.size());
  return out + name.size();
}

/// Bytes written through a raw pointer: a formatter makes room for a whole row at once, then
/// copies its fields in without the capacity check std::string's append makes on each.
class FormatBuffer {
 public:
  /// Room for `bytes` more bytes; returns where they go. Pass the end of what was written to
  /// commit().
  char* room(std::size_t bytes) {
    if (capacity_ - size_ < bytes) {
      const std::size_t bigger = std::max(2 * capacity_, size_ + bytes);
      auto replacement = std::make_unique_for_overwrite<char[]>(bigger);
      if (size_ > 0) {  // the first buffer has nothing to keep, and no address to copy from
        std::memcpy(replacement.get(), data_.get(), size_);
      }
      data_ = std::move(replacement);
      capacity_ = bigger;
    }
    return data_.get() + size_;
  }
  void commit(const char* end) noexcept { size_ = static_cast<std::size_t>(end - data_.get()); }
  std::string_view view() const noexcept { return {data_.get(), size_}; }
  void clear() noexcept { size_ = 0; }

 private:
  std::unique_ptr<char[]> data_;
  std::size_t size_ = 0;
  std::size_t capacity_ = 0;
};

/// Appends rows [begin, end) of processed_sales_data.csv to out. `quoted` holds
/// names_needing_quotes of the products, then of the customers.
void format_processed_rows(FormatBuffer& out, const SalesTable& sales,
                           const std::vector<std::string>* segments,
                           const std::array<std::vector<std::uint8_t>, 2>& quoted,
                           std::size_t begin, std::size_t end) {
  // Everything but the text fields: two amounts, the quantity, two dates, the sentiment and
  // the separators.
  constexpr std::size_t kFixedBytes =
      2 * kMaxMoneyChars + 20 + 2 * kDateChars + kMaxSentimentChars + 16;
  DateTexts dates;
  for (std::size_t row = begin; row < end; ++row) {
    const std::string_view sale_id = sales.sale_id[row];
    const std::string_view product = sales.products.name(sales.product[row]);
    const std::string_view customer = sales.customers.name(sales.customer[row]);
    const std::string_view segment =
        segments != nullptr ? std::string_view((*segments)[sales.customer[row]]) : "";
    std::size_t bytes =
        kFixedBytes + csv::max_field_bytes(sale_id.size()) + csv::max_field_bytes(product.size()) +
        csv::max_field_bytes(customer.size()) + csv::max_field_bytes(segment.size());
    for (const auto& column : sales.extra.values) {
      bytes += csv::max_field_bytes(column[row].size()) + 1;
    }
    char* at = out.room(bytes);
    at = csv::write_field(at, sale_id);
    *at++ = ',';
    at = write_name(at, product, quoted[0][sales.product[row]] != 0);
    *at++ = ',';
    at = write_name(at, customer, quoted[1][sales.customer[row]] != 0);
    *at++ = ',';
    at = write_money(at, sales.sale_price[row]);
    *at++ = ',';
    at = std::to_chars(at, at + 20, sales.quantity[row]).ptr;
    *at++ = ',';
    at = dates.write(at, sales.sale_date[row]);
    *at++ = ',';
    at = write_money(at, sales.total_revenue[row]);
    *at++ = ',';
    if (sales.has_review[row] != 0) {
      at = write_sentiment(at, sales.sentiment[row]);
      *at++ = ',';
      at = dates.write(at, sales.review_date[row]);
    } else {
      *at++ = ',';
    }
    if (segments != nullptr) {
      *at++ = ',';
      at = csv::write_field(at, segment);
    }
    for (const auto& column : sales.extra.values) {
      *at++ = ',';
      at = csv::write_field(at, column[row]);
    }
    *at++ = '\n';
    out.commit(at);
  }
}

}  // namespace

void append_sentiment(std::string& out, double value) {
  char text[kMaxSentimentChars];
  out.append(text, write_sentiment(text, value));
}

void write_processed_sales(const fs::path& path, const SalesTable& sales,
                           const std::vector<std::string>* segments) {
  ChunkedFile file(path);
  std::string& out = file.buffer();
  bool first = true;
  for (const char* name : kProcessedColumns) {
    if (!first)
      out.push_back(',');
    out.append(name);
    first = false;
  }
  if (segments != nullptr) {
    out.append(",segment");
  }
  for (const auto& name : sales.extra.names) {
    out.push_back(',');
    csv::append_field(out, name);
  }
  out.push_back('\n');
  // Formatting is most of the work: slices of kSlice rows go to the cores in turn, and each
  // core writes what it formatted at its place in the file.
  constexpr std::size_t kSlice = 1u << 16;
  constexpr unsigned kCores = 2;
  const std::array<std::vector<std::uint8_t>, 2> quoted = {names_needing_quotes(sales.products),
                                                           names_needing_quotes(sales.customers)};
  SliceOffsets offsets(file.flush_and_size());
  const std::size_t slices = (sales.size() + kSlice - 1) / kSlice;
  run_parts(kCores, [&](unsigned core) {
    try {
      FormatBuffer formatted;
      for (std::size_t slice = core; slice < slices; slice += kCores) {
        formatted.clear();
        const std::size_t begin = slice * kSlice;
        format_processed_rows(formatted, sales, segments, quoted, begin,
                              std::min(begin + kSlice, sales.size()));
        file.write_at(formatted.view(), offsets.place(slice, formatted.view().size()));
      }
    } catch (...) {
      offsets.abandon();
      throw;
    }
  });
  file.close();
}

void write_rejects(const fs::path& path, const std::vector<Reject>& rejects) {
  // The ETL hands them over sorted already; sort an index, never a copy of millions of rejects.
  std::vector<std::uint32_t> order;
  if (!std::is_sorted(rejects.begin(), rejects.end(), rejects_file_order)) {
    order.resize(rejects.size());
    for (std::uint32_t i = 0; i < order.size(); ++i) {
      order[i] = i;
    }
    std::stable_sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
      return rejects_file_order(rejects[a], rejects[b]);
    });
  }
  ChunkedFile file(path);
  std::string& out = file.buffer();
  out.append("source,line,column,raw_value,reason,message\n");
  for (std::size_t i = 0; i < rejects.size(); ++i) {
    const Reject& reject = rejects[order.empty() ? i : order[i]];
    csv::append_field(out, reject.source);
    out.push_back(',');
    append_integer(out, static_cast<std::int64_t>(reject.line));
    out.push_back(',');
    csv::append_field(out, reject.column);
    out.push_back(',');
    csv::append_field(out, reject.raw_value);
    out.push_back(',');
    out.append(reason_name(reject.reason));
    out.push_back(',');
    csv::append_field(out, reject.message);
    out.push_back('\n');
    file.maybe_flush();
  }
  file.close();
}

SalesTable read_processed_sales(const fs::path& path) {
  auto reader = csv::Reader::open(path);
  const auto& header = reader.header();
  const std::size_t fixed = std::size(kProcessedColumns);
  for (std::size_t i = 0; i < fixed; ++i) {
    if (i >= header.size() || header[i] != kProcessedColumns[i]) {
      throw Error(ErrorKind::Input, Location{reader.file_name(), 1, 1},
                  fmt::format("not a processed sales file of salespipe: column {} should be {}",
                              i + 1, kProcessedColumns[i]));
    }
  }
  std::size_t first_extra = fixed;
  if (header.size() > fixed && header[fixed] == "segment") {
    ++first_extra;  // a with_vip file: the segment is recomputed, not read
  }
  SalesTable sales;
  Interner products;
  Interner customers;
  for (std::size_t i = first_extra; i < header.size(); ++i) {
    sales.extra.names.push_back(header[i]);
  }
  sales.extra.values.resize(sales.extra.names.size());
  csv::Batch batch;
  while (reader.next_batch(batch)) {
    for (std::size_t row = 0; row < batch.size(); ++row) {
      const auto bad = [&](std::string_view what) {
        return Error(ErrorKind::Input, Location{reader.file_name(), batch.line[row], 1},
                     fmt::format("not a processed sales file of salespipe: {}", what));
      };
      if (batch.status[row] != csv::RecordStatus::Ok) {
        throw bad("a record with the wrong number of fields or bad bytes");
      }
      const std::string_view* f = &batch.fields[row * batch.columns];
      const auto price = parse_warehouse_money(f[3]);
      const auto revenue = parse_warehouse_money(f[6]);
      const auto date = parse_iso_date(f[5]);
      std::int64_t quantity = 0;
      const auto q = std::from_chars(f[4].data(), f[4].data() + f[4].size(), quantity);
      if (!price || !revenue || !date || q.ec != std::errc() || quantity <= 0) {
        throw bad("a price, quantity, revenue or date is not in the warehouse format");
      }
      sales.sale_id.push_back(f[0]);
      sales.product.push_back(products.intern(f[1]));
      sales.customer.push_back(customers.intern(f[2]));
      sales.sale_price.push_back(*price);
      sales.quantity.push_back(quantity);
      sales.sale_date.push_back(*date);
      sales.total_revenue.push_back(*revenue);
      const bool reviewed = !f[7].empty();
      double sentiment = 0;
      std::optional<Date> review_date;
      if (reviewed) {
        const auto s = std::from_chars(f[7].data(), f[7].data() + f[7].size(), sentiment);
        review_date = parse_iso_date(f[8]);
        if (s.ec != std::errc() || !review_date) {
          throw bad("a sentiment_score or review_date is not in the warehouse format");
        }
      }
      sales.has_review.push_back(reviewed ? 1 : 0);
      sales.sentiment.push_back(sentiment);
      sales.review_date.push_back(review_date.value_or(Date{}));
      sales.source_line.push_back(batch.line[row]);
      for (std::size_t e = 0; e < sales.extra.names.size(); ++e) {
        sales.extra.values[e].push_back(f[first_extra + e]);
      }
    }
  }
  sales.products = products.dictionary();
  sales.customers = customers.dictionary();
  return sales;
}

ExportCustomers read_customer_segments(const fs::path& path) {
  auto reader = csv::Reader::open(path);
  const auto& header = reader.header();
  const auto column = [&](std::string_view name) -> std::size_t {
    for (std::size_t i = 0; i < header.size(); ++i) {
      if (header[i] == name) {
        return i;
      }
    }
    throw Error(ErrorKind::Input, Location{reader.file_name(), 1, 1},
                fmt::format("not a customer_segments.csv of salespipe: no column {}", name));
  };
  const std::size_t id = column("customer_id");
  const std::size_t total = column("total_purchase_amount");
  const std::size_t frequency = column("purchase_frequency");
  const std::size_t average = column("avg_transaction_value");
  const std::size_t recency = column("recency_days");
  const std::size_t cluster = column("cluster");
  const std::size_t segment = column("segment");
  ExportCustomers customers;
  csv::Batch batch;
  while (reader.next_batch(batch)) {
    for (std::size_t row = 0; row < batch.size(); ++row) {
      const auto bad = [&] {
        return Error(ErrorKind::Input, Location{reader.file_name(), batch.line[row], 1},
                     "not a customer_segments.csv of salespipe: a value is not in its format");
      };
      if (batch.status[row] != csv::RecordStatus::Ok) {
        throw bad();
      }
      const auto field = [&](std::size_t c) { return batch.field(row, c); };
      const auto money = parse_warehouse_money(field(total));
      std::int64_t count = 0;
      std::int64_t days = 0;
      std::int32_t cluster_number = 0;
      double avg = 0;
      const auto parse = [](std::string_view text, auto& value) {
        const auto result = std::from_chars(text.data(), text.data() + text.size(), value);
        return result.ec == std::errc() && result.ptr == text.data() + text.size();
      };
      if (!money || !parse(field(frequency), count) || !parse(field(recency), days) ||
          !parse(field(cluster), cluster_number) || !parse(field(average), avg)) {
        throw bad();
      }
      customers.customer_id.push_back(field(id));
      customers.segment.push_back(field(segment));
      customers.total_purchase_amount.push_back(*money);
      customers.purchase_frequency.push_back(count);
      customers.avg_transaction_value.push_back(avg);
      customers.recency_days.push_back(days);
      customers.cluster.push_back(cluster_number);
    }
  }
  return customers;
}

}  // namespace salespipe::io::warehouse
