#include "golden_case.hpp"

#include <gtest/gtest.h>

#include <charconv>
#include <map>
#include <sstream>

#include "segment/scaling.hpp"
#include "segment/segment.hpp"
#include "testing/testing.hpp"

namespace salespipe::segment::testing {
namespace {

std::vector<std::string> split(const std::string& line, char separator) {
  std::vector<std::string> parts;
  std::string part;
  std::istringstream stream(line);
  while (std::getline(stream, part, separator)) {
    parts.push_back(part);
  }
  return parts;
}

template <class T>
T number(const std::string& text) {
  T value{};
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) {
    ADD_FAILURE() << "not a number: \"" << text << "\"";
  }
  return value;
}

/// "123.4567" (four decimals, as the script writes money) in 1/10000 units.
Money money(const std::string& text) {
  const auto dot = text.find('.');
  if (dot == std::string::npos || text.size() - dot - 1 != 4) {
    ADD_FAILURE() << "not a 4-decimal amount: \"" << text << "\"";
    return Money{};
  }
  return Money{number<std::int64_t>(text.substr(0, dot)) * Money::kScale +
               number<std::int64_t>(text.substr(dot + 1))};
}

}  // namespace

std::filesystem::path golden_dir() {
  return std::filesystem::path(SALESPIPE_GOLDEN_DIR) / "segment";
}

Matrix scaled_features(const GoldenCase& golden) {
  Options options;
  options.use_recency = golden.use_recency;
  const Matrix raw = feature_matrix(golden.features, options);
  return apply_minmax(fit_minmax(raw), raw);
}

CustomerFeatures parse_features_csv(const std::string& text) {
  CustomerFeatures features;
  std::istringstream stream(text);
  std::string line;
  std::getline(stream, line);
  EXPECT_EQ(line, "customer_id,total_purchase_amount,purchase_frequency,recency_days");
  while (std::getline(stream, line)) {
    const auto cells = split(line, ',');
    if (cells.size() != 4) {
      ADD_FAILURE() << "bad features line: " << line;
      continue;
    }
    features.customer.push_back(number<std::uint32_t>(cells[0]));
    const Money total = money(cells[1]);
    const auto frequency = number<std::int64_t>(cells[2]);
    features.total_purchase_amount.push_back(total);
    features.purchase_frequency.push_back(frequency);
    features.avg_transaction_value.push_back(to_double(total) / static_cast<double>(frequency));
    features.recency_days.push_back(number<std::int64_t>(cells[3]));
  }
  return features;
}

GoldenCase load_case(const std::string& name) {
  GoldenCase golden;
  golden.name = name;
  const auto folder = golden_dir() / name;
  if (std::filesystem::exists(folder / "features.csv")) {
    golden.features = parse_features_csv(salespipe::testing::read_file(folder / "features.csv"));
  }
  if (std::filesystem::exists(folder / "labels.txt")) {
    golden.labels = salespipe::testing::read_file(folder / "labels.txt");
    while (!golden.labels.empty() && golden.labels.back() == '\n') {
      golden.labels.pop_back();
    }
  }
  std::istringstream stream(salespipe::testing::read_file(folder / "expected.txt"));
  std::string line;
  while (std::getline(stream, line)) {
    if (line.empty() || line[0] == '#') {
      continue;
    }
    const auto f = split(line, ' ');
    const std::string& key = f[0];
    if (key == "customers") {
      golden.customers = number<std::size_t>(f[1]);
    } else if (key == "k") {
      golden.k = number<int>(f[1]);
    } else if (key == "n_init") {
      golden.n_init = number<int>(f[1]);
    } else if (key == "seed") {
      golden.seed = number<std::uint64_t>(f[1]);
    } else if (key == "use_recency") {
      golden.use_recency = f[1] == "1";
    } else if (key == "silhouette_sample_size") {
      golden.silhouette_sample_size = number<std::size_t>(f[1]);
    } else if (key == "tolerance") {
      golden.tolerance = number<double>(f[1]);
    } else if (key == "inertia") {
      golden.inertia = number<double>(f[1]);
    } else if (key == "n_iter") {
      golden.n_iter = number<int>(f[1]);
    } else if (key == "best_run") {
      golden.best_run = number<std::size_t>(f[1]);
    } else if (key == "center") {
      std::vector<double> centre;
      for (std::size_t i = 2; i < f.size(); ++i) {
        centre.push_back(number<double>(f[i]));
      }
      golden.centers.push_back(centre);
    } else if (key == "size") {
      golden.sizes.push_back(number<std::size_t>(f[2]));
    } else if (key == "run") {
      // run R inertia X n_iter N init i1 i2 ...
      ExpectedRun run;
      run.inertia = number<double>(f[3]);
      run.n_iter = number<int>(f[5]);
      for (std::size_t i = 7; i < f.size(); ++i) {
        run.init.push_back(number<std::size_t>(f[i]));
      }
      golden.runs.push_back(run);
    } else if (key == "silhouette") {
      if (f[1] != "none") {
        golden.silhouette = number<double>(f[1]);
      }
    } else if (key == "generator_seed") {
      golden.generator_seed = number<std::uint64_t>(f[1]);
    } else if (key == "labels_fnv1a64") {
      golden.labels_fnv1a64 = std::stoull(f[1], nullptr, 16);
    }
  }
  return golden;
}

std::uint64_t labels_digest(const std::vector<std::int32_t>& labels) {
  std::uint64_t hash = 0xCBF29CE484222325ULL;
  for (const std::int32_t label : labels) {
    hash ^= static_cast<std::uint64_t>('0' + label);
    hash *= 0x100000001B3ULL;
  }
  return hash;
}

double adjusted_rand_index(const std::vector<std::int32_t>& a, const std::vector<std::int32_t>& b) {
  std::map<std::pair<std::int32_t, std::int32_t>, double> joint;
  std::map<std::int32_t, double> rows;
  std::map<std::int32_t, double> cols;
  for (std::size_t i = 0; i < a.size(); ++i) {
    joint[{a[i], b[i]}] += 1;
    rows[a[i]] += 1;
    cols[b[i]] += 1;
  }
  const auto pairs = [](double n) { return n * (n - 1) / 2; };
  double index = 0;
  for (const auto& [key, n] : joint) {
    index += pairs(n);
  }
  double row_sum = 0;
  for (const auto& [key, n] : rows) {
    row_sum += pairs(n);
  }
  double col_sum = 0;
  for (const auto& [key, n] : cols) {
    col_sum += pairs(n);
  }
  const double expected = row_sum * col_sum / pairs(static_cast<double>(a.size()));
  const double maximum = (row_sum + col_sum) / 2;
  if (maximum == expected) {
    return 1.0;
  }
  return (index - expected) / (maximum - expected);
}

}  // namespace salespipe::segment::testing
