#include "io/warehouse/csv_outputs.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>

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
  /// Writes what is buffered, then bytes, straight to the file.
  void write_after_buffer(std::string_view bytes) {
    flush();
    write_all(bytes);
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
    write_all(buffer_);
    buffer_.clear();
  }
  void write_all(std::string_view bytes) {
    std::size_t done = 0;
    while (done < bytes.size()) {
      const ssize_t written = ::write(fd_, bytes.data() + done, bytes.size() - done);
      if (written < 0) {
        if (errno == EINTR) {
          continue;
        }
        fail("cannot write");
      }
      done += static_cast<std::size_t>(written);
    }
  }
  [[noreturn]] void fail(std::string_view what) {
    throw Error(ErrorKind::Output,
                fmt::format("{}: {}: {}", path_.string(), what, std::strerror(errno)));
  }

  fs::path path_;
  int fd_ = -1;
  std::string buffer_;
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

}  // namespace

void append_sentiment(std::string& out, double value) {
  char text[32];
  const auto result = std::to_chars(text, text + sizeof text, value);
  const std::string_view written(text, static_cast<std::size_t>(result.ptr - text));
  out.append(written);
  if (written.find_first_of(".eE") == std::string_view::npos) {
    out.append(".0");
  }
}

/// Appends rows [begin, end) of processed_sales_data.csv to out.
void format_processed_rows(std::string& out, const SalesTable& sales,
                           const std::vector<std::string>* segments, std::size_t begin,
                           std::size_t end) {
  for (std::size_t row = begin; row < end; ++row) {
    csv::append_field(out, sales.sale_id[row]);
    out.push_back(',');
    csv::append_field(out, sales.products.name(sales.product[row]));
    out.push_back(',');
    csv::append_field(out, sales.customers.name(sales.customer[row]));
    out.push_back(',');
    append_money(out, sales.sale_price[row]);
    out.push_back(',');
    append_integer(out, sales.quantity[row]);
    out.push_back(',');
    append_date(out, sales.sale_date[row]);
    out.push_back(',');
    append_money(out, sales.total_revenue[row]);
    out.push_back(',');
    if (sales.has_review[row] != 0) {
      append_sentiment(out, sales.sentiment[row]);
      out.push_back(',');
      append_date(out, sales.review_date[row]);
    } else {
      out.push_back(',');
    }
    if (segments != nullptr) {
      out.push_back(',');
      csv::append_field(out, (*segments)[sales.customer[row]]);
    }
    for (const auto& column : sales.extra.values) {
      out.push_back(',');
      csv::append_field(out, column[row]);
    }
    out.push_back('\n');
  }
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
  // Formatting is most of the work: the rows go in slices of kSlice, every other slice
  // formatted on a second thread, and are written in order.
  constexpr std::size_t kSlice = 1u << 16;
  std::string other;
  for (std::size_t begin = 0; begin < sales.size(); begin += 2 * kSlice) {
    const std::size_t middle = std::min(begin + kSlice, sales.size());
    const std::size_t end = std::min(middle + kSlice, sales.size());
    other.clear();
    BackgroundJob second;
    if (middle < end) {
      second.start([&] { format_processed_rows(other, sales, segments, middle, end); });
    }
    format_processed_rows(out, sales, segments, begin, middle);
    second.wait();
    file.write_after_buffer(other);
  }
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
